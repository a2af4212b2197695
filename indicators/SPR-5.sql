-- id: SPR-5
-- title: DTZ-Ergebnisse
-- definition: Anteil der im Zeitraum abgelegten Prüfungen "Deutsch-Test für Zuwanderer" (DTZ)
--   mit dem Ergebnis B1 an allen im Zeitraum abgelegten DTZ mit Ergebnis, in Prozent, nach
--   Kursart und Geschlecht. Der Parameter niveau wählt das Ergebnis (B1, A2 oder unter A2;
--   Voreinstellung B1); die Anteile B1, A2 und unter A2 ergeben zusammen 100 %.
-- unit: %
-- kind: rate
-- numerator: DTZ mit dem Ergebnis B1 (Parameter niveau)
-- denominator: DTZ mit Ergebnis im Zeitraum
-- dimensions: kursart, geschlecht, gemeinde, altersgruppe, staat
-- period: quartal
-- source: integrationskurs
-- parameter: niveau = B1
-- quelle: {quelle_integrationskurs}, Datenstand {stichtag}; eigene Berechnung
-- footnote: Gezählt werden Prüfungen (Datum der Prüfung im Zeitraum), nicht Personen;
--   Wiederholungsprüfungen zählen mit. Prüfungen ohne DTZ-Ergebnis (nur Test "Leben in
--   Deutschland") zählen nicht.
-- footnote: Alter in vollendeten Jahren am Tag der Prüfung.
-- chart: bar
-- order: 350

SELECT ka.code AS kursart,
       g.code AS geschlecht,
       k.ags AS gemeinde,
       bimo_altersgruppe(k.geburtsdatum, k.pruefung_datum) AS altersgruppe,
       k.staatsangehoerigkeit AS staat,
       (d.code = :niveau) AS numerator,
       1 AS denominator
FROM integrationskurs AS k
JOIN code_geschlecht AS g ON g.id = k.geschlecht
JOIN code_dtz_ergebnis AS d ON d.id = k.dtz_ergebnis
LEFT JOIN code_kursart AS ka ON ka.id = k.kursart
WHERE k.rowid BETWEEN :first_row AND :last_row
  AND k.snapshot_id = :snapshot
  AND k.pruefung_datum BETWEEN :von AND :bis
