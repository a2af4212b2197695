-- id: SCH-1a
-- title: Anteil ausländischer Schülerinnen und Schüler
-- definition: Schülerinnen und Schüler ohne deutsche Staatsangehörigkeit in Prozent aller
--   Schülerinnen und Schüler an den allgemeinbildenden und berufsbildenden Schulen im
--   Landkreis am Stichtag der Schulstatistik (Herbst) des Schuljahres, nach Schulform und
--   Geschlecht. Die Zweige der Kooperativen Gesamtschule zählen bei der entsprechenden
--   Schulform (Spalte zaehlt_als in indicators/codes/schulform.csv). Die Zahlen stehen in
--   SCH-1.
-- unit: %
-- kind: rate
-- numerator: ausländische Schülerinnen und Schüler (ohne deutsche Staatsangehörigkeit)
-- denominator: Schülerinnen und Schüler insgesamt
-- dimensions: schulform, geschlecht, gemeinde
-- period: schuljahr
-- source: schule
-- quelle: {quelle_schule}, {periode}; eigene Berechnung
-- footnote: Schulen öffentlicher und freier Trägerschaft; Gemeinde ist der Schulort.
-- footnote: Die Anteile sind aus ungerundeten Zahlen berechnet.
-- chart: bar
-- order: 415

-- Read from the per-snapshot counts (schule_summary, written at import), not the pupils.
SELECT f.zaehltals AS schulform,
       g.code AS geschlecht,
       s.ags_schule AS gemeinde,
       (1 - s.deutsch) * s.n AS numerator,
       s.n AS denominator
FROM schule_summary AS s
JOIN code_schulform AS f ON f.id = s.schulform
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE s.snapshot_id = :snapshot
