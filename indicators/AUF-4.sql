-- id: AUF-4
-- title: Statuswechsel
-- definition: Eine Zeile der Übergangsmatrix der Statusgruppen zwischen dem vorigen Stichtag
--   und dem Stichtag: die Ausländerinnen und Ausländer, die am vorigen Stichtag zur
--   Statusgruppe offen gehörten (Parameter vorher), nach ihrer Statusgruppe am Stichtag,
--   in Prozent; wer am Stichtag nicht mehr im Bestand der Ausländerbehörde ist, zählt als
--   "nicht mehr im Bestand". Mit vorher = neu: die Personen, die am Stichtag im Bestand sind,
--   am vorigen Stichtag aber nicht, nach ihrer Statusgruppe am Stichtag. Personen werden über
--   ihr Pseudonym verknüpft. Voriger Stichtag: bei einem Jahr der 31.12. des Vorjahres, bei
--   einem Quartal das Ende des Vorquartals, bei einem Datum der letzte Stichtag davor. Die
--   ganze Matrix ergibt sich aus den Zeilen vorher = offen, anerkannt befristet, anerkannt
--   unbefristet, abgelehnt, kein Schutzstatus und neu.
-- unit: %
-- kind: share
-- share_of: schutzstatus
-- numerator: Personen nach Statusgruppe am Stichtag
-- denominator: Personen der Statusgruppe (Parameter vorher) am vorigen Stichtag; bei vorher =
--   neu Personen, die am vorigen Stichtag nicht im Bestand waren
-- dimensions: schutzstatus, gemeinde, geschlecht, altersgruppe, staat
-- period: stichtag
-- source: aufenthalt
-- parameter: vorher = offen
-- quelle: {quelle_aufenthalt}, Stichtag {stichtag} und voriger Stichtag; eigene Berechnung
-- footnote: Gemeinde, Geschlecht und Staatsangehörigkeit am Stichtag, bei Personen, die nicht
--   mehr im Bestand sind, am vorigen Stichtag; Alter in vollendeten Jahren am Stichtag.
-- footnote: "Nicht mehr im Bestand" umfasst Fortzug, Ausreise, Einbürgerung und Tod.
-- chart: stacked-bar-100
-- order: 240

-- The engine has one schutzstatus dimension, so a query gives one row of the matrix: the
-- group at the previous reference date is the parameter vorher, the group now the dimension.
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
SELECT coalesce(j.gruppe, 'nicht mehr im Bestand') AS schutzstatus,
       coalesce(j.ags, v.ags) AS gemeinde,
       g.code AS geschlecht,
       bimo_altersgruppe(coalesce(j.geburtsdatum, v.geburtsdatum), :stichtag) AS altersgruppe,
       coalesce(j.staatsangehoerigkeit, v.staatsangehoerigkeit) AS staat
FROM vorher AS v
LEFT JOIN jetzt AS j ON j.person = v.person
JOIN code_geschlecht AS g ON g.id = coalesce(j.geschlecht, v.geschlecht)
WHERE v.gruppe = :vorher
UNION ALL
SELECT j.gruppe, j.ags, g.code, bimo_altersgruppe(j.geburtsdatum, :stichtag),
       j.staatsangehoerigkeit
FROM jetzt AS j
JOIN code_geschlecht AS g ON g.id = j.geschlecht
WHERE :vorher = 'neu'
  AND NOT EXISTS (SELECT 1 FROM vorher AS v WHERE v.person = j.person)
