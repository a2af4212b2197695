-- id: BBS-1
-- title: Berufseinstieg und Sprachförderung
-- definition: Schülerinnen und Schüler der berufsbildenden Schulen im Landkreis in der
--   Berufseinstiegsschule Klasse 1, der Berufseinstiegsschule Klasse 2 und den Sprach- und
--   Integrationsklassen (SPRINT, auch SPRINT-Dual) am Stichtag der Schulstatistik (Herbst)
--   des Schuljahres, nach Bildungsgang, Staatsangehörigkeit (deutsch/nichtdeutsch),
--   Geschlecht und Schulort. Die Bildungsgänge sind die Codes BES1, BES2, SPRINT und SPRINT-D in
--   indicators/codes/bildungsgang.csv; die einjährige Berufsfachschule gehört ebenfalls zum
--   Übergangsbereich (BBS-2), hier aber nicht dazu.
-- unit: Personen
-- kind: count
-- numerator: Schülerinnen und Schüler in BES Klasse 1, BES Klasse 2 und SPRINT
-- dimensions: bildungsgang, deutsch, geschlecht, gemeinde
-- period: schuljahr
-- source: schule
-- quelle: {quelle_schule}, {periode}; eigene Berechnung
-- footnote: Alle Ausbildungsjahre; Gemeinde ist der Schulort.
-- chart: bar
-- order: 610

-- Read from the per-snapshot counts (schule_summary, written at import), not the pupils.
SELECT b.code AS bildungsgang,
       s.deutsch AS deutsch,
       g.code AS geschlecht,
       s.ags_schule AS gemeinde,
       s.n AS numerator
FROM schule_summary AS s
JOIN code_bildungsgang AS b ON b.id = s.bildungsgang
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE s.snapshot_id = :snapshot
  AND b.code IN ('BES1', 'BES2', 'SPRINT', 'SPRINT-D')
