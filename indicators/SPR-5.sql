-- id: SPR-5
-- title: DTZ-Ergebnisse
-- definition: Anteile der Ergebnisse B1, A2 und unter A2 an allen im Zeitraum abgelegten
--   Prüfungen "Deutsch-Test für Zuwanderer" (DTZ) mit Ergebnis, in Prozent, nach Kursart und
--   Geschlecht; die drei Anteile ergeben zusammen 100 %.
-- unit: %
-- kind: share
-- share_of: dtz_ergebnis
-- numerator: DTZ mit dem jeweiligen Ergebnis
-- denominator: DTZ mit Ergebnis im Zeitraum
-- dimensions: dtz_ergebnis, kursart, geschlecht, gemeinde, altersgruppe, staat
-- period: quartal
-- source: integrationskurs
-- quelle: {quelle_integrationskurs}, Datenstand {stichtag}; eigene Berechnung
-- footnote: Gezählt werden Prüfungen (Datum der Prüfung im Zeitraum), nicht Personen;
--   Wiederholungsprüfungen zählen mit. Prüfungen ohne DTZ-Ergebnis (nur Test "Leben in
--   Deutschland") zählen nicht.
-- footnote: Alter in vollendeten Jahren am Tag der Prüfung.
-- chart: stacked-bar-100
-- order: 350

SELECT d.code AS dtz_ergebnis,
       ka.code AS kursart,
       g.code AS geschlecht,
       k.ags AS gemeinde,
       bimo_altersgruppe(k.geburtsdatum, k.pruefung_datum) AS altersgruppe,
       k.staatsangehoerigkeit AS staat
FROM integrationskurs AS k
JOIN code_geschlecht AS g ON g.id = k.geschlecht
JOIN code_dtz_ergebnis AS d ON d.id = k.dtz_ergebnis
LEFT JOIN code_kursart AS ka ON ka.id = k.kursart
WHERE k.rowid BETWEEN :first_row AND :last_row
  AND k.snapshot_id = :snapshot
  AND k.pruefung_datum BETWEEN :von AND :bis
