-- id: SCH-4
-- title: Sprachlernklassen
-- definition: Schülerinnen und Schüler in Sprachlernklassen der allgemeinbildenden Schulen
--   im Landkreis am Stichtag der Schulstatistik (Herbst) des Schuljahres, nach Schulform,
--   Schulort (Gemeinde, Kommune, Bildungsregion), Staatsangehörigkeit (deutsch/nichtdeutsch)
--   und Geschlecht. Die Zweige der Kooperativen Gesamtschule zählen bei der entsprechenden
--   Schulform. Der Anteil an den ausländischen Schülerinnen und Schülern steht in SCH-4a.
-- unit: Personen
-- kind: count
-- numerator: Schülerinnen und Schüler in Sprachlernklassen
-- dimensions: schulform, gemeinde, deutsch, geschlecht
-- period: schuljahr
-- source: schule
-- quelle: {quelle_schule}, {periode}; eigene Berechnung
-- footnote: Sprachlernklassen der allgemeinbildenden Schulen für Schülerinnen und Schüler
--   nichtdeutscher Herkunftssprache; die Sprach- und Integrationsklassen der berufsbildenden
--   Schulen (SPRINT) stehen in BBS-1.
-- footnote: Gemeinde ist der Schulort.
-- chart: bar
-- order: 440

-- Read from the per-snapshot counts (schule_summary, written at import), not the pupils.
SELECT f.zaehltals AS schulform,
       s.ags_schule AS gemeinde,
       s.deutsch AS deutsch,
       g.code AS geschlecht,
       s.n AS numerator
FROM schule_summary AS s
JOIN code_schulform AS f ON f.id = s.schulform
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE s.snapshot_id = :snapshot
  AND s.sprachlernklasse = 1
  AND f.code <> 'BBS'
