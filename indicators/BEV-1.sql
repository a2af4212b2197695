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

-- One row per person: bimo merges the rows of equal categories with a hash, which is faster
-- than a GROUP BY in SQLite (a sort). Without a numerator column each row counts once.
SELECT m.ags AS gemeinde,
       g.code AS geschlecht,
       bimo_altersgruppe(m.geburtsdatum, :stichtag) AS altersgruppe,
       (m.staatsangehoerigkeit = 0 OR coalesce(m.staatsangehoerigkeit2, -1) = 0) AS deutsch,
       CASE WHEN coalesce(m.staatsangehoerigkeit2, -1) = 0 THEN 0
            ELSE m.staatsangehoerigkeit END AS staat
FROM melderegister AS m
JOIN code_geschlecht AS g ON g.id = m.geschlecht
WHERE m.rowid BETWEEN :first_row AND :last_row
  AND m.snapshot_id = :snapshot
