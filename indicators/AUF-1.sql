-- id: AUF-1
-- title: Schutzsuchende nach Schutzstatus
-- definition: Ausländerinnen und Ausländer, die sich unter Berufung auf völkerrechtliche,
--   humanitäre oder politische Gründe im Landkreis aufhalten, am Stichtag nach
--   Schutzstatus: offen (Aufenthaltsgestattung, Ankunftsnachweis), anerkannt befristet,
--   anerkannt unbefristet, abgelehnt (Duldung, vollziehbar ausreisepflichtig). Die
--   Zuordnung der Rechtsgrundlagen steht in indicators/codes/rechtsgrundlage.csv.
-- unit: Personen
-- kind: count
-- numerator: Schutzsuchende am Stichtag
-- dimensions: gemeinde, schutzstatus, geschlecht, altersgruppe, staat
-- period: stichtag
-- source: aufenthalt
-- quelle: {quelle_aufenthalt}, Stichtag {stichtag}; eigene Berechnung
-- footnote: Abgrenzung nach der Statistik der Schutzsuchenden des Statistischen Bundesamtes;
--   das Chancen-Aufenthaltsrecht (§ 104c AufenthG) zählt nicht als Schutzstatus.
-- chart: stacked-bar
-- order: 210

-- Read from the per-snapshot counts (aufenthalt_summary), not the person rows.
SELECT s.ags AS gemeinde,
       r.gruppe AS schutzstatus,
       g.code AS geschlecht,
       bimo_altersgruppe_of(s.alter_jahre) AS altersgruppe,
       s.staatsangehoerigkeit AS staat,
       s.n AS numerator
FROM aufenthalt_summary AS s
JOIN code_rechtsgrundlage AS r ON r.id = s.rechtsgrundlage
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE s.snapshot_id = :snapshot
  AND r.gruppe <> 'kein Schutzstatus'
