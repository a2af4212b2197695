-- id: SPR-6
-- title: Kurserfolg
-- definition: Anteil der Personen mit einer Prüfung im Zeitraum (Deutsch-Test für Zuwanderer
--   oder Test "Leben in Deutschland"), die in den Prüfungen des Zeitraums den DTZ mit B1 und
--   den Test "Leben in Deutschland" bestanden haben, in Prozent.
-- unit: %
-- kind: rate
-- numerator: Personen mit DTZ B1 und bestandenem Test "Leben in Deutschland"
-- denominator: Personen mit einer Prüfung im Zeitraum
-- dimensions: kursart, geschlecht, gemeinde, altersgruppe, staat
-- period: quartal
-- source: integrationskurs
-- quelle: {quelle_integrationskurs}, Datenstand {stichtag}; eigene Berechnung
-- footnote: Jede Person zählt einmal; wer im Zeitraum mehrere Prüfungen abgelegt hat, zählt als
--   erfolgreich, wenn B1 und der bestandene Test "Leben in Deutschland" in einer dieser
--   Prüfungen erreicht wurden. Kursart, Wohnort und Alter nach der letzten Prüfung im Zeitraum.
-- footnote: Alter in vollendeten Jahren am Tag der letzten Prüfung.
-- chart: bar
-- order: 360

WITH pruefung AS (
    SELECT k.person, k.pruefung_datum, k.berechtigung_datum, k.kursart, k.geschlecht, k.ags,
           k.geburtsdatum, k.staatsangehoerigkeit,
           coalesce(d.code = 'B1', 0) AS b1,
           coalesce(k.lid_bestanden = 1, 0) AS lid,
           row_number() OVER (PARTITION BY k.person
                              ORDER BY k.pruefung_datum DESC, k.berechtigung_datum DESC) AS nr
    FROM integrationskurs AS k
    LEFT JOIN code_dtz_ergebnis AS d ON d.id = k.dtz_ergebnis
    WHERE k.rowid BETWEEN :first_row AND :last_row
      AND k.snapshot_id = :snapshot
      AND k.pruefung_datum BETWEEN :von AND :bis
), person AS (
    SELECT *, max(b1) OVER (PARTITION BY person) AS b1_erreicht,
           max(lid) OVER (PARTITION BY person) AS lid_bestanden
    FROM pruefung
)
SELECT ka.code AS kursart,
       g.code AS geschlecht,
       p.ags AS gemeinde,
       bimo_altersgruppe(p.geburtsdatum, p.pruefung_datum) AS altersgruppe,
       p.staatsangehoerigkeit AS staat,
       (p.b1_erreicht AND p.lid_bestanden) AS numerator,
       1 AS denominator
FROM person AS p
JOIN code_geschlecht AS g ON g.id = p.geschlecht
LEFT JOIN code_kursart AS ka ON ka.id = p.kursart
WHERE p.nr = 1
