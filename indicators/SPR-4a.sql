-- id: SPR-4a
-- title: Frauenanteil an den Kurseintritten
-- definition: Anteil der Frauen an den im Zeitraum begonnenen Integrationskursen (Kursbeginn
--   im Zeitraum), in Prozent, nach Kursart. Die Kurseintritte selbst zeigt SPR-4.
-- unit: %
-- kind: rate
-- numerator: Kurseintritte von Frauen
-- denominator: Kurseintritte insgesamt
-- dimensions: kursart, gemeinde, altersgruppe, staat
-- period: quartal
-- source: integrationskurs
-- quelle: {quelle_integrationskurs}, Datenstand {stichtag}; eigene Berechnung
-- footnote: Im Nenner zählen alle Kurseintritte, auch von Personen mit dem Geschlecht divers
--   oder ohne Angabe.
-- footnote: Alter in vollendeten Jahren am Tag des Kursbeginns.
-- chart: bar
-- order: 341

SELECT ka.code AS kursart,
       k.ags AS gemeinde,
       bimo_altersgruppe(k.geburtsdatum, k.kursbeginn) AS altersgruppe,
       k.staatsangehoerigkeit AS staat,
       (g.code = 'w') AS numerator,
       1 AS denominator
FROM integrationskurs AS k
JOIN code_geschlecht AS g ON g.id = k.geschlecht
LEFT JOIN code_kursart AS ka ON ka.id = k.kursart
WHERE k.rowid BETWEEN :first_row AND :last_row
  AND k.snapshot_id = :snapshot
  AND k.kursbeginn BETWEEN :von AND :bis
