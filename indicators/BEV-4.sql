-- id: BEV-4
-- title: Neuzugewanderte im Bildungsalter
-- definition: Personen mit Hauptwohnsitz im Landkreis am Stichtag, deren erste Einreise nach
--   Deutschland höchstens drei Jahre (Parameter jahre) vor dem Stichtag liegt, die Einreise am
--   selben Kalendertag drei Jahre zuvor eingeschlossen, und die im Bildungsalter sind, das heißt
--   jünger als 25 Jahre (Parameter alter_bis: von der Krippe bis zu Ausbildung und Studium),
--   nach Bildungsphasen (Altersgruppen), Gemeinde, Geschlecht und Staatsangehörigkeit. Wer
--   neben einer anderen auch die deutsche Staatsangehörigkeit hat, zählt als Deutsche oder
--   Deutscher.
-- unit: Personen
-- kind: count
-- numerator: Neuzugewanderte unter 25 Jahren am Stichtag
-- dimensions: altersgruppe, gemeinde, geschlecht, deutsch, staat
-- period: stichtag
-- source: melderegister
-- parameter: jahre = 3
-- parameter: alter_bis = 25
-- quelle: {quelle_melderegister}, Stichtag {stichtag}; eigene Berechnung
-- footnote: Neuzugewandert: erste Einreise nach Deutschland in den letzten drei Jahren vor dem
--   Stichtag (Parameter jahre). Personen ohne Einreisedatum zählen nicht.
-- footnote: Alter in vollendeten Jahren am Stichtag; Altersgruppen nach Bildungsphasen.
-- chart: bar
-- order: 140

SELECT bimo_altersgruppe(m.geburtsdatum, :stichtag) AS altersgruppe,
       m.ags AS gemeinde,
       g.code AS geschlecht,
       (m.staatsangehoerigkeit = 0 OR coalesce(m.staatsangehoerigkeit2, -1) = 0) AS deutsch,
       CASE WHEN coalesce(m.staatsangehoerigkeit2, -1) = 0 THEN 0
            ELSE m.staatsangehoerigkeit END AS staat
FROM melderegister AS m
JOIN code_geschlecht AS g ON g.id = m.geschlecht
WHERE m.rowid BETWEEN :first_row AND :last_row
  AND m.snapshot_id = :snapshot
  AND m.einreisedatum BETWEEN bimo_add_months(:stichtag, -12 * :jahre) AND :stichtag
  AND bimo_age(m.geburtsdatum, :stichtag) < :alter_bis
