-- id: SCH-3
-- title: Übergänge Grundschule → Sek I (verknüpft)
-- definition: Schülerinnen und Schüler, die im Vorjahr im Schuljahrgang 4 einer Grundschule
--   im Landkreis waren, nach der Schulform, an der sie im Schuljahr im Schuljahrgang 5
--   (oder höher) sind, in Prozent aller Schülerinnen und Schüler des Schuljahrgangs 4 der
--   Grundschulen im Vorjahr ohne Wiederholerinnen und Wiederholer; verknüpft über das
--   Pseudonym der Schülerin oder des Schülers. Wer im Schuljahr an keiner Schule im
--   Landkreis gefunden wird (Fortzug, Schule außerhalb des Landkreises), steht in der
--   Kategorie "nicht gefunden" und zählt im Nenner mit. Schülerinnen und Schüler, die im
--   Schuljahr wieder im Schuljahrgang 4 oder niedriger sind (Wiederholung, auch an einer
--   anderen Schule oder einer Förderschule), sind noch nicht übergegangen: sie zählen weder
--   im Zähler noch im Nenner, sondern im Jahr ihres Übergangs. Förderschulen werden als
--   eigene Schulform gezeigt; die Zweige der Kooperativen Gesamtschule zählen bei der
--   entsprechenden Schulform. Periode ist das Schuljahr des Schuljahrgangs 5 (2025/26:
--   Übergänge vom Schuljahr 2024/25 in das Schuljahr 2025/26).
-- unit: %
-- kind: share
-- share_of: schulform
-- numerator: Übergängerinnen und Übergänger aus dem Schuljahrgang 4 der Grundschule in die
--   Schulform (oder nicht gefunden)
-- denominator: Schülerinnen und Schüler im Schuljahrgang 4 der Grundschulen im Vorjahr ohne
--   Wiederholerinnen und Wiederholer
-- dimensions: schulform, gemeinde, geschlecht, deutsch
-- period: schuljahr
-- source: schule
-- quelle: {quelle_schule}, {periode} und Vorjahr; eigene Berechnung
-- footnote: Gemeinde ist der Ort der Grundschule; Geschlecht und Staatsangehörigkeit wie im
--   Schuljahrgang 4.
-- footnote: Wiederholerinnen und Wiederholer des Schuljahrgangs 4 sind nicht enthalten; sie
--   zählen im Jahr ihres Übergangs.
-- footnote: "nicht gefunden": im Schuljahr an keiner Schule im Landkreis (Fortzug, Schule
--   außerhalb des Landkreises oder fehlende Meldung).
-- chart: stacked-bar-100
-- order: 430

-- The Jahrgang-4 pupils of the previous year first (a few thousand), then only their rows in
-- this year's snapshot: the join then indexes thousands of rows, not the whole school year.
WITH vorher AS (
    SELECT v.schueler, v.ags_schule, v.geschlecht, v.staatsangehoerigkeit
    FROM schule AS v
    JOIN code_schulform AS vf ON vf.id = v.schulform
    WHERE v.rowid BETWEEN :prev_first_row AND :prev_last_row
      AND v.snapshot_id = :prev_snapshot
      AND v.jahrgang = 4
      AND vf.code = 'GS'
), jetzt AS (
    SELECT s.schueler, s.jahrgang, f.zaehltals
    FROM schule AS s
    JOIN code_schulform AS f ON f.id = s.schulform
    WHERE s.rowid BETWEEN :first_row AND :last_row
      AND s.snapshot_id = :snapshot
      AND s.schueler IN (SELECT schueler FROM vorher)
)
SELECT CASE WHEN j.schueler IS NULL THEN 'nicht gefunden' ELSE j.zaehltals END AS schulform,
       v.ags_schule AS gemeinde,
       g.code AS geschlecht,
       (v.staatsangehoerigkeit = 0) AS deutsch
FROM vorher AS v
JOIN code_geschlecht AS g ON g.id = v.geschlecht
LEFT JOIN jetzt AS j ON j.schueler = v.schueler
WHERE j.schueler IS NULL OR j.jahrgang >= 5
