-- id: BEV-2
-- title: Ausländeranteil
-- definition: Anteil der Personen ohne deutsche Staatsangehörigkeit an allen Personen mit
--   Hauptwohnsitz im Landkreis am Stichtag, in Prozent. Wer neben einer anderen auch die
--   deutsche Staatsangehörigkeit hat, zählt als Deutsche oder Deutscher.
-- unit: %
-- kind: rate
-- numerator: Ausländerinnen und Ausländer (keine deutsche Staatsangehörigkeit)
-- denominator: Bevölkerung insgesamt
-- dimensions: gemeinde, geschlecht, altersgruppe
-- period: stichtag
-- source: melderegister
-- quelle: {quelle_melderegister}, Stichtag {stichtag}; eigene Berechnung
-- footnote: Die Anteile sind aus ungerundeten Zahlen berechnet.
-- chart: bar
-- order: 120

-- Read from the per-snapshot counts (melderegister_summary), not the person rows; deutsch is
-- 1 for anyone with 000 as either nationality.
SELECT s.ags AS gemeinde,
       g.code AS geschlecht,
       bimo_altersgruppe_of(s.alter_jahre) AS altersgruppe,
       CASE WHEN s.deutsch THEN 0 ELSE s.n END AS numerator,
       s.n AS denominator
FROM melderegister_summary AS s
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE s.snapshot_id = :snapshot
