-- id: BEV-3
-- title: Zuzüge aus dem Ausland
-- definition: Personen mit Hauptwohnsitz im Landkreis am Stichtag, die im Zeitraum aus dem
--   Ausland zugezogen sind: ein Herkunftsland ist angegeben und es ist nicht Deutschland, und
--   das Datum des Zuzugs in den Landkreis liegt im Zeitraum. Der Zeitraum endet am Stichtag;
--   er beginnt bei einem Jahr am 1. Januar, bei einem Quartal am ersten Tag des Quartals, bei
--   einem einzelnen Datum am 1. Januar desselben Jahres. Ausgewertet wird der Bestand des
--   Melderegisters am Ende des Zeitraums. Gegliedert wird nach der Staatsangehörigkeit (nicht
--   nach dem Herkunftsland); wer neben einer anderen auch die deutsche Staatsangehörigkeit
--   hat, zählt als Deutsche oder Deutscher.
-- unit: Personen
-- kind: count
-- numerator: Personen, die im Zeitraum aus dem Ausland zugezogen sind und am Stichtag im
--   Landkreis gemeldet sind
-- dimensions: gemeinde, geschlecht, altersgruppe, deutsch, staat
-- period: stichtag
-- source: melderegister
-- quelle: {quelle_melderegister}, Stichtag {stichtag}; eigene Berechnung
-- footnote: Ausgewertet wird der Bestand am Stichtag, nicht die Wanderungsfälle: wer im
--   Zeitraum zugezogen und bis zum Stichtag wieder fortgezogen oder verstorben ist, fehlt;
--   wer mehrmals zugezogen ist, zählt mit dem letzten Zuzug einmal.
-- footnote: Alter in vollendeten Jahren am Stichtag; Gemeinde des Hauptwohnsitzes am Stichtag.
-- chart: bar
-- order: 130

-- The melderegister is a stock: the snapshot at the end of the period holds everyone who is
-- still registered, with the date of the move into the district. A period given as a single
-- date binds :von = :stichtag; then the flow is counted from 1 January of that year.
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
  AND m.herkunftsland <> 0
  AND m.zuzugsdatum BETWEEN CASE WHEN :von = :stichtag THEN :stichtag / 10000 * 10000 + 101
                                 ELSE :von END
                        AND :stichtag
