"""sample_shape.py DIR DATA_DIR PERSONS TO_YEAR — computes the shapes of a "bimo sample" run
and checks them against the published figures the generator imitates. Prints every figure
with its tolerance; exits 1 if any is outside. Standard library only."""
import csv
import glob
import os
import statistics
import sys
from datetime import date

out, data, persons, to_year = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
failures = 0


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def codes(name, key, value):
    return {r[key]: r[value] for r in read(os.path.join(data, "indicators", "codes", name))}


def check(label, value, lo, hi, unit="%"):
    global failures
    ok = lo <= value <= hi
    failures += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {label:<58} {value:10.2f}{unit}  [{lo:g} .. {hi:g}]")


def share(part, whole):
    return 100.0 * part / whole if whole else 0.0


def check_share(label, part, whole, target, pp=3):
    """A share within pp percentage points of target, or three standard errors of a sample
    of size whole, whichever is wider (small groups vary more between seeds)."""
    p = target / 100.0
    tol = max(pp, 300.0 * (p * (1 - p) / whole) ** 0.5) if whole else pp
    check(label, share(part, whole), max(0, round(target - tol, 1)), round(target + tol, 1))


def ddmmyyyy(s):
    return date(int(s[6:10]), int(s[3:5]), int(s[0:2]))


gruppe = codes("rechtsgrundlage.csv", "code", "gruppe")
zaehlt = codes("schulform.csv", "code", "zaehlt_als")
kategorie = codes("abschluss.csv", "code", "kategorie")
stichtag = f"{to_year}-12-31"

# Population register and foreigners' authority on the last reference date.
melde = read(os.path.join(out, f"melderegister_{stichtag}.csv"))
auf = read(os.path.join(out, f"aufenthalt_{stichtag}.csv"))
n = len(melde)
check("population on 31.12. vs --persons", share(n, persons), 90, 110)
foreign = [r for r in melde if "000" not in (r["staatsangehoerigkeit"], r["staatsangehoerigkeit2"])]
check("foreigners, share of population", share(len(foreign), n), 8, 12)
dual = [r for r in melde if r["staatsangehoerigkeit2"] == "000"]
print(f"     dual nationals written with 000 second: {len(dual)}")

schutz = [r for r in auf if gruppe[r["rechtsgrundlage"]] != "kein Schutzstatus"]
ns = len(schutz)
check("persons seeking protection, share of population", share(ns, n), 0.9, 1.5)
g = lambda name: sum(1 for r in schutz if gruppe[r["rechtsgrundlage"]] == name)
check_share("  recognised (befristet + unbefristet)",
            g("anerkannt befristet") + g("anerkannt unbefristet"), ns, 80)
check_share("  open procedures", g("offen"), ns, 14)
check_share("  rejected", g("abgelehnt"), ns, 6)
for code, name, target in (("166", "Ukraine", 31), ("475", "Syria", 22), ("423", "Afghanistan", 10),
                           ("438", "Iraq", 6), ("163", "Türkiye", 5)):
    check_share(f"  nationality {name}",
                sum(1 for r in schutz if r["staatsangehoerigkeit"] == code), ns, target)
check_share("  female", sum(1 for r in schutz if r["geschlecht"] == "w"), ns, 50)
end = date(to_year, 12, 31)
minors = sum(1 for r in schutz if (end - ddmmyyyy(r["geburtsdatum"])).days < 18 * 365.25)
check_share("  under 18", minors, ns, 29)

# Schools: transitions into Schuljahrgang 5 (without Förderschulen), pooled over the years.
jg5, jg5_de, jg5_nd = {}, {}, {}
pupils = general = foes = slk = slk_high = 0
for path in sorted(glob.glob(os.path.join(out, "schule_*.csv"))):
    for r in read(path):
        pupils += 1
        general += r["schulform"] != "BBS"
        foes += r["schulform"] == "FOES"
        if r["sprachlernklasse"] == "1":
            slk += 1
            slk_high += int(r["jahrgang"]) > 10
        if r["jahrgang"] != "5" or r["schulform"] == "FOES":
            continue
        f = zaehlt[r["schulform"]]
        jg5[f] = jg5.get(f, 0) + 1
        d = jg5_de if r["staatsangehoerigkeit"] == "000" else jg5_nd
        d[f] = d.get(f, 0) + 1
t5 = sum(jg5.values())
for f, target in (("GYM", 40), ("OBS", 33), ("IGS", 12), ("RS", 10), ("HS", 3)):
    check_share(f"Jahrgang 5 at {f}", jg5.get(f, 0), t5, target)
gym_de = share(jg5_de.get("GYM", 0), sum(jg5_de.values()))
gym_nd = share(jg5_nd.get("GYM", 0), sum(jg5_nd.values()))
check("Jahrgang 5 at GYM, German minus non-German pupils", gym_de - gym_nd, 5, 40, " pp")
check("pupils at a Förderschule (general schools)", share(foes, general), 2.5, 5.5)
check("pupils in Sprachlernklassen (all in Jahrgang 1-10)", share(slk, pupils), 0.3, 5)
check("  Sprachlernklasse pupils above Jahrgang 10", slk_high, 0, 0, "")

# Leavers by federal qualification category, pooled.
cat, cat_nd, leavers, leavers_nd = {}, {}, 0, 0
for path in glob.glob(os.path.join(out, "schulabgang_*.csv")):
    for r in read(path):
        k = kategorie[r["abschluss"]]
        cat[k] = cat.get(k, 0) + 1
        leavers += 1
        if r["staatsangehoerigkeit"] != "000":
            cat_nd[k] = cat_nd.get(k, 0) + 1
            leavers_nd += 1
for k, name, target in (("1", "ohne Hauptschulabschluss", 7), ("2", "Hauptschulabschluss", 17),
                        ("3", "mittlerer Abschluss", 43), ("5", "allgemeine Hochschulreife", 33)):
    check_share(f"leavers: {name}", cat.get(k, 0), leavers, target)
check("leavers: Fachhochschulreife (schulischer Teil)", share(cat.get("4", 0), leavers), 0, 3)
check("leavers without HSA, non-German minus all", share(cat_nd.get("1", 0), leavers_nd)
      - share(cat.get("1", 0), leavers), 3, 30, " pp")

# Integration courses: waiting times and DTZ results.
kurs = read(glob.glob(os.path.join(out, "integrationskurs_*.csv"))[0])
waits = {"berechtigt": [], "verpflichtet": []}
dtz = {}
for r in kurs:
    if r["kursbeginn"]:
        days = (ddmmyyyy(r["kursbeginn"]) - ddmmyyyy(r["berechtigung_datum"])).days
        waits[r["berechtigung_art"]].append(days / 30.44)
    if r["dtz_ergebnis"]:
        dtz[r["dtz_ergebnis"]] = dtz.get(r["dtz_ergebnis"], 0) + 1
        if not r["pruefung_datum"]:
            check("DTZ result without exam date", 1, 0, 0, "")
check("median wait to course start, berechtigt", statistics.median(waits["berechtigt"]), 3, 5.5,
      " months")
check("median wait to course start, verpflichtet", statistics.median(waits["verpflichtet"]), 5.5,
      8.5, " months")
td = sum(dtz.values())
for k, target in (("B1", 50), ("A2", 38), ("unter A2", 12)):
    check_share(f"DTZ {k}", dtz.get(k, 0), td, target)

print(f"{failures} shape checks failed")
sys.exit(1 if failures else 0)
