#!/usr/bin/env python3
"""Compares two .xlsx workbooks as a reader sees them, sheet by sheet, with openpyxl:
sheet names and order, every cell's value and type, its font, fill, border, alignment,
number format and protection, row heights and hidden rows, column widths and hidden
columns, merged ranges, freeze panes, print titles, page setup, margins, header and footer,
and the workbook's defined names. The way strings are stored (shared or inline) and the
numbering of styles do not count. Prints each difference; exits 1 when there is one.

    scripts/compare-workbooks.py OLD.xlsx NEW.xlsx
"""
import sys
from xml.etree.ElementTree import tostring

import openpyxl


def xml(obj):
    """An openpyxl object as its XML, which names no memory address."""
    if obj is None:
        return None
    return tostring(obj.to_tree()).decode()


def style_of(cell):
    return (
        xml(cell.font),
        xml(cell.fill),
        xml(cell.border),
        xml(cell.alignment),
        cell.number_format,
        xml(cell.protection),
        cell.quotePrefix,
    )


def cells(ws):
    out = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None and not cell.has_style:
                continue
            out[cell.coordinate] = (cell.data_type, cell.value, style_of(cell))
    return out


def dimensions(items):
    return {
        key: (dim.height if hasattr(dim, "height") else dim.width, dim.hidden, dim.customHeight
              if hasattr(dim, "customHeight") else dim.customWidth)
        for key, dim in items
    }


def sheet_settings(ws):
    return {
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "freeze": ws.freeze_panes,
        "print_title_rows": ws.print_title_rows,
        "print_title_cols": ws.print_title_cols,
        "print_area": ws.print_area,
        "page_setup": xml(ws.page_setup),
        "fit_to_page": ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
        "print_options": xml(ws.print_options),
        "margins": xml(ws.page_margins),
        "header_footer": xml(ws.HeaderFooter),
        "format": xml(ws.sheet_format),
        "rows": dimensions(ws.row_dimensions.items()),
        "columns": dimensions(ws.column_dimensions.items()),
        "views": xml(ws.views),
    }


def main(old_path, new_path):
    old = openpyxl.load_workbook(old_path)
    new = openpyxl.load_workbook(new_path)
    problems = 0

    def report(where, what, a, b):
        nonlocal problems
        problems += 1
        if problems <= 50:
            print(f"{where}: {what}\n  old: {a}\n  new: {b}")

    if old.sheetnames != new.sheetnames:
        report("workbook", "sheet names", old.sheetnames, new.sheetnames)
    old_names = {name: repr(value) for name, value in old.defined_names.items()}
    new_names = {name: repr(value) for name, value in new.defined_names.items()}
    if old_names != new_names:
        report("workbook", "defined names", old_names, new_names)
    checked = 0
    for name in old.sheetnames:
        if name not in new.sheetnames:
            continue
        a, b = old[name], new[name]
        sa, sb = sheet_settings(a), sheet_settings(b)
        for key in sa:
            if sa[key] != sb[key]:
                report(name, key, sa[key], sb[key])
        ca, cb = cells(a), cells(b)
        for ref in sorted(set(ca) | set(cb)):
            if ca.get(ref) != cb.get(ref):
                report(name, f"cell {ref}", ca.get(ref), cb.get(ref))
        checked += len(ca)
    print(f"{len(old.sheetnames)} sheets, {checked} cells compared, {problems} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
