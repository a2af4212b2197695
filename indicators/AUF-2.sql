-- id: AUF-2
-- title: Aufenthaltsstatus der ausländischen Bevölkerung
-- definition: Anteile der Statusgruppen an allen Ausländerinnen und Ausländern im Bestand der
--   Ausländerbehörde am Stichtag, in Prozent: offen, anerkannt befristet, anerkannt
--   unbefristet, abgelehnt (Schutzsuchende) und kein Schutzstatus. Die Zuordnung der
--   Rechtsgrundlagen steht in indicators/codes/rechtsgrundlage.csv; die Untergruppen zeigt
--   AUF-2a.
-- unit: %
-- kind: share
-- share_of: schutzstatus
-- numerator: Ausländerinnen und Ausländer der Statusgruppe
-- denominator: Ausländerinnen und Ausländer im Bestand der Ausländerbehörde insgesamt
-- dimensions: schutzstatus, gemeinde, geschlecht, altersgruppe, staat
-- period: stichtag
-- source: aufenthalt
-- quelle: {quelle_aufenthalt}, Stichtag {stichtag}; eigene Berechnung
-- footnote: Abgrenzung der Schutzsuchenden nach der Statistik der Schutzsuchenden des
--   Statistischen Bundesamtes; das Chancen-Aufenthaltsrecht (§ 104c AufenthG) zählt nicht als
--   Schutzstatus.
-- footnote: Die Anteile sind aus ungerundeten Zahlen berechnet.
-- chart: stacked-bar-100
-- order: 220

-- Read from the per-snapshot counts (aufenthalt_summary), not the person rows.
SELECT r.gruppe AS schutzstatus,
       s.ags AS gemeinde,
       g.code AS geschlecht,
       bimo_altersgruppe_of(s.alter_jahre) AS altersgruppe,
       s.staatsangehoerigkeit AS staat,
       s.n AS numerator
FROM aufenthalt_summary AS s
JOIN code_rechtsgrundlage AS r ON r.id = s.rechtsgrundlage
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE s.snapshot_id = :snapshot
