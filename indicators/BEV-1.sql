-- id: BEV-1
-- title: Bevölkerung
-- definition: Personen mit Hauptwohnsitz im Landkreis am Stichtag nach Gemeinde, Geschlecht,
--   Altersgruppe und Staatsangehörigkeit. Wer neben einer anderen auch die deutsche
--   Staatsangehörigkeit hat, zählt als Deutsche oder Deutscher.
-- unit: Personen
-- kind: count
-- numerator: Personen mit Hauptwohnsitz im Landkreis am Stichtag
-- dimensions: gemeinde, geschlecht, altersgruppe, deutsch, staat
-- period: stichtag
-- source: melderegister
-- quelle: {quelle_melderegister}, Stichtag {stichtag}; eigene Berechnung
-- footnote: Alter in vollendeten Jahren am Stichtag; Altersgruppen nach Bildungsphasen.
-- chart: pyramid
-- order: 110

-- The counts per snapshot that the import writes (melderegister_summary: one row per
-- municipality, sex, age, nationality), not the 355,000 person rows: bimo sums the numerators
-- of rows with equal categories. deutsch and staat follow the rule of the definition (German
-- if either nationality is 000, staat then 0).
SELECT s.ags AS gemeinde,
       g.code AS geschlecht,
       bimo_altersgruppe_of(s.alter_jahre) AS altersgruppe,
       s.deutsch AS deutsch,
       s.staat AS staat,
       s.n AS numerator
FROM melderegister_summary AS s
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE s.snapshot_id = :snapshot
