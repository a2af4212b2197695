-- id: BEV-2
-- title: Ausländeranteil
-- definition: Anteil der Personen ohne deutsche Staatsangehörigkeit an allen Personen mit
--   Hauptwohnsitz im Landkreis am Stichtag, in Prozent. Wer neben einer anderen auch die
--   deutsche Staatsangehörigkeit hat, zählt als Deutsche oder Deutscher.
-- unit: %
-- kind: rate
-- numerator: Ausländerinnen und Ausländer (keine deutsche Staatsangehörigkeit)
-- denominator: Bevölkerung insgesamt
-- dimensions: gemeinde, geschlecht, altersgruppe
-- period: stichtag
-- source: melderegister
-- quelle: {quelle_melderegister}, Stichtag {stichtag}; eigene Berechnung
-- footnote: Die Anteile sind aus ungerundeten Zahlen berechnet.
-- chart: bar
-- order: 120

SELECT m.ags AS gemeinde,
       g.code AS geschlecht,
       bimo_altersgruppe(m.geburtsdatum, :stichtag) AS altersgruppe,
       (m.staatsangehoerigkeit <> 0 AND coalesce(m.staatsangehoerigkeit2, -1) <> 0) AS numerator,
       1 AS denominator
FROM melderegister AS m
JOIN code_geschlecht AS g ON g.id = m.geschlecht
WHERE m.rowid BETWEEN :first_row AND :last_row
  AND m.snapshot_id = :snapshot
