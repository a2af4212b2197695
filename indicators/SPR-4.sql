-- id: SPR-4
-- title: Kurseintritte
-- definition: Im Zeitraum begonnene Integrationskurse (Kursbeginn im Zeitraum) nach Kursart
--   und Geschlecht. Den Anteil der Frauen an den Kurseintritten zeigt SPR-4a.
-- unit: Kurseintritte
-- kind: count
-- numerator: Kurseintritte im Zeitraum
-- dimensions: kursart, geschlecht, gemeinde, altersgruppe, staat
-- period: quartal
-- source: integrationskurs
-- quelle: {quelle_integrationskurs}, Datenstand {stichtag}; eigene Berechnung
-- footnote: Gezählt wird jeder Kursbeginn; wer im Zeitraum zwei Kurse beginnt, zählt zweimal.
-- footnote: Alter in vollendeten Jahren am Tag des Kursbeginns.
-- chart: grouped-bar
-- order: 340

SELECT ka.code AS kursart,
       g.code AS geschlecht,
       k.ags AS gemeinde,
       bimo_altersgruppe(k.geburtsdatum, k.kursbeginn) AS altersgruppe,
       k.staatsangehoerigkeit AS staat
FROM integrationskurs AS k
JOIN code_geschlecht AS g ON g.id = k.geschlecht
LEFT JOIN code_kursart AS ka ON ka.id = k.kursart
WHERE k.rowid BETWEEN :first_row AND :last_row
  AND k.snapshot_id = :snapshot
  AND k.kursbeginn BETWEEN :von AND :bis
