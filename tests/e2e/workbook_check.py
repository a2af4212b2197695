#!/usr/bin/python3
"""workbook_check.py — reads a workbook written by `bimo workbook` back with openpyxl and
compares it with `bimo indicators compute` of the same tables: every value, symbol and code
cell of each table sheet and of the data sheet, sheet names, frozen panes, number formats,
AGS codes as text, the links of the contents sheet, no formulas, no NaN.

Usage: workbook_check.py BOOK.xlsx RESULTS.json RESULTS.csv [--intern]
RESULTS.json/.csv: `bimo indicators compute IDS... --format json|csv` with the workbook's
ids, period and --by, in the same order. Prints one line per problem; exit 1 if any."""
import csv
import math
import sys

import openpyxl

PROBLEMS = []
CHECKS = [0]
SYMBOL_CELLS = [0]
PROVISIONAL_CELLS = [0]


def check(ok, what):
    CHECKS[0] += 1
    if not ok:
        PROBLEMS.append(what)
    return ok


FIXED = ["Deckblatt", "Inhalt", "Erläuterungen"]
CODE_DIMS = {"gemeinde": "Gemeindeschlüssel", "staat": "Schlüssel"}
SYMBOLS = {".", "/", "…", "x"}
DIM_TITLES = {"gemeinde": "Gemeinde", "kommune": "Kommune", "region": "Region",
              "geschlecht": "Geschlecht", "altersgruppe": "Altersgruppe",
              "deutsch": "Deutsche/Ausländer", "staat": "Staatsangehörigkeit",
              "schutzstatus": "Schutzstatus", "kursart": "Kursart", "schulform": "Schulform",
              "abschluss": "Abschluss", "bildungsgang": "Bildungsgang"}
PERIOD_TITLES = {"stichtag": "Stichtag", "jahr": "Jahr", "quartal": "Zeitraum",
                 "schuljahr": "Schuljahr"}


def period_text(res, per):
    kind = res["indicator"]["period"]
    if kind == "stichtag":
        y, m, d = per["stichtag"].split("-")
        return f"{d}.{m}.{y}"
    if kind == "schuljahr":
        return per["period"]
    return per["label"]


def measures(ind):
    if ind["kind"] == "count":
        return [("Anzahl", "value")]
    if ind["kind"] == "quantile":
        u = ind["unit"]
        return [("Fälle", "numerator"), (f"1. Quartil ({u})", "q1"), (f"Median ({u})", "median"),
                (f"3. Quartil ({u})", "q3")]
    share = "Anteil in %" if ind["unit"] == "%" else ind["unit"]
    return [("Zähler", "numerator"), ("Nenner", "denominator"), (share, "value")]


def layout(res):
    """The table layout bimo documents: a time series spreads the periods over the columns,
    one period spreads the last of two or more dimensions, else only the measures."""
    dims, nper = res["dimensions"], len(res["periods"])
    period_col = nper > 1 and dims
    period_row = nper > 1 and not dims
    coldim = dims[-1] if nper == 1 and len(dims) > 1 else None
    rowdims = [d for d in dims if d != coldim]
    nstub = int(period_row) + sum(2 if d in CODE_DIMS else 1 for d in rowdims)
    spread = period_col or coldim
    nm = len(measures(res["indicator"]))
    header_rows = (2 if spread else 0) + (1 if nm > 1 or not spread else 0)
    return period_col, period_row, coldim, rowdims, max(nstub, 1), header_rows


