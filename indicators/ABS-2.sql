-- id: ABS-2
-- title: Quote ohne Hauptschulabschluss
-- definition: Abgängerinnen und Abgänger der allgemeinbildenden Schulen im Landkreis ohne
--   Hauptschulabschluss am Ende des Schuljahres (auch mit dem Abschluss der Förderschule) in
--   Prozent des Mittelwerts der 15- und der 16-Jährigen mit Hauptwohnsitz im Landkreis am
--   31.12. des Abgangsjahres, nach Staatsangehörigkeit (deutsch/nichtdeutsch) und
--   Geschlecht. Abgangsjahr ist das Kalenderjahr, in dem das Schuljahr endet (Schuljahr
--   2024/25: Abgang im Sommer 2025, Bevölkerung am 31.12.2025), so dass Abgang und
--   Bevölkerung im selben Berichtsjahr liegen. Der Nenner ist die Summe der beiden
--   Altersjahrgänge; der Faktor 200 statt 100 macht daraus den Mittelwert. Die Bevölkerung
--   kommt aus dem Einwohnermelderegister am 31.12. des Abgangsjahres; ist dieser Stichtag
--   nicht importiert, bleiben Zähler, Nenner und Quote leer (0).
-- unit: %
-- kind: rate
-- factor: 200
-- numerator: Abgängerinnen und Abgänger ohne Hauptschulabschluss
-- denominator: 15- und 16-Jährige am 31.12. des Abgangsjahres (Summe beider Altersjahrgänge;
--   die Quote bezieht sich auf ihren Mittelwert)
-- dimensions: deutsch, geschlecht
-- period: schuljahr
-- source: schulabgang
-- quelle: {quelle_schulabgang}, {periode} (Abgang zum Schuljahresende);
--   {quelle_melderegister}, Stichtag 31.12. des Abgangsjahres; eigene Berechnung
-- footnote: Abgängerinnen und Abgänger gezählt am Schulort, die Bevölkerung am Wohnort; die
--   Quote ist deshalb nur für den Landkreis insgesamt ausgewiesen, nicht für Gemeinden.
-- footnote: Alter in vollendeten Jahren am 31.12.; deutsch ist, wer (auch) die deutsche
--   Staatsangehörigkeit hat.
-- footnote: Bevölkerungsbezogene Quote, wie sie der Anwendungsleitfaden zum kommunalen
--   Bildungsmonitoring für Kreise empfiehlt, weil das Quotensummenverfahren dort nicht möglich
--   ist.
-- chart: bar
-- order: 520

-- Two sources in one query: the leavers of the school year (the snapshot bimo binds) and
-- the population register at 31.12. of the year the school year ends, looked up in the
-- snapshot table by its reference date. bimo knows only the first source, so a missing
-- population snapshot cannot make the period "no data"; the leavers are then left out as
-- well, since a rate with a count over a zero denominator would be shown as exactly zero
-- and escape disclosure control.
SELECT g.code AS geschlecht,
       (a.staatsangehoerigkeit = 0) AS deutsch,
       1 AS numerator,
       0 AS denominator
FROM schulabgang AS a
JOIN code_abschluss AS k ON k.id = a.abschluss
JOIN code_schulform AS f ON f.id = a.schulform
JOIN code_geschlecht AS g ON g.id = a.geschlecht
WHERE a.rowid BETWEEN :first_row AND :last_row
  AND a.snapshot_id = :snapshot
  AND k.kategorie = '1'
  AND f.code <> 'BBS'
  AND EXISTS (SELECT 1 FROM snapshot AS b
              WHERE b.source = 'melderegister'
                AND b.stichtag = (:schuljahr + 1) * 10000 + 1231)
UNION ALL
-- The denominator from the register's per-snapshot counts (alter_jahre is the age at the
-- snapshot's stichtag, deutsch as above): a few hundred rows instead of every person.
SELECT g.code AS geschlecht,
       s.deutsch AS deutsch,
       0 AS numerator,
       s.n AS denominator
FROM snapshot AS sn
JOIN melderegister_summary AS s ON s.snapshot_id = sn.id
JOIN code_geschlecht AS g ON g.id = s.geschlecht
WHERE sn.source = 'melderegister'
  AND sn.stichtag = (:schuljahr + 1) * 10000 + 1231
  AND s.alter_jahre IN (15, 16)
