-- id: FIG-GEM
-- title: Anteil mit Testmerkmal in den Städten und Gemeinden des Landkreises
-- definition: Feste Testwerte: Gemeinde n (AGS 03459000 + n) hat n + 5 Fälle von
--   100 + 2n Personen; Gemeinde 33 hat 1 Fall, Gemeinde 34 nur 8 Personen.
-- unit: %
-- kind: rate
-- numerator: Fälle
-- denominator: Personen
-- dimensions: gemeinde
-- period: stichtag
-- source: none
-- quelle: Testquelle Melderegister, Stichtag {stichtag}
-- chart: map

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 34)
SELECT 3459000 + i AS gemeinde,
       CASE i WHEN 33 THEN 1 ELSE i + 5 END AS numerator,
       CASE i WHEN 34 THEN 8 ELSE 100 + 2 * i END AS denominator
FROM n
