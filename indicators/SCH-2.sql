-- id: SCH-2
-- title: Übergänge in Schuljahrgang 5
-- definition: Schülerinnen und Schüler im Schuljahrgang 5 nach Schulform, in Prozent aller
--   Schülerinnen und Schüler im Schuljahrgang 5, ohne Förderschulen (Verfahren des Landes
--   Niedersachsen). Die Zweige der Kooperativen Gesamtschule zählen bei der entsprechenden
--   Schulform (Spalte zaehlt_als in indicators/codes/schulform.csv).
-- unit: %
-- kind: share
-- share_of: schulform
-- numerator: Schülerinnen und Schüler im Schuljahrgang 5 der Schulform
-- denominator: Schülerinnen und Schüler im Schuljahrgang 5 aller Schulformen ohne Förderschulen
-- dimensions: schulform, gemeinde, geschlecht, deutsch
-- period: schuljahr
-- source: schule
-- quelle: {quelle_schule}, {periode}; eigene Berechnung
-- footnote: Schulen öffentlicher und freier Trägerschaft; Gemeinde ist der Schulort.
-- chart: stacked-bar-100
-- order: 420

-- Read from the per-snapshot counts (schule_summary, written at import), not the pupils.
SELECT f.zaehltals AS schulform,
       s.ags_schule AS gemeinde,
       g.code AS geschlecht,
       s.deutsch AS deutsch,
       s.n AS numerator
FROM schule_summary AS s
JOIN code_schulform AS f ON f.id = s.schulform
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE s.snapshot_id = :snapshot
  AND s.jahrgang = 5
  AND f.foerderschule <> '1'
