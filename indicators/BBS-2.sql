-- id: BBS-2
-- title: Übergangsbereich
-- definition: Neuzugänge (Ausbildungsjahr 1) in Bildungsgänge des Übergangsbereichs in
--   Prozent der Neuzugänge in den Übergangsbereich, das duale System und das
--   Schulberufssystem an den berufsbildenden Schulen im Landkreis am Stichtag der
--   Schulstatistik (Herbst) des Schuljahres, nach Staatsangehörigkeit (deutsch/nichtdeutsch),
--   Geschlecht und Schulort. Übergangsbereich: Berufseinstiegsschule Klasse 1 und 2,
--   Sprach- und Integrationsklassen (SPRINT, SPRINT-Dual), einjährige Berufsfachschule ohne
--   beruflichen Abschluss; duales System: Berufsschule; Schulberufssystem: vollqualifizierende
--   Berufsfachschule (Spalte sektor in indicators/codes/bildungsgang.csv). Bildungsgänge zum
--   Erwerb der Hochschulzugangsberechtigung und Fachschulen zählen nicht.
-- unit: %
-- kind: rate
-- numerator: Neuzugänge in den Übergangsbereich
-- denominator: Neuzugänge in Übergangsbereich, duales System und Schulberufssystem
-- dimensions: deutsch, geschlecht, gemeinde
-- period: schuljahr
-- source: schule
-- quelle: {quelle_schule}, {periode}; eigene Berechnung
-- footnote: Neuzugang ist, wer im ersten Jahr seines Bildungsgangs ist; wer nach der BES
--   Klasse 1 in die Klasse 2 wechselt, ist dort wieder Neuzugang. Schülerinnen und Schüler
--   ohne Angabe des Ausbildungsjahres sind nicht enthalten.
-- footnote: Gemeinde ist der Schulort.
-- chart: bar
-- order: 620

-- Read from the per-snapshot counts (schule_summary, written at import), not the pupils.
SELECT s.deutsch AS deutsch,
       g.code AS geschlecht,
       s.ags_schule AS gemeinde,
       (b.sektor = 'uebergang') * s.n AS numerator,
       s.n AS denominator
FROM schule_summary AS s
JOIN code_bildungsgang AS b ON b.id = s.bildungsgang
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE s.snapshot_id = :snapshot
  AND s.ausbildungsjahr = 1
  AND b.sektor IN ('uebergang', 'dual', 'schulberuf')
