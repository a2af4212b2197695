-- id: FIG-POP
-- title: Bevölkerung nach Alter, Geschlecht und Staatsangehörigkeit
-- definition: Feste Testwerte: 50 + 20 x Nummer der Altersgruppe, Frauen 7 mehr, Deutsche
--   100 mehr; ausländische Frauen ab 65 sind 2.
-- unit: Personen
-- kind: count
-- numerator: Personen
-- dimensions: altersgruppe, geschlecht, deutsch
-- period: stichtag
-- source: none
-- quelle: Testquelle Melderegister, Stichtag {stichtag}
-- chart: pyramid

SELECT a.code AS altersgruppe, g.column1 AS geschlecht, d.column1 AS deutsch,
       CASE WHEN a.code = '65+' AND g.column1 = 'w' AND d.column1 = 0 THEN 2
            ELSE 50 + 20 * a.rowid + 7 * (g.column1 = 'w') + 100 * d.column1 END AS numerator
FROM code_altersgruppen AS a, (VALUES ('m'), ('w')) AS g, (VALUES (1), (0)) AS d
