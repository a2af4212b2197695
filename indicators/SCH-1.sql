-- id: SCH-1
-- title: Schülerinnen und Schüler
-- definition: Schülerinnen und Schüler an den allgemeinbildenden und berufsbildenden Schulen
--   im Landkreis am Stichtag der Schulstatistik (Herbst) des Schuljahres, nach Schulform,
--   Staatsangehörigkeit (deutsch/nichtdeutsch) und Geschlecht. Die Zweige der Kooperativen
--   Gesamtschule zählen bei der entsprechenden Schulform (Spalte zaehlt_als in
--   indicators/codes/schulform.csv); unter Kooperative Gesamtschule stehen nur Schülerinnen
--   und Schüler ohne Zweigzuordnung. Der Anteil der ausländischen Schülerinnen und Schüler
--   steht in SCH-1a.
-- unit: Personen
-- kind: count
-- numerator: Schülerinnen und Schüler
-- dimensions: schulform, deutsch, geschlecht, gemeinde
-- period: schuljahr
-- source: schule
-- quelle: {quelle_schule}, {periode}; eigene Berechnung
-- footnote: Schulen öffentlicher und freier Trägerschaft; Gemeinde ist der Schulort.
-- footnote: Nichtdeutsch sind Schülerinnen und Schüler ohne deutsche Staatsangehörigkeit
--   (die Schulstatistik führt eine Staatsangehörigkeit).
-- chart: stacked-bar
-- order: 410

-- Read from the per-snapshot counts (schule_summary, written at import), not the pupils.
SELECT f.zaehltals AS schulform,
       s.deutsch AS deutsch,
       g.code AS geschlecht,
       s.ags_schule AS gemeinde,
       s.n AS numerator
FROM schule_summary AS s
JOIN code_schulform AS f ON f.id = s.schulform
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE s.snapshot_id = :snapshot
