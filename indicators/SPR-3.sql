-- id: SPR-3
-- title: Wartezeit bis Kursbeginn
-- definition: Tage vom Datum der Teilnahmeberechtigung oder -verpflichtung bis zum Beginn des
--   Integrationskurses, für die im Zeitraum begonnenen Kurse: Median sowie erstes und drittes
--   Quartil. Ein Kursbeginn am Tag der Berechtigung zählt mit 0 Tagen. Die Parameter art
--   (berechtigt, verpflichtet) und stelle (ABH, Jobcenter, BAMF) wählen Berechtigungen aus;
--   Voreinstellung jeweils alle.
-- unit: Tage
-- kind: quantile
-- numerator: im Zeitraum begonnene Integrationskurse
-- dimensions: kursart, geschlecht, gemeinde, altersgruppe, staat
-- period: quartal
-- source: integrationskurs
-- parameter: art = alle
-- parameter: stelle = alle
-- quelle: {quelle_integrationskurs}, Datenstand {stichtag}; eigene Berechnung
-- footnote: Quartile durch lineare Interpolation zwischen benachbarten Werten (Typ 7); der
--   Median einer geraden Anzahl ist der Mittelwert der beiden mittleren Werte.
-- footnote: Alter in vollendeten Jahren am Tag des Kursbeginns.
-- chart: bar
-- order: 330

SELECT ka.code AS kursart,
       g.code AS geschlecht,
       k.ags AS gemeinde,
       bimo_altersgruppe(k.geburtsdatum, k.kursbeginn) AS altersgruppe,
       k.staatsangehoerigkeit AS staat,
       bimo_days(k.berechtigung_datum, k.kursbeginn) AS value
FROM integrationskurs AS k
JOIN code_geschlecht AS g ON g.id = k.geschlecht
JOIN code_berechtigung_art AS b ON b.id = k.berechtigung_art
LEFT JOIN code_ausgestellt_von AS s ON s.id = k.ausgestellt_von
LEFT JOIN code_kursart AS ka ON ka.id = k.kursart
WHERE k.rowid BETWEEN :first_row AND :last_row
  AND k.snapshot_id = :snapshot
  AND k.kursbeginn BETWEEN :von AND :bis
  AND (:art = 'alle' OR b.code = :art)
  AND (:stelle = 'alle' OR s.code = :stelle)