def merged_value(ws, row, col):
    """The value shown at (row, col), also inside a merged range."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return ws.cell(rng.min_row, rng.min_col).value
    return ws.cell(row, col).value


def symbol_of(flag):
    return flag if flag in SYMBOLS else "–"


def same_number(a, b):
    return isinstance(a, (int, float)) and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def check_table(ws, res, csv_rows, name):
    ind = res["indicator"]
    period_col, period_row, coldim, rowdims, nstub, hrows = layout(res)
    first = 5 + hrows  # 1-based first data row; headers start in row 5
    check(ws.freeze_panes == f"{openpyxl.utils.get_column_letter(nstub + 1)}{first}",
          f"{name}: frozen panes {ws.freeze_panes}, expected column {nstub + 1} row {first}")
    check(ws.print_title_rows == f"$5:${first - 1}",
          f"{name}: repeated rows {ws.print_title_rows}")
    check(ws.sheet_properties.pageSetUpPr.fitToPage, f"{name}: fit to page width")
    # Stub columns: their header titles, then the rows by their stub texts.
    stub_titles = [merged_value(ws, 5, c) for c in range(1, nstub + 1)]
    want_titles = [PERIOD_TITLES[ind["period"]]] if period_row else []
    for d in rowdims:
        if d in CODE_DIMS:
            want_titles.append(CODE_DIMS[d])
        want_titles.append(DIM_TITLES[d])
    if want_titles:
        check(stub_titles == want_titles, f"{name}: stub titles {stub_titles} != {want_titles}")
    rows = {}
    r = first
    while ws.cell(r, nstub + 1).value is not None or any(
            ws.cell(r, c).value is not None for c in range(1, nstub + 1)):
        rows[tuple(ws.cell(r, c).value for c in range(1, nstub + 1))] = r
        r += 1
    # Column headers: (category, measure) of every data column.
    ms = measures(ind)
    cols = {}
    c = nstub + 1
    while merged_value(ws, first - 1, c) is not None:
        cat = merged_value(ws, 6, c) if (period_col or coldim) else None
        meas = merged_value(ws, first - 1, c) if (len(ms) > 1 or not (period_col or coldim)) else ms[0][0]
        cols[(cat, meas)] = c
        c += 1
    nrow_cells = 0
    for row, crow in zip(res["rows"], csv_rows):
        per = res["periods"][[p["period"] for p in res["periods"]].index(row["period"])]
        stub = []
        if period_row:
            stub.append(period_text(res, per))
        for d in rowdims:
            if d in CODE_DIMS:
                stub.append(None if row[d] == "Insgesamt" else row[d])
            stub.append(row[d + "_label"])
        if not stub:
            stub = ["Insgesamt"]
        cat = period_text(res, per) if period_col else row[coldim + "_label"] if coldim else None
        if not check(tuple(stub) in rows, f"{name}: no table row {stub}"):
            continue
        for title, field in ms:
            if not check((cat, title) in cols, f"{name}: no column {(cat, title)}"):
                continue
            cell = ws.cell(rows[tuple(stub)], cols[(cat, title)])
            nrow_cells += 1
            want = crow[field] if field in crow else row[field]
            if want not in ("", None):
                want = float(want)
                check(same_number(cell.value, want),
                      f"{name} {cell.coordinate}: {cell.value!r}, expected {want} ({field})")
                pct = ind["unit"] == "%" and field == "value" and ind["kind"] in ("rate", "share")
                fmt = cell.number_format
                check(fmt.startswith("0.0") if pct else fmt.startswith("#,##0"),
                      f"{name} {cell.coordinate}: number format {fmt}")
                PROVISIONAL_CELLS[0] += '"p"' in fmt
                check(('"p"' in fmt) == (row["flag"] == "p" and field not in ("numerator", "denominator")),
                      f"{name} {cell.coordinate}: provisional marker in {fmt}")
            else:
                SYMBOL_CELLS[0] += 1
                check(cell.value == symbol_of(row["flag"]) and cell.data_type == "s",
                      f"{name} {cell.coordinate}: {cell.value!r}, expected symbol "
                      f"{symbol_of(row['flag'])!r}")
    check(nrow_cells == len(res["rows"]) * len(ms), f"{name}: {nrow_cells} cells compared")
    # AGS in the stub: text with leading zeros.
    for stub, r in rows.items():
        for i, title in enumerate(stub_titles):
            if title == "Gemeindeschlüssel" and stub[i] is not None:
                cell = ws.cell(r, i + 1)
                check(cell.data_type == "s" and len(cell.value) == 8 and cell.value.startswith("0"),
                      f"{name} {cell.coordinate}: AGS {cell.value!r} is not 8-digit text")
    return nrow_cells


def check_data(ws, csv_rows, names, header):
    got_head = [c.value for c in ws[1]]
    dims = [h for h in header[2:-4]]
    for d in dims:
        check(d in got_head, f"Daten: no column {d}")
    n = 0
    for i, crow in enumerate(csv_rows):
        r = i + 2
        vals = {h: ws.cell(r, got_head.index(h) + 1) for h in got_head if h}
        check(vals["indicator"].value == crow["indicator"], f"Daten row {r}: indicator")
        check(vals["period"].value == crow["period"] and vals["period"].data_type == "s",
              f"Daten row {r}: period {vals['period'].value!r} != {crow['period']!r}")
        check(vals["sheet"].value == names[crow["_table"]], f"Daten row {r}: sheet")
        for d in dims:
            cell = vals[d]
            check(cell.value == crow[d] and cell.data_type == "s",
                  f"Daten {cell.coordinate}: {cell.value!r} != {crow[d]!r}")
            if d == "gemeinde" and crow[d] != "Insgesamt":
                check(len(cell.value) == 8 and cell.value.startswith("0"), f"Daten {cell.coordinate}: AGS")
        for f in ("numerator", "denominator", "value"):
            cell = vals[f]
            if crow[f] == "":
                check(cell.value is None, f"Daten {cell.coordinate}: {cell.value!r}, expected empty")
            else:
                check(same_number(cell.value, float(crow[f])),
                      f"Daten {cell.coordinate}: {cell.value!r} != {crow[f]}")
        check((vals["flag"].value or "") == crow["flag"], f"Daten row {r}: flag")
        n += 1
    check(ws.cell(len(csv_rows) + 2, 1).value is None, "Daten: extra rows")
    check(ws.freeze_panes == "A2", f"Daten: frozen panes {ws.freeze_panes}")
    return n


def main():
    import json
    book, json_path, csv_path = sys.argv[1:4]
    intern = "--intern" in sys.argv
    results = json.load(open(json_path, encoding="utf-8"))
    with open(csv_path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        csv_rows = list(reader)
    # The CSV has the tables one after another, in the order of the JSON.
    per_table, k = [], 0
    for t, res in enumerate(results):
        part = csv_rows[k:k + len(res["rows"])]
        for row in part:
            row["_table"] = t
        per_table.append(part)
        k += len(res["rows"])
    check(k == len(csv_rows), "CSV and JSON have the same rows")
    wb = openpyxl.load_workbook(book)
    names = wb.sheetnames[3:-1]
    check(wb.sheetnames[:3] == FIXED and wb.sheetnames[-1] == "Daten",
          f"sheet order {wb.sheetnames}")
    check(len(names) == len(results), f"{len(names)} table sheets for {len(results)} results")
    for n in wb.sheetnames:
        check(len(n) <= 31 and not any(ch in n for ch in "[]:*?/\\"), f"sheet name {n!r}")
    check(len({n.lower() for n in wb.sheetnames}) == len(wb.sheetnames), "unique sheet names")
    # Contents: a link to every table sheet, in order.
    inhalt = wb["Inhalt"]
    for i, n in enumerate(names):
        cell = inhalt.cell(5 + i, 1)
        quoted = n.replace("'", "''")
        check(cell.value == f"Tabelle {i + 1}" and cell.hyperlink is not None and
              cell.hyperlink.location == f"'{quoted}'!A1",
              f"Inhalt {cell.coordinate}: link {cell.hyperlink.location if cell.hyperlink else None}")
    cells = 0
    for i, (res, part) in enumerate(zip(results, per_table)):
        ws = wb[names[i]]
        check(ws["A1"].value.startswith(f"Tabelle {i + 1}: "), f"{names[i]}: title {ws['A1'].value}")
        check((ws["A3"].value == "INTERN – nicht zur Veröffentlichung") == intern,
              f"{names[i]}: intern banner {ws['A3'].value!r}")
        cells += check_table(ws, res, part, names[i])
    cells += check_data(wb["Daten"], csv_rows, names, header)
    # Values only: no formula, no NaN or infinity anywhere.
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    PROBLEMS.append(f"{ws.title} {cell.coordinate}: a formula")
                if isinstance(cell.value, float) and not math.isfinite(cell.value):
                    PROBLEMS.append(f"{ws.title} {cell.coordinate}: {cell.value}")
    for p in PROBLEMS[:30]:
        print("PROBLEM:", p)
    print(f"{CHECKS[0]} checks, {cells} cells compared ({SYMBOL_CELLS[0]} symbols, "
          f"{PROVISIONAL_CELLS[0]} provisional), "
          f"{len(PROBLEMS)} problems")
    sys.exit(1 if PROBLEMS else 0)


if __name__ == "__main__":
    main()
