"""sample_consistency.py DIR TO_YEAR — checks that the extracts of a "bimo sample" run agree
with each other: foreigners of the population register are known to the foreigners'
authority with the same attributes, identifiers are unique per file, dates are ordered,
titles are valid on the reference date, pupils in Jahrgang 4 move on to Jahrgang 5.
Prints what it checked; exits 1 on the first kind of disagreement. Standard library only."""
import csv
import glob
import os
import re
import sys
from datetime import date

out, to_year = sys.argv[1], int(sys.argv[2])
problems = 0
DATE = re.compile(r"^\d\d\.\d\d\.\d{4}$")


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def d(s):
    return date(int(s[6:10]), int(s[3:5]), int(s[0:2]))


def problem(text, rows, quiet=False):
    global problems
    if rows:
        problems += 1
        print(f"PROBLEM {text}: {len(rows)} rows, e.g. {rows[0]}")
    elif not quiet:
        print(f"ok      {text}")


day = f"{to_year}-12-31"
melde = read(os.path.join(out, f"melderegister_{day}.csv"))
auf = {r["person_id"]: r for r in read(os.path.join(out, f"aufenthalt_{day}.csv"))}
foreign = [r for r in melde if "000" not in (r["staatsangehoerigkeit"], r["staatsangehoerigkeit2"])]
keys = ("geburtsdatum", "geschlecht", "staatsangehoerigkeit", "ags")
problem("foreigners of melderegister missing in aufenthalt on 31.12.",
        [r["person_id"] for r in foreign if r["person_id"] not in auf])
problem("foreigners whose attributes differ between melderegister and aufenthalt",
        [r["person_id"] for r in foreign if r["person_id"] in auf
         and any(r[k] != auf[r["person_id"]][k] for k in keys)])
melde_ids = {r["person_id"] for r in melde}
problem("aufenthalt persons not in melderegister", [p for p in auf if p not in melde_ids])

files = sorted(glob.glob(os.path.join(out, "*.csv")))
for path in files:
    rows = read(path)
    name = os.path.basename(path)
    key = "schueler_id" if name.startswith("schul") else "person_id"
    ids = [r[key] for r in rows]
    if len(ids) != len(set(ids)):
        problem(f"{name}: duplicate {key}", [i for i in ids if ids.count(i) > 1][:1])
    date_cols = [c for c in rows[0] if c in ("stichtag", "geburtsdatum", "zuzugsdatum",
                 "einreisedatum", "gueltig_ab", "gueltig_bis", "asylantrag_datum",
                 "berechtigung_datum", "kursbeginn", "kursende", "pruefung_datum")] if rows else []
    bad = [r for r in rows for c in date_cols if r[c] and not DATE.match(r[c])]
    if bad:
        problem(f"{name}: dates not DD.MM.YYYY", bad)
    if name.startswith("aufenthalt"):
        problem(f"{name}: title not valid on the reference date",
                [r for r in rows if d(r["gueltig_ab"]) > d(r["stichtag"])
                 or (r["gueltig_bis"] and d(r["gueltig_bis"]) < d(r["stichtag"]))], True)
        problem(f"{name}: asylum application before entry",
                [r for r in rows if r["asylantrag_datum"] and r["einreisedatum"]
                 and d(r["asylantrag_datum"]) < d(r["einreisedatum"])], True)
    if name.startswith("melderegister"):
        problem(f"{name}: moved in before entering Germany or before birth",
                [r for r in rows if (r["zuzugsdatum"] and r["einreisedatum"]
                 and d(r["zuzugsdatum"]) < d(r["einreisedatum"]))
                 or (r["zuzugsdatum"] and d(r["zuzugsdatum"]) < d(r["geburtsdatum"]))], True)
    if name.startswith("integrationskurs"):
        problem(f"{name}: dates out of order",
                [r for r in rows if r["kursbeginn"] and d(r["kursbeginn"]) < d(r["berechtigung_datum"])
                 or r["pruefung_datum"] and d(r["pruefung_datum"]) < d(r["kursbeginn"])
                 or r["dtz_ergebnis"] and not r["pruefung_datum"]], True)

print(f"ok      {len(files)} files: unique ids, DD.MM.YYYY dates, titles valid on the reference date,"
      " entry before application and move, course dates in order")

# Jahrgang 4 at a Grundschule in one year, Jahrgang 5 (or 4 again) the next.
years = sorted(glob.glob(os.path.join(out, "schule_*.csv")))
found = total = 0
wrong = []
for a, b in zip(years, years[1:]):
    nxt = {r["schueler_id"]: r for r in read(b)}
    for r in read(a):
        if r["schulform"] == "GS" and r["jahrgang"] == "4":
            total += 1
            n = nxt.get(r["schueler_id"])
            if n:
                found += 1
                if n["jahrgang"] not in ("4", "5"):
                    wrong.append((r["schueler_id"], n["jahrgang"], n["schulform"]))
problem("Jahrgang 4 at a Grundschule followed by a Jahrgang other than 4 or 5", wrong)
share = 100.0 * found / total if total else 0
print(f"{'ok     ' if share > 90 else 'PROBLEM'} Jahrgang 4 pupils found in the next school year: {share:.1f} %")
problems += share <= 90
print(f"{problems} consistency problems")
sys.exit(1 if problems else 0)
