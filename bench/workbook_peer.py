#!/usr/bin/python3
"""workbook_peer.py — the peer of bench/workbook.c: openpyxl writes the same tables (read from
the JSON bimo wrote) as a workbook of the same shape: one sheet per table (labels, then counts
and values as numbers with "#,##0" / "0.0", symbols as text, frozen header, column widths)
and a tidy data sheet with codes as text. Only the writing is timed (median of REPEAT).
Usage: workbook_peer.py RESULTS.json OUT.xlsx [REPEAT]"""
import json
import statistics
import sys
import time

import openpyxl
from openpyxl.utils import get_column_letter


def write(results, path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for k, res in enumerate(results):
        ind, dims = res["indicator"], res["dimensions"]
        ws = wb.create_sheet(f"{ind['id']} ({k + 1})"[:31])
        ws.append([f"Tabelle {k + 1}: {ind['title']}"])
        ws.append([res["area"]])
        ws.append([])
        ws.append(dims + ["Zähler", "Nenner", "Wert"])
        pct = "0.0" if ind["unit"] == "%" else "#,##0"
        widths = [len(h) for h in dims] + [8, 8, 8]
        r = 4
        for row in res["rows"]:
            cells = [row[d + "_label"] for d in dims]
            for f in ("numerator", "denominator", "value"):
                cells.append(row[f] if row[f] is not None else (row["flag"] or "–"))
            ws.append(cells)
            r += 1
            for i, f in enumerate(("numerator", "denominator", "value")):
                c = ws.cell(r, len(dims) + 1 + i)
                if isinstance(c.value, (int, float)):
                    c.number_format = pct if f == "value" else "#,##0"
            for i, v in enumerate(cells[:len(dims)]):
                widths[i] = max(widths[i], len(str(v)))
        for i, w in enumerate(widths):
            ws.column_dimensions[get_column_letter(i + 1)].width = w + 2
        ws.freeze_panes = ws.cell(5, len(dims) + 1)
    data = wb.create_sheet("Daten")
    data.append(["table", "indicator", "period", "dims", "numerator", "denominator", "value", "flag"])
    r = 1
    for k, res in enumerate(results):
        for row in res["rows"]:
            codes = ",".join(row[d] for d in res["dimensions"])
            data.append([k + 1, res["indicator"]["id"], row["period"], codes, row["numerator"],
                         row["denominator"], row["value"], row["flag"]])
            r += 1
            for col in (2, 3, 4):
                data.cell(r, col).number_format = "@"
    wb.save(path)


def main():
    results = json.load(open(sys.argv[1], encoding="utf-8"))
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        write(results, sys.argv[2])
        times.append(time.perf_counter() - t)
    print(f"write_median {statistics.median(times):.3f} write_min {min(times):.3f}")


if __name__ == "__main__":
    main()
