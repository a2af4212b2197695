-- id: SPR-2
-- title: Kurseintrittsquote
-- definition: Anteil der im Zeitraum ausgestellten Teilnahmeberechtigungen und
--   -verpflichtungen, bei denen der Integrationskurs innerhalb von zwölf Monaten (Parameter
--   monate) nach dem Datum der Berechtigung begonnen hat, in Prozent. Ein Kursbeginn am Tag
--   der Berechtigung und am selben Kalendertag zwölf Monate später zählt mit. Eine Kohorte,
--   deren Frist am Datenstand (Stichtag der Datenlieferung) noch nicht abgelaufen ist, ist
--   vorläufig (p). Die Parameter art (berechtigt, verpflichtet) und stelle (ABH, Jobcenter,
--   BAMF) wählen Berechtigungen aus; Voreinstellung jeweils alle.
-- unit: %
-- kind: rate
-- numerator: Berechtigungen mit Kursbeginn innerhalb der Frist
-- denominator: im Zeitraum ausgestellte Berechtigungen und Verpflichtungen
-- dimensions: gemeinde, geschlecht, altersgruppe, staat
-- period: quartal
-- source: integrationskurs
-- parameter: monate = 12
-- parameter: art = alle
-- parameter: stelle = alle
-- quelle: {quelle_integrationskurs}, Datenstand {stichtag}; eigene Berechnung
-- footnote: p = vorläufig: für mindestens eine Berechtigung der Zelle läuft die Frist bis zum
--   Kursbeginn am Datenstand noch.
-- footnote: Alter in vollendeten Jahren am Tag der Berechtigung.
-- chart: bar
-- order: 320

-- :datenstand is the reference date of the snapshot (the integrationskurs extract is
-- cumulative); :stichtag is the end of the period.
SELECT k.ags AS gemeinde,
       g.code AS geschlecht,
       bimo_altersgruppe(k.geburtsdatum, k.berechtigung_datum) AS altersgruppe,
       k.staatsangehoerigkeit AS staat,
       (k.kursbeginn IS NOT NULL
        AND k.kursbeginn <= bimo_add_months(k.berechtigung_datum, :monate)) AS numerator,
       1 AS denominator,
       (bimo_add_months(k.berechtigung_datum, :monate) > :datenstand) AS provisional
FROM integrationskurs AS k
JOIN code_geschlecht AS g ON g.id = k.geschlecht
JOIN code_berechtigung_art AS b ON b.id = k.berechtigung_art
LEFT JOIN code_ausgestellt_von AS s ON s.id = k.ausgestellt_von
WHERE k.rowid BETWEEN :first_row AND :last_row
  AND k.snapshot_id = :snapshot
  AND k.berechtigung_datum BETWEEN :von AND :bis
  AND (:art = 'alle' OR b.code = :art)
  AND (:stelle = 'alle' OR s.code = :stelle)
