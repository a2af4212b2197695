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

-- Everyone in either stock once: who was there before with the group now (or "nicht mehr im
-- Bestand"), then who is new.
WITH jetzt AS (
    SELECT a.person, r.gruppe, a.ags, a.geschlecht, a.geburtsdatum, a.staatsangehoerigkeit
    FROM aufenthalt AS a
    JOIN code_rechtsgrundlage AS r ON r.id = a.rechtsgrundlage
    WHERE a.rowid BETWEEN :first_row AND :last_row
      AND a.snapshot_id = :snapshot
), vorher AS (
    SELECT a.person, r.gruppe, a.ags, a.geschlecht, a.geburtsdatum, a.staatsangehoerigkeit
    FROM aufenthalt AS a
    JOIN code_rechtsgrundlage AS r ON r.id = a.rechtsgrundlage
    WHERE a.rowid BETWEEN :prev_first_row AND :prev_last_row
      AND a.snapshot_id = :prev_snapshot
)
SELECT v.gruppe AS schutzstatus_vorher,
       coalesce(j.gruppe, 'nicht mehr im Bestand') AS schutzstatus,
       coalesce(j.ags, v.ags) AS gemeinde,
       g.code AS geschlecht,
       bimo_altersgruppe(coalesce(j.geburtsdatum, v.geburtsdatum), :stichtag) AS altersgruppe,
       coalesce(j.staatsangehoerigkeit, v.staatsangehoerigkeit) AS staat
FROM vorher AS v
LEFT JOIN jetzt AS j ON j.person = v.person
JOIN code_geschlecht AS g ON g.id = coalesce(j.geschlecht, v.geschlecht)
UNION ALL
SELECT 'neu', j.gruppe, j.ags, g.code, bimo_altersgruppe(j.geburtsdatum, :stichtag),
       j.staatsangehoerigkeit
FROM jetzt AS j
JOIN code_geschlecht AS g ON g.id = j.geschlecht
WHERE NOT EXISTS (SELECT 1 FROM vorher AS v WHERE v.person = j.person)
