-- id: AUF-2a
-- title: Aufenthaltsstatus der ausländischen Bevölkerung nach Untergruppen
-- definition: Anteile der Untergruppen der Statusgruppen an allen Ausländerinnen und
--   Ausländern im Bestand der Ausländerbehörde am Stichtag, in Prozent: offen
--   (Aufenthaltsgestattung, Ankunftsnachweis), anerkannt befristet (aus dem Asylverfahren,
--   nicht aus dem Asylverfahren), anerkannt unbefristet (Niederlassungserlaubnis aus
--   humanitären Gründen), abgelehnt (geduldet, ohne Duldung) und ohne Schutzstatus
--   (EU-Freizügigkeit, Erwerbstätigkeit/Ausbildung/Studium, Familie, Niederlassungserlaubnis,
--   Sonstige). Die Untergruppe jeder Rechtsgrundlage steht in
--   indicators/codes/rechtsgrundlage.csv (Spalte untergruppe); die Statusgruppen zeigt AUF-2.
-- unit: %
-- kind: share
-- share_of: schutzstatus
-- numerator: Ausländerinnen und Ausländer der Untergruppe
-- denominator: Ausländerinnen und Ausländer im Bestand der Ausländerbehörde insgesamt
-- dimensions: schutzstatus, gemeinde, geschlecht, altersgruppe, staat
-- period: stichtag
-- source: aufenthalt
-- quelle: {quelle_aufenthalt}, Stichtag {stichtag}; eigene Berechnung
-- footnote: Die Untergruppen werden in der Spalte Schutzstatus ausgewiesen; ihre Summe je
--   Statusgruppe ergibt die Werte von AUF-2.
-- footnote: Die Anteile sind aus ungerundeten Zahlen berechnet.
-- chart: stacked-bar-100
-- order: 221

-- Read from the per-snapshot counts (aufenthalt_summary), not the person rows.
SELECT r.untergruppe AS schutzstatus,
       s.ags AS gemeinde,
       g.code AS geschlecht,
       bimo_altersgruppe_of(s.alter_jahre) AS altersgruppe,
       s.staatsangehoerigkeit AS staat,
       s.n AS numerator
FROM aufenthalt_summary AS s
JOIN code_rechtsgrundlage AS r ON r.id = s.rechtsgrundlage
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE s.snapshot_id = :snapshot
