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

SELECT bimo_altersgruppe(a.geburtsdatum, :stichtag) AS altersgruppe,
       a.ags AS gemeinde,
       r.gruppe AS schutzstatus,
       g.code AS geschlecht,
       a.staatsangehoerigkeit AS staat
FROM aufenthalt AS a
JOIN code_rechtsgrundlage AS r ON r.id = a.rechtsgrundlage
JOIN code_geschlecht AS g ON g.id = a.geschlecht
WHERE a.rowid BETWEEN :first_row AND :last_row
  AND a.snapshot_id = :snapshot
  AND r.gruppe <> 'kein Schutzstatus'
  AND bimo_age(a.geburtsdatum, :stichtag) < :alter_bis
