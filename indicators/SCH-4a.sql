-- id: SCH-4a
-- title: Anteil ausländischer Schülerinnen und Schüler in Sprachlernklassen
-- definition: Ausländische Schülerinnen und Schüler (ohne deutsche Staatsangehörigkeit) in
--   Sprachlernklassen in Prozent aller ausländischen Schülerinnen und Schüler der
--   allgemeinbildenden Schulen im Landkreis am Stichtag der Schulstatistik (Herbst) des
--   Schuljahres, nach Schulform, Schulort (Gemeinde, Kommune, Bildungsregion) und
--   Geschlecht. Deutsche in Sprachlernklassen (etwa Kinder von Spätaussiedlern) zählen
--   nicht, damit der Zähler ein Teil des Nenners ist; sie stehen in SCH-4.
-- unit: %
-- kind: rate
-- numerator: ausländische Schülerinnen und Schüler in Sprachlernklassen
-- denominator: ausländische Schülerinnen und Schüler der allgemeinbildenden Schulen
-- dimensions: schulform, gemeinde, geschlecht
-- period: schuljahr
-- source: schule
-- quelle: {quelle_schule}, {periode}; eigene Berechnung
-- footnote: Gemeinde ist der Schulort; ohne berufsbildende Schulen.
-- footnote: Die Anteile sind aus ungerundeten Zahlen berechnet.
-- chart: bar
-- order: 445

-- Read from the per-snapshot counts (schule_summary, written at import), not the pupils.
SELECT f.zaehltals AS schulform,
       s.ags_schule AS gemeinde,
       g.code AS geschlecht,
       (s.sprachlernklasse = 1) * s.n AS numerator,
       s.n AS denominator
FROM schule_summary AS s
JOIN code_schulform AS f ON f.id = s.schulform
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE s.snapshot_id = :snapshot
  AND s.deutsch = 0
  AND f.code <> 'BBS'
