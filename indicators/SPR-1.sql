-- id: SPR-1
-- title: Teilnahmeberechtigungen
-- definition: Im Zeitraum ausgestellte Berechtigungen und Verpflichtungen zur Teilnahme an
--   einem Integrationskurs (Datum der Berechtigung im Zeitraum), nach Art (berechtigt,
--   verpflichtet) und ausstellender Stelle (Ausländerbehörde, Jobcenter, BAMF).
-- unit: Berechtigungen
-- kind: count
-- numerator: im Zeitraum ausgestellte Teilnahmeberechtigungen und -verpflichtungen
-- dimensions: berechtigung_art, ausgestellt_von, gemeinde, geschlecht, altersgruppe, staat
-- period: quartal
-- source: integrationskurs
-- quelle: {quelle_integrationskurs}, Datenstand {stichtag}; eigene Berechnung
-- footnote: Berechtigt: Anspruch oder Zulassung (§ 44 AufenthG); verpflichtet: Verpflichtung
--   durch Ausländerbehörde oder Jobcenter (§ 44a AufenthG).
-- footnote: Alter in vollendeten Jahren am Tag der Berechtigung; Gemeinde des Wohnorts laut
--   Datenstand.
-- chart: bar
-- order: 310

SELECT b.code AS berechtigung_art,
       s.code AS ausgestellt_von,
       k.ags AS gemeinde,
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
