-- id: AUF-5
-- title: Dauer offener Verfahren
-- definition: Tage vom Asylantrag bis zum Stichtag für Personen mit offenem Schutzstatus
--   (Aufenthaltsgestattung, Ankunftsnachweis): Median sowie erstes und drittes Quartil.
-- unit: Tage
-- kind: quantile
-- numerator: Personen mit offenem Schutzstatus und bekanntem Datum des Asylantrags
-- dimensions: gemeinde, geschlecht, altersgruppe, staat
-- period: stichtag
-- source: aufenthalt
-- quelle: {quelle_aufenthalt}, Stichtag {stichtag}; eigene Berechnung
-- footnote: Quartile durch lineare Interpolation zwischen benachbarten Werten (Typ 7); der
--   Median einer geraden Anzahl ist der Mittelwert der beiden mittleren Werte.
-- footnote: Personen ohne Datum des Asylantrags sind nicht enthalten.
-- chart: bar
-- order: 250

SELECT a.ags AS gemeinde,
       g.code AS geschlecht,
       bimo_altersgruppe(a.geburtsdatum, :stichtag) AS altersgruppe,
       a.staatsangehoerigkeit AS staat,
       bimo_days(a.asylantrag_datum, :stichtag) AS value
FROM aufenthalt AS a
JOIN code_rechtsgrundlage AS r ON r.id = a.rechtsgrundlage
JOIN code_geschlecht AS g ON g.id = a.geschlecht
WHERE a.rowid BETWEEN :first_row AND :last_row
  AND a.snapshot_id = :snapshot
  AND r.gruppe = 'offen'
  AND a.asylantrag_datum IS NOT NULL
