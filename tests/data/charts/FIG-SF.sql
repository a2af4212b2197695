-- id: FIG-SF
-- title: Schülerinnen und Schüler nach Schulform
-- definition: Feste Testwerte für die Diagramme; im Jahr J kommen in der Grundschule je
--   Geschlecht 10 x (J - 2020) hinzu.
-- unit: Personen
-- kind: count
-- numerator: Schülerinnen und Schüler
-- dimensions: schulform, geschlecht
-- period: jahr
-- source: none
-- quelle: Testquelle Schulstatistik, {periode}
-- footnote: Testdaten.
-- chart: bar

-- FOES has 1 + 1 pupils: secret, with a complement.
SELECT column1 AS schulform, column2 AS geschlecht,
       column3 + CASE WHEN column1 = 'GS' THEN 10 * (:stichtag / 10000 - 2020) ELSE 0 END
           AS numerator
FROM (VALUES ('GS', 'm', 400), ('GS', 'w', 390), ('HS', 'm', 30), ('HS', 'w', 25),
             ('RS', 'm', 120), ('RS', 'w', 130), ('GYM', 'm', 210), ('GYM', 'w', 260),
             ('Integrierte Gesamtschule mit gymnasialer Oberstufe', 'm', 80),
             ('Integrierte Gesamtschule mit gymnasialer Oberstufe', 'w', 85),
             ('FOES', 'm', 1), ('FOES', 'w', 1))
