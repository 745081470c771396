#!/usr/bin/env python3
"""Print every non-empty row of the sample spreadsheets as a reader sees them (for checking).

    pip install python-calamine openpyxl && python3 import-samples/dump_samples.py [FILE...]

Strings are printed with repr(), so TCVN3's soft hyphen shows as '\\xad' and VNI's mark
characters show exactly as stored. Merged ranges are listed for .xlsx files.
"""
import glob
import os
import sys

import openpyxl
from python_calamine import CalamineWorkbook

HERE = os.path.dirname(os.path.abspath(__file__))
paths = sys.argv[1:] or sorted(p for p in glob.glob(os.path.join(HERE, "0*")) if not p.endswith(".json"))
for path in paths:
    print("=====", os.path.basename(path))
    wb = CalamineWorkbook.from_path(path)
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        print(f"--- sheet {name!r}: {len(rows)} rows")
        for i, r in enumerate(rows, start=1):
            if any(v not in ("", None) for v in r):
                print(i, r)
    if path.endswith(".xlsx"):
        for ws in openpyxl.load_workbook(path).worksheets:
            if ws.merged_cells.ranges:
                print(f"merged in {ws.title!r}:", sorted(str(m) for m in ws.merged_cells.ranges))
