-- id: ABS-1
-- title: Abgänger nach Abschluss
-- definition: Abgängerinnen und Abgänger der allgemeinbildenden Schulen im Landkreis am Ende
--   des Schuljahres nach der Abschlussart des Bundes (ohne Hauptschulabschluss,
--   Hauptschulabschluss, mittlerer Abschluss, Fachhochschulreife, allgemeine
--   Hochschulreife), in Prozent aller Abgängerinnen und Abgänger, nach Staatsangehörigkeit
--   (deutsch/nichtdeutsch), Geschlecht, Schulform und Schulort. Die Abschlüsse
--   Niedersachsens sind den Kategorien in indicators/codes/abschluss.csv zugeordnet;
--   Abgängerinnen und Abgänger von Förderschulen ohne Hauptschulabschluss (auch mit dem
--   Abschluss der Förderschule) zählen als "ohne Hauptschulabschluss".
-- unit: %
-- kind: share
-- share_of: abschluss
-- numerator: Abgängerinnen und Abgänger mit der Abschlussart
-- denominator: Abgängerinnen und Abgänger insgesamt
-- dimensions: abschluss, deutsch, geschlecht, schulform, gemeinde
-- period: schuljahr
-- source: schulabgang
-- quelle: {quelle_schulabgang}, {periode} (Abgang zum Schuljahresende); eigene Berechnung
-- footnote: Gezählt am Schulort, nicht am Wohnort; Gemeinde ist der Schulort.
-- footnote: Die Zweige der Kooperativen Gesamtschule zählen bei der entsprechenden Schulform.
-- footnote: Die Anteile sind aus ungerundeten Zahlen berechnet.
-- chart: stacked-bar-100
-- order: 510

SELECT k.kategorie AS abschluss,
       (a.staatsangehoerigkeit = 0) AS deutsch,
       g.code AS geschlecht,
       f.zaehltals AS schulform,
       a.ags_schule AS gemeinde
FROM schulabgang AS a
JOIN code_abschluss AS k ON k.id = a.abschluss
JOIN code_geschlecht AS g ON g.id = a.geschlecht
JOIN code_schulform AS f ON f.id = a.schulform
WHERE a.rowid BETWEEN :first_row AND :last_row
  AND a.snapshot_id = :snapshot
  AND f.code <> 'BBS'
