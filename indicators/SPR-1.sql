-- id: SPR-1
-- title: Teilnahmeberechtigungen
-- definition: Im Zeitraum ausgestellte Berechtigungen und Verpflichtungen zur Teilnahme an
--   einem Integrationskurs (Datum der Berechtigung im Zeitraum). Der Parameter art wählt die
--   Art (berechtigt, verpflichtet; Voreinstellung alle), der Parameter stelle die ausstellende
--   Stelle (ABH, Jobcenter, BAMF; Voreinstellung alle).
-- unit: Berechtigungen
-- kind: count
-- numerator: im Zeitraum ausgestellte Teilnahmeberechtigungen und -verpflichtungen
-- dimensions: gemeinde, geschlecht, altersgruppe, staat
-- period: quartal
-- source: integrationskurs
-- parameter: art = alle
-- parameter: stelle = alle
-- quelle: {quelle_integrationskurs}, Datenstand {stichtag}; eigene Berechnung
-- footnote: Berechtigt: Anspruch oder Zulassung (§ 44 AufenthG); verpflichtet: Verpflichtung
--   durch Ausländerbehörde oder Jobcenter (§ 44a AufenthG).
-- footnote: Alter in vollendeten Jahren am Tag der Berechtigung; Gemeinde des Wohnorts laut
--   Datenstand.
-- chart: bar
-- order: 310

SELECT k.ags AS gemeinde,
       g.code AS geschlecht,
       bimo_altersgruppe(k.geburtsdatum, k.berechtigung_datum) AS altersgruppe,
       k.staatsangehoerigkeit AS staat
FROM integrationskurs AS k
JOIN code_geschlecht AS g ON g.id = k.geschlecht
JOIN code_berechtigung_art AS b ON b.id = k.berechtigung_art
LEFT JOIN code_ausgestellt_von AS s ON s.id = k.ausgestellt_von
WHERE k.rowid BETWEEN :first_row AND :last_row
  AND k.snapshot_id = :snapshot
  AND k.berechtigung_datum BETWEEN :von AND :bis
  AND (:art = 'alle' OR b.code = :art)
  AND (:stelle = 'alle' OR s.code = :stelle)
