-- id: AUF-4
-- title: Statuswechsel
-- definition: Übergangsmatrix der Statusgruppen der Ausländerinnen und Ausländer zwischen dem
--   vorigen Stichtag und dem Stichtag: für jede Statusgruppe am vorigen Stichtag (Zeilen,
--   Dimension schutzstatus_vorher) der Anteil der Personen nach ihrer Statusgruppe am
--   Stichtag (Spalten, Dimension schutzstatus), in Prozent; jede Zeile ergibt 100 %. Wer am
--   Stichtag nicht mehr im Bestand der Ausländerbehörde ist, zählt in der Spalte "nicht mehr
--   im Bestand"; wer am Stichtag im Bestand ist, am vorigen Stichtag aber nicht, in der Zeile
--   "neu". Personen werden über ihr Pseudonym verknüpft. Voriger Stichtag: bei einem Jahr
--   der 31.12. des Vorjahres, bei einem Quartal das Ende des Vorquartals, bei einem Datum der
--   letzte Stichtag davor. Die ganze Matrix: --by schutzstatus_vorher,schutzstatus.
-- unit: %
-- kind: share
-- share_of: schutzstatus
-- numerator: Personen nach Statusgruppe am Stichtag
-- denominator: Personen der Statusgruppe am vorigen Stichtag (Zeile); in der Zeile neu die
--   Personen, die am vorigen Stichtag nicht im Bestand waren
-- dimensions: schutzstatus_vorher, schutzstatus, gemeinde, geschlecht, altersgruppe, staat
-- period: stichtag
-- source: aufenthalt
-- quelle: {quelle_aufenthalt}, Stichtag {stichtag} und voriger Stichtag; eigene Berechnung
-- footnote: Gemeinde, Geschlecht und Staatsangehörigkeit am Stichtag, bei Personen, die nicht
--   mehr im Bestand sind, am vorigen Stichtag; Alter in vollendeten Jahren am Stichtag.
-- footnote: "Nicht mehr im Bestand" umfasst Fortzug, Ausreise, Einbürgerung und Tod.
-- chart: stacked-bar-100
-- order: 240

-- The transitions are counted once per pair of snapshots when the residence extracts are
-- imported (aufenthalt_transition; 0 stands for "not in the stock"). Stores whose pair is not
-- counted (migrated from an older version) take the second branch: everyone in either stock
-- once, joined by pseudonym.
WITH counted AS (
    SELECT 1 FROM aufenthalt_transition_pair
    WHERE snapshot_id = :snapshot AND prev_snapshot_id = :prev_snapshot
), jetzt AS (
    SELECT a.person, r.gruppe, a.ags, a.geschlecht, a.geburtsdatum, a.staatsangehoerigkeit
    FROM aufenthalt AS a
    JOIN code_rechtsgrundlage AS r ON r.id = a.rechtsgrundlage
    WHERE a.rowid BETWEEN :first_row AND :last_row
      AND a.snapshot_id = :snapshot
      AND NOT EXISTS (SELECT 1 FROM counted)
), vorher AS (
    SELECT a.person, r.gruppe, a.ags, a.geschlecht, a.geburtsdatum, a.staatsangehoerigkeit
    FROM aufenthalt AS a
    JOIN code_rechtsgrundlage AS r ON r.id = a.rechtsgrundlage
    WHERE a.rowid BETWEEN :prev_first_row AND :prev_last_row
      AND a.snapshot_id = :prev_snapshot
      AND NOT EXISTS (SELECT 1 FROM counted)
)
SELECT coalesce(rv.gruppe, 'neu') AS schutzstatus_vorher,
       coalesce(r.gruppe, 'nicht mehr im Bestand') AS schutzstatus,
       t.ags AS gemeinde,
       g.code AS geschlecht,
       bimo_altersgruppe_of(t.alter_jahre) AS altersgruppe,
       t.staatsangehoerigkeit AS staat,
       t.n AS numerator
FROM aufenthalt_transition AS t
LEFT JOIN code_rechtsgrundlage AS rv ON rv.id = t.rechtsgrundlage_vorher
LEFT JOIN code_rechtsgrundlage AS r ON r.id = t.rechtsgrundlage
JOIN code_geschlecht AS g ON g.id = t.geschlecht
WHERE t.snapshot_id = :snapshot AND t.prev_snapshot_id = :prev_snapshot
  AND EXISTS (SELECT 1 FROM counted)
UNION ALL
SELECT v.gruppe, coalesce(j.gruppe, 'nicht mehr im Bestand'), coalesce(j.ags, v.ags), g.code,
       bimo_altersgruppe(coalesce(j.geburtsdatum, v.geburtsdatum), :stichtag),
       coalesce(j.staatsangehoerigkeit, v.staatsangehoerigkeit), 1
FROM vorher AS v
LEFT JOIN jetzt AS j ON j.person = v.person
JOIN code_geschlecht AS g ON g.id = coalesce(j.geschlecht, v.geschlecht)
UNION ALL
SELECT 'neu', j.gruppe, j.ags, g.code, bimo_altersgruppe(j.geburtsdatum, :stichtag),
       j.staatsangehoerigkeit, 1
FROM jetzt AS j
JOIN code_geschlecht AS g ON g.id = j.geschlecht
WHERE NOT EXISTS (SELECT 1 FROM vorher AS v WHERE v.person = j.person)
