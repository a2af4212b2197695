-- id: AUF-3
-- title: Schutzsuchende im Bildungsalter
-- definition: Schutzsuchende (Statusgruppen offen, anerkannt befristet, anerkannt
--   unbefristet, abgelehnt) im Bestand der Ausländerbehörde am Stichtag, die jünger als 25
--   Jahre sind (Parameter alter_bis: von der Krippe bis zu Ausbildung und Studium), nach
--   Bildungsphasen (Altersgruppen) und Wohnort (Gemeinde, Kommune, Region); für die Planung
--   von Plätzen in Kindertagesstätten, Schulen und berufsbildenden Schulen.
-- unit: Personen
-- kind: count
-- numerator: Schutzsuchende unter 25 Jahren am Stichtag
-- dimensions: altersgruppe, gemeinde, schutzstatus, geschlecht, staat
-- period: stichtag
-- source: aufenthalt
-- parameter: alter_bis = 25
-- quelle: {quelle_aufenthalt}, Stichtag {stichtag}; eigene Berechnung
-- footnote: Abgrenzung der Schutzsuchenden nach der Statistik der Schutzsuchenden des
--   Statistischen Bundesamtes; das Chancen-Aufenthaltsrecht (§ 104c AufenthG) zählt nicht als
--   Schutzstatus. Alle Altersgruppen zeigt AUF-1.
-- footnote: Alter in vollendeten Jahren am Stichtag; Altersgruppen nach Bildungsphasen.
-- chart: grouped-bar
-- order: 230

-- Read from the per-snapshot counts (aufenthalt_summary), not the person rows; alter_jahre is
-- the age in completed years at the snapshot's stichtag.
SELECT bimo_altersgruppe_of(s.alter_jahre) AS altersgruppe,
       s.ags AS gemeinde,
       r.gruppe AS schutzstatus,
       g.code AS geschlecht,
       s.staatsangehoerigkeit AS staat,
       s.n AS numerator
FROM aufenthalt_summary AS s
JOIN code_rechtsgrundlage AS r ON r.id = s.rechtsgrundlage
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE s.snapshot_id = :snapshot
  AND r.gruppe <> 'kein Schutzstatus'
  AND s.alter_jahre < :alter_bis
