#!/usr/bin/env python3
"""Build the sample ward spreadsheets in import-samples/ and their expected import results.

Every file is built deterministically from truth data written out below: the cells as a ward
officer typed them, and next to them the values the importer must produce. Run:

    pip install openpyxl xlwt odfpy && python3 import-samples/make_samples.py

The files and expected/*.json are rewritten on every run; see README.md for what each shows.
"""

import datetime as dt
import json
import os
import re
import unicodedata
import zipfile

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED = os.path.join(HERE, "expected")

# Fixed timestamps so that the xlsx/ods bytes do not change between runs.
FIXED_TIME = dt.datetime(2021, 1, 10, 8, 0, 0)

# --------------------------------------------------------------------------------------------
# The catalogue (a copy of migrations/src/seed_data.rs CATEGORIES: code -> name, kind, synonyms)
# --------------------------------------------------------------------------------------------
CATEGORIES = {
    "BMVNAH": ("Bà mẹ Việt Nam anh hùng", "merit",
               ["BMVNAH", "Mẹ VNAH", "Mẹ Việt Nam anh hùng", "Bà mẹ VNAH"]),
    "AHLLVT": ("Anh hùng lực lượng vũ trang nhân dân", "merit",
               ["AHLLVT", "AHLLVTND", "Anh hùng LLVT", "Anh hùng LLVTND"]),
    "AHLD": ("Anh hùng Lao động trong thời kỳ kháng chiến", "merit",
             ["AHLĐ", "Anh hùng lao động", "Anh hùng lao động trong kháng chiến"]),
    "LTCM": ("Người hoạt động cách mạng trước ngày 01/01/1945", "merit",
             ["LTCM", "Lão thành cách mạng", "Cán bộ lão thành cách mạng"]),
    "TKN": ("Người hoạt động cách mạng từ 01/01/1945 đến khởi nghĩa tháng Tám năm 1945", "merit",
            ["TKN", "Tiền khởi nghĩa", "Cán bộ tiền khởi nghĩa"]),
    "TB81": ("Thương binh, người hưởng chính sách như thương binh suy giảm khả năng lao động từ 81% trở lên",
             "merit", ["TB 1/4", "TB1/4", "Thương binh 1/4", "TB từ 81%", "TB 81%",
                       "Thương binh từ 81% trở lên"]),
    "BB81": ("Bệnh binh suy giảm khả năng lao động từ 81% trở lên", "merit",
             ["BB 1/3", "BB1/3", "Bệnh binh 1/3", "BB từ 81%", "BB 81%"]),
    "TNLS": ("Thân nhân liệt sĩ", "merit",
             ["TNLS", "LS", "Liệt sĩ", "Gia đình liệt sĩ", "GĐLS", "Thân nhân LS", "Vợ liệt sĩ",
              "Mẹ liệt sĩ", "Cha liệt sĩ", "Con liệt sĩ", "Người có công nuôi liệt sĩ"]),
    "TB": ("Thương binh, người hưởng chính sách như thương binh", "merit",
           ["TB", "Thương binh", "TB 2/4", "TB 3/4", "TB 4/4", "TB2/4", "TB3/4", "TB4/4", "CSNTB",
            "Người hưởng chính sách như thương binh"]),
    "BB": ("Bệnh binh", "merit", ["BB", "BB 2/3", "BB 3/3", "BB2/3", "BB3/3"]),
    "CDHH": ("Người hoạt động kháng chiến bị nhiễm chất độc hóa học", "merit",
             ["CĐHH", "Chất độc hóa học", "Nhiễm CĐHH", "Nhiễm chất độc hóa học", "NKCĐHH"]),
    "TUDAY": ("Người hoạt động cách mạng, hoạt động kháng chiến bị địch bắt tù, đày", "merit",
              ["Tù đày", "Bị địch bắt tù đày", "Bị địch bắt tù, đày", "BĐBTĐ"]),
    "HDKC": ("Người hoạt động kháng chiến giải phóng dân tộc, bảo vệ Tổ quốc, làm nghĩa vụ quốc tế",
             "merit", ["HĐKC", "Hoạt động kháng chiến", "Người hoạt động kháng chiến"]),
    "GDCM": ("Người có công giúp đỡ cách mạng", "merit",
             ["GĐCM", "CCGĐCM", "Có công giúp đỡ cách mạng", "Người có công giúp đỡ CM"]),
    "HN": ("Hộ nghèo", "hardship", ["HN", "Nghèo", "Hộ nghèo"]),
    "HCN": ("Hộ cận nghèo", "hardship", ["HCN", "Cận nghèo", "Hộ cận nghèo"]),
    "BTXH": ("Đối tượng bảo trợ xã hội", "hardship",
             ["BTXH", "Bảo trợ xã hội", "ĐTBTXH", "Trợ cấp xã hội", "TCXH", "Người cao tuổi",
              "Người khuyết tật nặng", "Trẻ mồ côi"]),
    "HIV": ("Người nhiễm HIV thuộc hộ nghèo", "hardship", ["HIV", "Nhiễm HIV", "Người nhiễm HIV"]),
    "HCKK": ("Hộ có hoàn cảnh khó khăn", "hardship",
             ["HCKK", "Hoàn cảnh khó khăn", "Khó khăn", "Hộ khó khăn", "HCĐBKK"]),
}

WARDS = ["Long Bình", "Long Thạnh Mỹ", "Tân Phú", "Hiệp Phú", "Tăng Nhơn Phú A", "Tăng Nhơn Phú B",
         "Phước Long B", "Phước Long A", "Trường Thạnh", "Long Phước", "Long Trường", "Phước Bình",
         "Phú Hữu"]


def fold(text):
    """Case- and diacritics-insensitive key: NFD, drop marks, đ->d, lower, collapse spaces."""
    t = unicodedata.normalize("NFD", text)
    t = "".join(c for c in t if unicodedata.category(c) != "Mn")
    t = t.replace("đ", "d").replace("Đ", "D").lower()
    return " ".join(t.split())


SYNONYM_INDEX = {}
for _code, (_name, _kind, _syns) in CATEGORIES.items():
    for _s in [_name] + _syns:
        SYNONYM_INDEX.setdefault(fold(_s), _code)


def category_of(text):
    """The catalogue code a typed category text reaches, or None. Used only to self-check."""
    return SYNONYM_INDEX.get(fold(text))


def ward_of(text):
    """The seeded ward a typed ward text reaches, or None. Used only to self-check."""
    t = fold(text)
    t = re.sub(r"^(phuong\s+|p\.\s*|p\s+)", "", t)
    hits = [w for w in WARDS if fold(w) == t]
    return hits[0] if len(hits) == 1 else None


# --------------------------------------------------------------------------------------------
# Legacy encodings
# --------------------------------------------------------------------------------------------
# TCVN 5712:1993 VN3 ("TCVN3", "ABC", fonts .VnTime / .VnTimeH). Lower-case letters with marks and
# the seven toneless capitals have their own byte; a byte is shown by readers as its Latin-1 char.
_TCVN3_LOWER = {
    "á": 0xB8, "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "ạ": 0xB9,
    "ă": 0xA8, "ắ": 0xBE, "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ặ": 0xC6,
    "â": 0xA9, "ấ": 0xCA, "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ậ": 0xCB,
    "é": 0xD0, "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "ẹ": 0xD1,
    "ê": 0xAA, "ế": 0xD5, "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ệ": 0xD6,
    "í": 0xDD, "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "ị": 0xDE,
    "ó": 0xE3, "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ọ": 0xE4,
    "ô": 0xAB, "ố": 0xE8, "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ộ": 0xE9,
    "ơ": 0xAC, "ớ": 0xED, "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ợ": 0xEE,
    "ú": 0xF3, "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ụ": 0xF4,
    "ư": 0xAD, "ứ": 0xF8, "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ự": 0xF9,
    "ý": 0xFD, "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ỵ": 0xFE,
    "đ": 0xAE,
}
_TCVN3_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def to_tcvn3(text):
    """Unicode -> the Latin-1 string a reader shows for the TCVN3 bytes.

    A capital letter with a tone mark has no code in TCVN3: documents set such text in the
    .VnTimeH (all-capitals) font and store the LOWER-CASE code, so "Ờ" becomes 0xEA like "ờ".
    Plain ASCII capitals and the seven toneless capitals (Ă Â Ê Ô Ơ Ư Đ) keep their case."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80:
            out.append(ch)
        elif ch in _TCVN3_UPPER:
            out.append(chr(_TCVN3_UPPER[ch]))
        elif ch in _TCVN3_LOWER:
            out.append(chr(_TCVN3_LOWER[ch]))
        elif ch.lower() in _TCVN3_LOWER:
            out.append(chr(_TCVN3_LOWER[ch.lower()]))
        else:
            raise ValueError(f"no TCVN3 code for {ch!r} in {text!r}")
    return "".join(out)


def from_tcvn3(text):
    """The plain decoding (Latin-1 char -> Unicode); used to self-check and in the README."""
    rev = {v: k for k, v in _TCVN3_LOWER.items()}
    rev.update({v: k for k, v in _TCVN3_UPPER.items()})
    return "".join(rev.get(ord(c), c) for c in text)


# VNI (VNI-Windows, font VNI-Times): a base ASCII letter followed by one mark byte (or one combined
# circumflex/breve+tone byte); ơ ư đ and i/y with some tones are single bytes. Bytes shown as
# Windows-1252 characters (all used bytes are >= 0xC0, so Latin-1 shows the same).
_VNI_TONE_LOWER = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRC_LOWER = {None: "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE_LOWER = {None: "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I_LOWER = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def _vni_letter(ch):
    d = unicodedata.normalize("NFD", ch)
    base, marks = d[0], d[1:]
    upper = base.isupper()
    b = base.lower()
    shape = None  # circumflex / breve / horn
    tone = None
    for m in marks:
        if m == "\u0302":
            shape = "circ"
        elif m == "\u0306":
            shape = "breve"
        elif m == "\u031b":
            shape = "horn"
        elif m in _VNI_TONE_LOWER:
            tone = m
        else:
            raise ValueError(f"unexpected mark in {ch!r}")

    def cased(s):
        return s.upper() if upper else s

    if ch in ("đ", "Đ"):
        return cased("ñ")
    if shape == "horn":  # ơ = ô-byte, ư = ö-byte, then the tone byte
        single = {"o": "ô", "u": "ö"}[b]
        return cased(single + (_VNI_TONE_LOWER[tone] if tone else ""))
    if b == "i" and tone:
        return cased(_VNI_I_LOWER[tone])
    if b == "y" and tone == "\u0323":
        return cased("î")
    if shape == "circ":
        return cased(b + _VNI_CIRC_LOWER[tone])
    if shape == "breve":
        return cased(b + _VNI_BREVE_LOWER[tone])
    return cased(b + (_VNI_TONE_LOWER[tone] if tone else ""))


def to_vni(text):
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80:
            out.append(ch)
        else:
            out.append(_vni_letter(ch))
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _three(n, full):
    h, t, u = n // 100, (n // 10) % 10, n % 10
    parts = []
    if full or h:
        parts += [_DIGITS[h], "trăm"]
    if t == 0:
        if u and (full or h):
            parts += ["linh", _DIGITS[u]]
        elif u:
            parts.append(_DIGITS[u])
    elif t == 1:
        parts.append("mười")
        if u:
            parts.append("lăm" if u == 5 else _DIGITS[u])
    else:
        parts += [_DIGITS[t], "mươi"]
        if u:
            parts.append({1: "mốt", 4: "tư", 5: "lăm"}.get(u, _DIGITS[u]))
    return parts


def amount_in_words(n):
    """Vietnamese amount in words (DOMAIN.md "Vietnamese text"), e.g. 'Sáu triệu đồng'."""
    units = ["", "nghìn", "triệu", "tỷ"]
    groups = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    words = []
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            continue
        words += _three(g, full=(i != len(groups) - 1))
        if units[i]:
            words.append(units[i])
    s = " ".join(words) + " đồng"
    return s[0].upper() + s[1:]


assert amount_in_words(1005000) == "Một triệu không trăm linh năm nghìn đồng"
assert amount_in_words(1050000) == "Một triệu không trăm năm mươi nghìn đồng"
assert amount_in_words(6300000) == "Sáu triệu ba trăm nghìn đồng"


def dots(n):
    return f"{n:,}".replace(",", ".")


def cccd(province, gender, year, serial):
    """A 12-digit CCCD: province (3) + century/gender digit + yy + 6-digit serial."""
    digit = {("male", 19): 0, ("female", 19): 1, ("male", 20): 2, ("female", 20): 3}[(gender, year // 100)]
    return f"{province:03d}{digit}{year % 100:02d}{serial:06d}"


def row(r, full_name, birth_year, gender, national_id, address, khu_pho, ward, cat, amount,
        note=None, status="accepted", issues=(), household_code=None, household_size=None):
    """One expected person row, in the importer's JSON contract order."""
    name, kind = (CATEGORIES[cat][0], CATEGORIES[cat][1]) if cat else (None, None)
    return {
        "row": r, "status": status, "full_name": full_name, "birth_year": birth_year,
        "gender": gender, "national_id": national_id, "address": address, "khu_pho": khu_pho,
        "ward": ward, "category": name, "category_kind": kind, "amount": amount, "note": note,
        "household_code": household_code, "household_size": household_size,
        "issue_fields": list(issues),
    }


def check_rows(rows):
    """Self-checks that keep the expected values consistent with the rules in README.md."""
    seen_rows = set()
    for e in rows:
        assert e["row"] not in seen_rows, e
        seen_rows.add(e["row"])
        assert e["status"] in ("accepted", "rejected", "duplicate"), e
        if e["status"] == "duplicate":
            assert e["issue_fields"] and set(e["issue_fields"]) <= {"national_id", "row", "household_code"}, e
        nid = e["national_id"]
        if nid and re.fullmatch(r"\d{12}", nid) and e["birth_year"] and e["gender"]:
            d = int(nid[3])
            ok_gender = ("male" if d in (0, 2) else "female") == e["gender"]
            ok_year = (1900 + 100 * (d // 2) + int(nid[4:6])) == e["birth_year"]
            flagged = "national_id" in e["issue_fields"]
            if e["status"] == "accepted":
                assert (ok_gender and ok_year) != flagged, (e, ok_gender, ok_year)
        for k in ("full_name", "address", "note", "khu_pho"):
            v = e[k]
            if v is not None:
                assert v == unicodedata.normalize("NFC", v) and v == " ".join(v.split()), (k, v)
        if e["ward"] is not None:
            assert e["ward"] in WARDS, e


def write_expected(file_name, sheet, header_row, ward, rows):
    check_rows(rows)
    doc = {"file": file_name, "sheet": sheet, "header_row": header_row, "ward": ward, "rows": rows}
    path = os.path.join(EXPECTED, file_name + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


class Sheet:
    """A little layer over an openpyxl worksheet: write cells with a default font, merge."""

    def __init__(self, ws, font_name="Times New Roman", size=12):
        self.ws = ws
        self.font_name = font_name
        self.size = size

    def put(self, r, c, value, bold=False, italic=False, center=False, box=False, fmt=None,
            font=None, text=False):
        cell = self.ws.cell(row=r, column=c)
        cell.value = value
        if text and value is not None:  # keep strings such as "=SUM(A1)" as text, never a formula
            cell.data_type = "s"
        cell.font = Font(name=font or self.font_name, size=self.size, bold=bold, italic=italic)
        if center:
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if box:
            cell.border = BOX
        if fmt:
            cell.number_format = fmt
        return cell

    def merge(self, r1, c1, r2, c2):
        self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def widths(self, widths):
        for i, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w


def new_workbook():
    wb = openpyxl.Workbook()
    wb.properties.creator = "UBND"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return wb


def save_xlsx(wb, name):
    path = os.path.join(HERE, name)
    wb.save(path)
    _pin_zip_times(path)
    return path


_INLINE = re.compile(rb'(<c [^>]*?)t="inlineStr"><is>(<t(?: xml:space="preserve")?>.*?</t>)</is></c>', re.S)


def _to_shared_strings(items):
    """openpyxl writes every string inline; Excel writes a shared-strings table (t="s").
    Move the strings into xl/sharedStrings.xml so the samples look like files Excel saved."""
    table, index, out = [], {}, []

    def repl(m):
        key = m.group(2)
        if key not in index:
            index[key] = len(table)
            table.append(key)
        return m.group(1) + b't="s"><v>' + str(index[key]).encode() + b"</v></c>"

    for info, data in items:
        if info.filename.startswith("xl/worksheets/sheet"):
            data = _INLINE.sub(repl, data)
        out.append((info, data))
    if not table:
        return out
    sst = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
           % (len(table), len(table)) + b"".join(b"<si>" + t + b"</si>" for t in table) + b"</sst>")
    final = []
    for info, data in out:
        if info.filename == "[Content_Types].xml":
            data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        if info.filename == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml" '
                                b'Id="rIdSst" /></Relationships>')
        final.append((info, data))
    final.append((zipfile.ZipInfo("xl/sharedStrings.xml"), sst))
    return final


def _pin_zip_times(path):
    """Rewrite the zip with fixed entry times so repeated runs give identical bytes."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    items = _to_shared_strings(items)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" at save time
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2021-01-10T08:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2021, 1, 10, 8, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)


def title_block(s, left1, left2, right_date, title, subtitle, last_col, left_span=3):
    """The usual top of a ward list: unit names left, national motto right, then the title."""
    right_start = last_col - 4
    s.put(1, 1, left1, bold=False, center=True)
    s.merge(1, 1, 1, left_span)
    s.put(2, 1, left2, bold=True, center=True)
    s.merge(2, 1, 2, left_span)
    s.put(1, right_start, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, center=True)
    s.merge(1, right_start, 1, last_col)
    s.put(2, right_start, "Độc lập - Tự do - Hạnh phúc", bold=True, center=True)
    s.merge(2, right_start, 2, last_col)
    if right_date:
        s.put(3, right_start, right_date, italic=True, center=True)
        s.merge(3, right_start, 3, last_col)
    s.put(4, 1, title, bold=True, center=True)
    s.merge(4, 1, 4, last_col)
    if subtitle:
        s.put(5, 1, subtitle, italic=True, center=True)
        s.merge(5, 1, 5, last_col)


def signatures(s, r, left_col, right_col, maker, chairman, right_title="TM. ỦY BAN NHÂN DÂN"):
    s.put(r, left_col, "Người lập biểu", bold=True, center=True)
    s.put(r, right_col, right_title, bold=True, center=True)
    s.put(r + 1, right_col, "CHỦ TỊCH", bold=True, center=True)
    s.put(r + 5, left_col, maker, bold=True, center=True)
    s.put(r + 5, right_col, chairman, bold=True, center=True)


# ============================================================================================
# 01 — Hiệp Phú merit list: two-row merged header, Năm sinh split Nam|Nữ, sections, totals.
# ============================================================================================
def make_01():
    name = "01-hiep-phu-nguoi-co-cong.xlsx"
    ward = "Hiệp Phú"
    wb = new_workbook()
    ws = wb.active
    ws.title = "DS tang qua"
    s = Sheet(ws)
    s.widths([6, 26, 8, 8, 16, 24, 11, 26, 13, 22, 12])
    title_block(s, "UBND QUẬN 9", "UBND PHƯỜNG HIỆP PHÚ",
                "Hiệp Phú, ngày 28 tháng 12 năm 2020",
                "DANH SÁCH ĐỀ NGHỊ TẶNG QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021",
                "(Kèm theo Tờ trình số 45/TTr-UBND ngày 28/12/2020 của Ủy ban nhân dân phường Hiệp Phú)",
                last_col=11)
    # Header: rows 7-8, merged vertically except Năm sinh, which splits into Nam | Nữ.
    heads = {1: "STT", 2: "Họ và tên", 5: "Số CCCD", 6: "Địa chỉ", 7: "Khu phố", 8: "Đối tượng",
             9: "Số tiền", 10: "Ghi chú", 11: "Ký nhận"}
    for c, h in heads.items():
        s.put(7, c, h, bold=True, center=True, box=True)
        s.put(8, c, None, box=True)
        s.merge(7, c, 8, c)
    s.put(7, 3, "Năm sinh", bold=True, center=True, box=True)
    s.put(7, 4, None, box=True)
    s.merge(7, 3, 7, 4)
    s.put(8, 3, "Nam", bold=True, center=True, box=True)
    s.put(8, 4, "Nữ", bold=True, center=True, box=True)
    # Row 9: the column-number row printed under many official headers. Not a person.
    for c in range(1, 12):
        s.put(9, c, f"({c})", italic=True, center=True, box=True)

    KP = {1: "KP 1", 2: "KP 2", 3: "KP 3", 4: "KP.4", 5: "Khu phố 5", 6: "KP 6"}
    # (stt, name, year, gender, id, address, kp, typed category, amount, note) -> expected cat
    people = [
        ("section", "I", "NGƯỜI CÓ CÔNG VỚI CÁCH MẠNG", None),
        (1, "Nguyễn Văn Hùng", 1947, "male", cccd(79, "male", 1947, 231), "12/3 Lê Văn Việt", 3,
         "TB 2/4", 300000, None, "TB"),
        (2, "Trần Văn Lộc", 1950, "male", cccd(79, "male", 1950, 1842), "45 Trương Văn Thành", 1,
         "TB 1/4", 600000, None, "TB81"),
        (3, "Lê Thị Hồng", 1952, "female", cccd(79, "female", 1952, 3317), "7/12 Tăng Nhơn Phú", 5,
         "CĐHH", 300000, None, "CDHH"),
        (4, "Phạm Văn Sáu", 1949, "male", "020456789", "102/5 Lê Văn Việt", 3,
         "BB", 300000, "CMND cũ", "BB"),
        (5, "Huỳnh Thị Bảy", 1955, "female", cccd(79, "female", 1955, 2468), "88 Đường số 6", 5,
         "Hoạt động kháng chiến", 300000, None, "HDKC"),
        (6, "Võ Văn Tư", 1944, "male", cccd(79, "male", 1944, 912), "23/1A Trương Văn Thành", 4,
         "Tù đày", 300000, None, "TUDAY"),
        (7, "Đặng Văn Thành", 1953, "male", None, "15 Lê Văn Việt", 2,
         "Người có công giúp đỡ CM", 300000, None, "GDCM"),
        ("section", "II", "THÂN NHÂN LIỆT SĨ", "TNLS"),
        (8, "Nguyễn Thị Lan", 1940, "female", cccd(79, "female", 1940, 573), "31/7 Lê Văn Việt", 1,
         None, 300000, "Vợ liệt sĩ Nguyễn Văn Tấn", "TNLS"),
        (9, "Trần Thị Mười", 1945, "female", cccd(79, "female", 1945, 1129), "9 Tăng Nhơn Phú", 6,
         "Mẹ liệt sĩ", 300000, None, "TNLS"),
        (10, "Lê Văn Nam", 1962, "male", cccd(79, "male", 1962, 4455), "56/2 Trương Văn Thành", 4,
         None, 300000, "Con liệt sĩ", "TNLS"),
        (11, "Bùi Thị Thu", 1966, "female", cccd(75, "female", 1966, 2231), "140 Lê Văn Việt", 5,
         None, 300000, None, "TNLS"),
        ("section", "III", "BÀ MẸ VIỆT NAM ANH HÙNG", "BMVNAH"),
        (12, "Ngô Thị Xuân", 1926, "female", None, "4 Đường số 4", 2,
         None, 600000, "Con gái nhận thay", "BMVNAH"),
    ]
    r = 10
    expected = []
    total = 0
    for p in people:
        if p[0] == "section":
            _, roman, heading, sec_cat = p
            s.put(r, 1, roman, bold=True, center=True, box=True)
            s.put(r, 2, heading, bold=True, box=True)
            s.merge(r, 2, r, 11)
            assert category_of(heading) == sec_cat
            r += 1
            continue
        stt, nm, year, gender, nid, addr, kp, typed, amount, note, cat = p
        if typed:
            assert category_of(typed) == cat, typed
        s.put(r, 1, stt, center=True, box=True)
        s.put(r, 2, nm, box=True)
        s.put(r, 3, year if gender == "male" else None, center=True, box=True)
        s.put(r, 4, year if gender == "female" else None, center=True, box=True)
        s.put(r, 5, nid, center=True, box=True)
        s.put(r, 6, addr, box=True)
        s.put(r, 7, KP[kp], center=True, box=True)
        s.put(r, 8, typed, box=True)
        s.put(r, 9, amount, box=True, fmt="#,##0")
        s.put(r, 10, note, box=True)
        s.put(r, 11, None, box=True)
        total += amount
        expected.append(row(r, nm, year, gender, nid, addr, f"Khu phố {kp}", ward, cat, amount, note))
        r += 1
    s.put(r, 2, "Tổng cộng", bold=True, center=True, box=True)
    s.put(r, 9, total, bold=True, box=True, fmt="#,##0")
    r += 1
    s.put(r, 1, f"Bằng chữ: {amount_in_words(total)}./.", italic=True)
    s.merge(r, 1, r, 11)
    signatures(s, r + 2, 2, 8, "Trần Thị Thu Hà", "Lê Minh Tuấn")
    save_xlsx(wb, name)
    write_expected(name, ws.title, 7, ward, expected)


# ============================================================================================
# 02 — Tăng Nhơn Phú A poor / near-poor HOUSEHOLD list.
# ============================================================================================
def make_02():
    name = "02-tang-nhon-phu-a-ho-ngheo.xlsx"
    ward = "Tăng Nhơn Phú A"
    wb = new_workbook()
    ws = wb.active
    ws.title = "Ho ngheo - can ngheo"
    s = Sheet(ws)
    s.widths([5, 24, 16, 9, 9, 9, 15, 22, 10, 12, 12, 20, 11])
    title_block(s, "UBND THÀNH PHỐ THỦ ĐỨC", "UBND PHƯỜNG TĂNG NHƠN PHÚ A",
                "Tăng Nhơn Phú A, ngày 08 tháng 01 năm 2021",
                "DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NHẬN QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021",
                "(Kèm theo Tờ trình số 12/TTr-UBND ngày 08/01/2021)", last_col=13)
    heads = ["STT", "Họ tên chủ hộ", "Mã hộ", "Số nhân khẩu", "Năm sinh", "Giới tính", "CMND/CCCD",
             "Địa chỉ", "Tổ dân phố", "Diện", "Mức quà", "Ghi chú", "Ký nhận"]
    for c, h in enumerate(heads, start=1):
        s.put(7, c, h, bold=True, center=True, box=True)
    # (stt, head name, code, size(typed), year, Giới tính(typed), expected gender, id, address,
    #  tổ(typed), tổ number, diện(typed), mức quà(typed), amount, note, cat, status, issues)
    hn = [
        ("section", "I", "HỘ NGHÈO", "HN"),
        (1, "Nguyễn Văn Bé", "HN-26842-0012", 4, 1968, "Nam", "male", cccd(79, "male", 1968, 5521),
         "25/4 Lã Xuân Oai", "Tổ 12", 12, "HN", "500.000đ", 500000, None, "HN", "accepted", []),
        (2, "Trần Thị Kim Anh", "HN-26842-0015", 3, 1975, "Nữ", "female", cccd(79, "female", 1975, 3364),
         "118 Man Thiện", "Tổ 5", 5, "Hộ nghèo", "500.000đ", 500000, None, "HN", "accepted", []),
        (3, "Lê Văn Dũng", "HN-26842-0021", 5, 1980, "Nam", "male", cccd(52, "male", 1980, 1276),
         "7 Đường số 11", "Tổ 7", 7, None, "500.000 đ", 500000, None, "HN", "accepted", []),
        (4, "Phạm Thị Hoa", "HN-26842-0027", 2, 1958, "Nữ", "female", "023567812",
         "33/8 Lò Lu", "8", 8, "HN", "500000", 500000, None, "HN", "accepted", []),
        # Second member of household HN-26842-0015 listed for the same household gift.
        (5, "Đỗ Văn Lợi", "HN-26842-0015", 3, 1973, "Nam", "male", cccd(79, "male", 1973, 4417),
         "118 Man Thiện", "Tổ 5", 5, "HN", "500.000đ", 500000, "Chồng bà Kim Anh", "HN", "duplicate",
         ["household_code"]),
        # Giới tính says Nữ, the CCCD's 4th digit says male: warning on national_id.
        (6, "Huỳnh Thị Mỹ", "HN-26842-0031", 6, 1985, "Nữ", "female", "079085002290",
         "52/9 Lã Xuân Oai", "Tổ 11", 11, "nghèo", "500.000đ", 500000, None, "HN", "accepted",
         ["national_id"]),
        ("section", "II", "HỘ CẬN NGHÈO", "HCN"),
        (7, "Võ Thị Lệ", "HCN-26842-0004", 4, 1970, "Nữ", "female", cccd(79, "female", 1970, 1835),
         "41 Tăng Nhơn Phú", "Tổ 3", 3, "HCN", "300.000đ", 300000, None, "HCN", "accepted", []),
        (8, "Ngô Văn Phúc", "HCN-26842-0009", 3, 1962, "Nam", "male", cccd(79, "male", 1962, 7713),
         "9/2 Lê Văn Việt", "Tổ 1", 1, "Cận nghèo", "300.000đ", 300000, None, "HCN", "accepted", []),
        # New household, not yet in the poverty register: no code (warning on household_code).
        (9, "Bùi Thị Ngọc", None, 2, 1990, "Nữ", "female", cccd(79, "female", 1990, 6624),
         "12 Đường số 385", "Tổ 9", 9, None, "300.000đ", 300000, "Hộ mới phát sinh năm 2020", "HCN",
         "accepted", ["household_code"]),
        # Birth year 1978 but the CCCD says 79: warning on national_id.
        (10, "Trương Văn Hải", "HCN-26842-0011", 5, 1978, "Nam", "male", "079079002248",
         "63 Man Thiện", "Tổ 4", 4, "hộ cận nghèo", "300.000đ", 300000, None, "HCN", "accepted",
         ["national_id"]),
        (11, "Đinh Thị Hương", "HCN-26842-0014", "4", 1965, "Nữ", "female", cccd(79, "female", 1965, 9901),
         "2/14 Lã Xuân Oai", "TDP 10", 10, "HCN", "300.000đ", 300000, None, "HCN", "accepted", []),
        (12, "Lâm Văn Quý", "HCN-26842-0017", 1, 1948, "Nam", "male", None,
         "77 Lò Lu", "Tổ 6", 6, "HCN", "300.000đ", 300000, "Sống một mình", "HCN", "accepted", []),
    ]
    r = 8
    expected = []
    total = 0
    for p in hn:
        if p[0] == "section":
            _, roman, heading, sec_cat = p
            s.put(r, 1, roman, bold=True, center=True, box=True)
            s.put(r, 2, heading, bold=True, box=True)
            s.merge(r, 2, r, 13)
            assert category_of(heading) == sec_cat
            r += 1
            continue
        (stt, nm, code, size, year, gt, gender, nid, addr, to_typed, to_no, dien, muc, amount, note,
         cat, status, issues) = p
        if dien:
            assert category_of(dien) == cat, dien
        vals = [stt, nm, code, size, year, gt, nid, addr, to_typed, dien, muc, note, None]
        for c, v in enumerate(vals, start=1):
            s.put(r, c, v, box=True, center=c in (1, 4, 5, 6, 9))
        total += amount
        expected.append(row(r, nm, year, gender, nid, addr, f"Tổ {to_no}", ward, cat, amount, note,
                            status=status, issues=issues, household_code=code,
                            household_size=int(size)))
        r += 1
    s.put(r, 2, "Tổng cộng", bold=True, center=True, box=True)
    s.put(r, 11, f"{dots(total)}đ", bold=True, box=True)
    r += 1
    s.put(r, 1, f"Bằng chữ: {amount_in_words(total)}.", italic=True)
    s.merge(r, 1, r, 13)
    signatures(s, r + 2, 2, 10, "Phan Thị Thanh Thủy", "Nguyễn Hoàng Long")
    save_xlsx(wb, name)
    write_expected(name, ws.title, 7, ward, expected)


# ============================================================================================
# 06 — Phước Bình: one mistake per row.
# ============================================================================================
def make_06():
    name = "06-phuoc-binh-nhieu-loi.xlsx"
    ward = "Phước Bình"
    wb = new_workbook()
    ws = wb.active
    ws.title = "Sheet1"
    s = Sheet(ws)
    s.widths([5, 26, 12, 9, 16, 22, 10, 22, 12, 22])
    title_block(s, "UBND QUẬN 9", "UBND PHƯỜNG PHƯỚC BÌNH", None,
                "DANH SÁCH NHẬN QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021", None, last_col=10)
    heads = ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Số CCCD", "Địa chỉ", "Khu phố",
             "Đối tượng", "Số tiền", "Ghi chú"]
    for c, h in enumerate(heads, start=1):
        s.put(6, c, h, bold=True, center=True, box=True)

    A = "{n}/{m} Đỗ Xuân Hợp"
    # Each entry: typed cells (name, birth, Giới tính, id, address, KP, category, amount, note)
    # and the expected values. `fmt` sets a number format on the birth cell (an Excel date).
    E = []  # (cells, expected-kwargs)

    def add(cells, **exp):
        E.append((cells, exp))

    add(dict(name="Nguyễn Văn Quang", birth=1948, gt="Nam", id=79048000123, addr="12/3 Đỗ Xuân Hợp",
             kp="KP 1", cat="TB", amount=300000, note="CCCD gõ dạng số"),
        full_name="Nguyễn Văn Quang", birth_year=1948, gender="male", national_id="079048000123",
        address="12/3 Đỗ Xuân Hợp", khu_pho="Khu phố 1", cat="TB", amount=300000,
        note="CCCD gõ dạng số")
    add(dict(name="Trần Thị Ngọc Bích", birth=1951, gt="Nữ", id=271234567, addr="45 Đường số 2",
             kp="KP 1", cat="GĐLS", amount=300000, note="+ Con liệt sĩ"),
        full_name="Trần Thị Ngọc Bích", birth_year=1951, gender="female", national_id="271234567",
        address="45 Đường số 2", khu_pho="Khu phố 1", cat="TNLS", amount=300000,
        note="+ Con liệt sĩ")
    add(dict(name="Lê Văn Thọ", birth=1950, gt="Nam", id="0790500012", addr="7 Đường số 8",
             kp="KP 2", cat="BB", amount=300000),
        full_name="Lê Văn Thọ", birth_year=1950, gender="male", national_id="0790500012",
        address="7 Đường số 8", khu_pho="Khu phố 2", cat="BB", amount=300000,
        status="rejected", issues=["national_id"])
    add(dict(name="Phạm Thị Tuyết", birth=1956, gt="Nữ", id="07915600A234", addr="19 Đường số 8",
             kp="KP 2", cat="CĐHH", amount=300000),
        full_name="Phạm Thị Tuyết", birth_year=1956, gender="female", national_id="07915600A234",
        address="19 Đường số 8", khu_pho="Khu phố 2", cat="CDHH", amount=300000,
        status="rejected", issues=["national_id"])
    add(dict(name="Hoàng Văn Minh", birth=1955, gt="Nam", id="079052001234", addr="3/1 Đỗ Xuân Hợp",
             kp="KP 3", cat="Thương binh", amount=300000),
        full_name="Hoàng Văn Minh", birth_year=1955, gender="male", national_id="079052001234",
        address="3/1 Đỗ Xuân Hợp", khu_pho="Khu phố 3", cat="TB", amount=300000,
        issues=["national_id"])
    add(dict(name="Đoàn Thị Thủy", birth=1960, gt="Nữ", id="079060003456", addr="88 Đường số 1",
             kp="KP 3", cat="HĐKC", amount=300000),
        full_name="Đoàn Thị Thủy", birth_year=1960, gender="female", national_id="079060003456",
        address="88 Đường số 1", khu_pho="Khu phố 3", cat="HDKC", amount=300000,
        issues=["national_id"])
    add(dict(name="NGUYỄN VĂN AN", birth=1949, gt=None, id="079049005678", addr="21 Đường số 1",
             kp="KP 4", cat="TB 3/4", amount=300000),
        full_name="Nguyễn Văn An", birth_year=1949, gender="male", national_id="079049005678",
        address="21 Đường số 1", khu_pho="Khu phố 4", cat="TB", amount=300000)
    add(dict(name="Trần  Thị   Mai ", birth=1958, gt="Nữ", id="079158002345", addr="  5/2  Đường số 6",
             kp="KP 4", cat="Con liệt sĩ", amount=300000),
        full_name="Trần Thị Mai", birth_year=1958, gender="female", national_id="079158002345",
        address="5/2 Đường số 6", khu_pho="Khu phố 4", cat="TNLS", amount=300000)
    add(dict(name="Hồ Văn Sáu 6", birth=1947, gt="Nam", id="079047006789", addr="61 Đường số 6",
             kp="KP 5", cat="BB", amount=300000),
        full_name="Hồ Văn Sáu 6", birth_year=1947, gender="male", national_id="079047006789",
        address="61 Đường số 6", khu_pho="Khu phố 5", cat="BB", amount=300000,
        status="rejected", issues=["full_name"])
    add(dict(name="=Đỗ Thị Nga", birth=1953, gt="Nữ", id="079153004321", addr="14 Đường số 6",
             kp="KP 5", cat="Vợ liệt sĩ", amount=300000),
        full_name="=Đỗ Thị Nga", birth_year=1953, gender="female", national_id="079153004321",
        address="14 Đường số 6", khu_pho="Khu phố 5", cat="TNLS", amount=300000,
        status="rejected", issues=["full_name"])
    add(dict(name=None, birth=1952, gt="Nam", id="079052007890", addr="30 Đường số 9",
             kp="KP 5", cat="BB", amount=300000),
        full_name=None, birth_year=1952, gender="male", national_id="079052007890",
        address="30 Đường số 9", khu_pho="Khu phố 5", cat="BB", amount=300000,
        status="rejected", issues=["full_name"])
    add(dict(name="Dương Văn Kiên", birth=dt.datetime(1950, 3, 15), gt="Nam", id="079050008901",
             addr="2/7 Đường số 9", kp="KP 6", cat="TB", amount=300000),
        full_name="Dương Văn Kiên", birth_year=1950, gender="male", national_id="079050008901",
        address="2/7 Đường số 9", khu_pho="Khu phố 6", cat="TB", amount=300000)
    add(dict(name="Lý Thị Hạnh", birth="12/05/1962", gt="Nữ", id="079162009012", addr="9 Đường số 10",
             kp="KP 6", cat="Cha liệt sĩ", amount=300000, note="=SUM(A1)"),
        full_name="Lý Thị Hạnh", birth_year=1962, gender="female", national_id="079162009012",
        address="9 Đường số 10", khu_pho="Khu phố 6", cat="TNLS", amount=300000, note="=SUM(A1)")
    add(dict(name="Mai Văn Lâm", birth="1957", gt="Nam", id=None, addr="40 Đường số 10",
             kp="KP 6", cat="HCKK", amount=300000),
        full_name="Mai Văn Lâm", birth_year=1957, gender="male", national_id=None,
        address="40 Đường số 10", khu_pho="Khu phố 6", cat="HCKK", amount=300000)
    add(dict(name="Cao Thị Huệ", birth=1890, gt="Nữ", id=None, addr="11 Đường số 12",
             kp="KP 7", cat="BMVNAH", amount=600000),
        full_name="Cao Thị Huệ", birth_year=1890, gender="female", national_id=None,
        address="11 Đường số 12", khu_pho="Khu phố 7", cat="BMVNAH", amount=600000,
        status="rejected", issues=["birth_year"])
    add(dict(name="Tô Văn Đức", birth=2030, gt="Nam", id=None, addr="17 Đường số 12",
             kp="KP 7", cat="HCKK", amount=300000),
        full_name="Tô Văn Đức", birth_year=2030, gender="male", national_id=None,
        address="17 Đường số 12", khu_pho="Khu phố 7", cat="HCKK", amount=300000,
        status="rejected", issues=["birth_year"])
    add(dict(name="Châu Thị Loan", birth=1961, gt="Nữ", id="079161001122", addr="6 Đường số 3",
             kp="KP 7", cat="Hộ chính sách ABC", amount=300000),
        full_name="Châu Thị Loan", birth_year=1961, gender="female", national_id="079161001122",
        address="6 Đường số 3", khu_pho="Khu phố 7", cat=None, amount=300000,
        status="rejected", issues=["category"])
    add(dict(name="Quách Văn Tuấn", birth=1946, gt="Nam", id="079046002233", addr="28 Đường số 3",
             kp="KP 8", cat="TB1/4", amount="600.000"),
        full_name="Quách Văn Tuấn", birth_year=1946, gender="male", national_id="079046002233",
        address="28 Đường số 3", khu_pho="Khu phố 8", cat="TB81", amount=600000)
    add(dict(name="La Thị Yến", birth=1944, gt="Nữ", id="079144003344", addr="33 Đường số 3",
             kp="KP 8", cat="Mẹ liệt sĩ", amount="600.000đ"),
        full_name="La Thị Yến", birth_year=1944, gender="female", national_id="079144003344",
        address="33 Đường số 3", khu_pho="Khu phố 8", cat="TNLS", amount=600000)
    add(dict(name="Kiều Văn Hậu", birth=1952, gt="Nam", id="079052004455", addr="4/4 Đường số 5",
             kp="KP 8", cat="TB 81%", amount="600,000"),
        full_name="Kiều Văn Hậu", birth_year=1952, gender="male", national_id="079052004455",
        address="4/4 Đường số 5", khu_pho="Khu phố 8", cat="TB81", amount=600000)
    add(dict(name="Lưu Thị Thắm", birth=1957, gt="Nữ", id="079157005566", addr="10 Đường số 5",
             kp="KP 9", cat="BTXH", amount="abc"),
        full_name="Lưu Thị Thắm", birth_year=1957, gender="female", national_id="079157005566",
        address="10 Đường số 5", khu_pho="Khu phố 9", cat="BTXH", amount=None,
        status="rejected", issues=["amount"])
    add(dict(name="Tạ Văn Chiến", birth=1949, gt="Nam", id="079049006677", addr="22 Đường số 5",
             kp="KP 9", cat="HĐKC", amount=-5000),
        full_name="Tạ Văn Chiến", birth_year=1949, gender="male", national_id="079049006677",
        address="22 Đường số 5", khu_pho="Khu phố 9", cat="HDKC", amount=-5000,
        status="rejected", issues=["amount"])
    # Same person as the first row (the CCCD typed as text this time).
    add(dict(name="Nguyễn Văn Quang", birth=1948, gt="Nam", id="079048000123", addr="12/3 Đỗ Xuân Hợp",
             kp="KP 1", cat="TB", amount=300000),
        full_name="Nguyễn Văn Quang", birth_year=1948, gender="male", national_id="079048000123",
        address="12/3 Đỗ Xuân Hợp", khu_pho="Khu phố 1", cat="TB", amount=300000,
        status="duplicate", issues=["national_id"])
    add(dict(name="Phan Thị Đào", birth=1955, gt="Nữ", id=None, addr="25/6 Đỗ Xuân Hợp",
             kp="KP 2", cat="Hoàn cảnh khó khăn", amount=300000),
        full_name="Phan Thị Đào", birth_year=1955, gender="female", national_id=None,
        address="25/6 Đỗ Xuân Hợp", khu_pho="Khu phố 2", cat="HCKK", amount=300000)
    # Same person, no ID: same normalised name + birth year + address.
    add(dict(name="PHAN THỊ  ĐÀO", birth=1955, gt="Nữ", id=None, addr="25/6  Đỗ Xuân Hợp",
             kp="KP 2", cat="HCKK", amount=300000),
        full_name="Phan Thị Đào", birth_year=1955, gender="female", national_id=None,
        address="25/6 Đỗ Xuân Hợp", khu_pho="Khu phố 2", cat="HCKK", amount=300000,
        status="duplicate", issues=["row"])

    r = 7
    expected = []
    for i, (c, e) in enumerate(E, start=1):
        s.put(r, 1, i, center=True, box=True)
        s.put(r, 2, c["name"], box=True, text=True)
        if isinstance(c["birth"], dt.datetime):
            s.put(r, 3, c["birth"], box=True, fmt="dd/mm/yyyy")
        else:
            s.put(r, 3, c["birth"], box=True, center=True)
        s.put(r, 4, c["gt"], box=True, center=True)
        idc = s.put(r, 5, c["id"], box=True, center=True)
        if isinstance(c["id"], int):
            idc.number_format = "0"
        s.put(r, 6, c["addr"], box=True)
        s.put(r, 7, c["kp"], box=True, center=True)
        s.put(r, 8, c["cat"], box=True)
        amt = s.put(r, 9, c["amount"], box=True)
        if isinstance(c["amount"], int):
            amt.number_format = "#,##0"
        s.put(r, 10, c.get("note"), box=True, text=True)
        if e.get("cat") and c["cat"]:
            assert category_of(c["cat"]) == e["cat"], c["cat"]
        status = e.pop("status", "accepted")
        issues = e.pop("issues", [])
        expected.append(row(r, e["full_name"], e["birth_year"], e["gender"], e["national_id"],
                            e["address"], e["khu_pho"], ward, e["cat"], e["amount"], e.get("note"),
                            status=status, issues=issues))
        r += 1
    signatures(s, r + 1, 2, 8, "Huỳnh Ngọc Trâm", "Trần Quốc Bảo")
    save_xlsx(wb, name)
    write_expected(name, ws.title, 6, ward, expected)


# ============================================================================================
# 03 — Long Bình, legacy BIFF8 .xls with TCVN3 (ABC) text in .VnTime / .VnTimeH fonts.
# ============================================================================================
def make_03():
    import xlwt

    name = "03-long-binh-tcvn3.xls"
    ward = "Long Bình"
    wb = xlwt.Workbook(encoding="latin-1")
    ws = wb.add_sheet("DS Long Binh")

    def style(font_name, bold=False, italic=False, center=False, box=False, num=None):
        st = xlwt.XFStyle()
        f = xlwt.Font()
        f.name = font_name
        f.height = 260
        f.bold = bold
        f.italic = italic
        st.font = f
        if center:
            a = xlwt.Alignment()
            a.horz = xlwt.Alignment.HORZ_CENTER
            a.vert = xlwt.Alignment.VERT_CENTER
            a.wrap = 1
            st.alignment = a
        if box:
            b = xlwt.Borders()
            b.left = b.right = b.top = b.bottom = xlwt.Borders.THIN
            st.borders = b
        if num:
            st.num_format_str = num
        return st

    H = lambda **k: style(".VnTimeH", **k)  # all-capitals font
    N = lambda **k: style(".VnTime", **k)   # normal font
    T = to_tcvn3
    widths = [6, 26, 9, 9, 16, 24, 10, 22, 12, 22, 12]
    for i, w in enumerate(widths):
        ws.col(i).width = w * 300
    ws.write_merge(0, 0, 0, 2, T("UBND QUẬN 9"), H(center=True))
    ws.write_merge(1, 1, 0, 2, T("UBND PHƯỜNG LONG BÌNH"), H(bold=True, center=True))
    ws.write_merge(0, 0, 6, 10, T("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), H(bold=True, center=True))
    ws.write_merge(1, 1, 6, 10, T("Độc lập - Tự do - Hạnh phúc"), N(bold=True, center=True))
    ws.write_merge(3, 3, 0, 10, T("DANH SÁCH NHẬN QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021"), H(bold=True, center=True))
    ws.write_merge(4, 4, 0, 10, T("(Kèm theo Công văn số 18/UBND-LĐTBXH ngày 05/01/2021)"), N(italic=True, center=True))
    heads = ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Số CMND/CCCD", "Địa chỉ", "Khu phố",
             "Đối tượng", "Số tiền", "Ghi chú", "Ký nhận"]
    header_row = 7
    for c, h in enumerate(heads):
        ws.write(header_row - 1, c, T(h), N(bold=True, center=True, box=True))
    people = [
        ("Đặng Văn Lực", 1948, "Nam", "male", cccd(79, "male", 1948, 3311), "15 Nguyễn Xiển", 1,
         "Thương binh", 300000, None, "TB", "Đặng Văn Lực", None),
        ("Trương Thị Hường", 1951, "Nữ", "female", cccd(79, "female", 1951, 2204), "7/3 Hoàng Hữu Nam", 2,
         "Vợ liệt sĩ", 300000, None, "TNLS", "Trương Thị Hường", None),
        ("Nguyễn Thị Thu", 1939, "Nữ", "female", None, "102 Nguyễn Văn Tăng", 3,
         "Mẹ VNAH", 600000, "Ủy quyền cho con", "BMVNAH", "Nguyễn Thị Thu", "ủy quyền cho con"),
        # Typed in capitals: every capital here has its own TCVN3 code (Ê Ă Â), so it decodes to
        # "LÊ VĂN TÂM" and is title-cased like any all-caps name.
        ("LÊ VĂN TÂM", 1950, "Nam", "male", cccd(79, "male", 1950, 6612), "22/1 Nguyễn Xiển", 1,
         "TB 4/4", 300000, None, "TB", "Lê Văn Tâm", None),
        ("Dương Văn Lương", 1947, "Nam", "male", cccd(79, "male", 1947, 1188), "9 Đường số 17", 4,
         "Bệnh binh", 300000, None, "BB", "Dương Văn Lương", None),
        ("Lưu Thị Mỹ Dung", 1956, "Nữ", "female", cccd(79, "female", 1956, 4470), "31 Hoàng Hữu Nam", 2,
         "Chất độc hóa học", 300000, None, "CDHH", "Lưu Thị Mỹ Dung", None),
        ("Phạm Đức Thắng", 1944, "Nam", "male", "022345678", "5/12 Nguyễn Văn Tăng", 3,
         "Tù đày", 300000, None, "TUDAY", "Phạm Đức Thắng", None),
        ("Hồ Thị Tuyết Nhung", 1970, "Nữ", "female", cccd(79, "female", 1970, 8823), "47 Đường số 17", 4,
         "Hộ nghèo", 500000, None, "HN", "Hồ Thị Tuyết Nhung", None),
        ("Nguyễn Văn Đường", 1941, "Nam", "male", cccd(79, "male", 1941, 2267), "88 Nguyễn Xiển", 5,
         "Người cao tuổi", 300000, None, "BTXH", "Nguyễn Văn Đường", None),
        ("Đào Thị Ân", 1960, "Nữ", "female", cccd(79, "female", 1960, 5539), "14/2 Hoàng Hữu Nam", 5,
         "Con liệt sĩ", 300000, None, "TNLS", "Đào Thị Ân", None),
    ]
    r = header_row + 1
    expected = []
    total = 0
    for i, (nm, year, gt, gender, nid, addr, kp, typed, amount, note, cat, exp_name, exp_note) in enumerate(people, 1):
        assert category_of(typed) == cat, typed
        # The decoded text (plain table decoding) must give back the expected values.
        assert from_tcvn3(T(nm)).lower() == exp_name.lower() or from_tcvn3(T(nm)) == nm
        if note:
            assert from_tcvn3(T(note)) == exp_note, (from_tcvn3(T(note)), exp_note)
        vals = [i, T(nm), year, T(gt), nid, T(addr), f"KP {kp}", T(typed), amount,
                T(note) if note else None, None]
        for c, v in enumerate(vals):
            st = N(box=True, center=c in (0, 2, 3, 4, 6), num="#,##0" if c == 8 else None)
            if v is None:
                ws.write(r - 1, c, "", st)
            else:
                ws.write(r - 1, c, v, st)
        total += amount
        expected.append(row(r, exp_name, year, gender, nid, addr, f"Khu phố {kp}", ward, cat, amount,
                            exp_note))
        r += 1
    ws.write(r - 1, 1, T("Tổng cộng"), N(bold=True, center=True, box=True))
    ws.write(r - 1, 8, total, N(bold=True, box=True, num="#,##0"))
    r += 1
    ws.write_merge(r - 1, r - 1, 0, 10, T(f"Bằng chữ: {amount_in_words(total)}./."), N(italic=True))
    r += 2
    ws.write(r - 1, 1, T("Người lập biểu"), N(bold=True, center=True))
    ws.write(r - 1, 7, T("TM. ỦY BAN NHÂN DÂN"), H(bold=True, center=True))
    ws.write(r, 7, T("CHỦ TỊCH"), H(bold=True, center=True))
    ws.write(r + 4, 1, T("Lê Thị Bích Ngọc"), N(bold=True, center=True))
    ws.write(r + 4, 7, T("Nguyễn Thành Công"), N(bold=True, center=True))
    wb.save(os.path.join(HERE, name))
    write_expected(name, "DS Long Binh", header_row, ward, expected)


# ============================================================================================
# 04 — Phước Long B, text in VNI (VNI-Times font): base letter + mark byte.
# ============================================================================================
def make_04():
    name = "04-phuoc-long-b-vni.xlsx"
    ward = "Phước Long B"
    wb = new_workbook()
    ws = wb.active
    ws.title = "Danh sach"
    s = Sheet(ws, font_name="VNI-Times", size=13)
    V = to_vni
    s.widths([5, 26, 10, 16, 24, 10, 24, 12, 22, 12])
    s.put(1, 1, V("ỦY BAN NHÂN DÂN"), bold=True, center=True)
    s.merge(1, 1, 1, 3)
    s.put(2, 1, V("PHƯỜNG PHƯỚC LONG B"), bold=True, center=True)
    s.merge(2, 1, 2, 3)
    s.put(1, 6, V("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, center=True)
    s.merge(1, 6, 1, 10)
    s.put(2, 6, V("Độc lập - Tự do - Hạnh phúc"), bold=True, center=True)
    s.merge(2, 6, 2, 10)
    s.put(4, 1, V("DANH SÁCH ĐỐI TƯỢNG NHẬN QUÀ TẾT TÂN SỬU 2021"), bold=True, center=True)
    s.merge(4, 1, 4, 10)
    heads = ["STT", "Họ và tên", "Năm sinh", "Số CCCD", "Địa chỉ", "Khu phố", "Đối tượng",
             "Số tiền", "Ghi chú", "Ký nhận"]
    header_row = 6
    for c, h in enumerate(heads, start=1):
        s.put(header_row, c, V(h), bold=True, center=True, box=True)
    people = [
        ("Nguyễn Văn Hòa", "Nguyễn Văn Hòa", 1946, "male", cccd(79, "male", 1946, 5512),
         "12 Đỗ Xuân Hợp", 1, "Thương binh", 300000, None, "TB"),
        ("Lê Thị Ánh Tuyết", "Lê Thị Ánh Tuyết", 1953, "female", cccd(79, "female", 1953, 6623),
         "45/2 Dương Đình Hội", 2, "Con liệt sĩ", 300000, None, "TNLS"),
        ("Trần Quốc Việt", "Trần Quốc Việt", 1949, "male", cccd(79, "male", 1949, 7734),
         "8 Đường số 5", 3, "Bệnh binh", 300000, None, "BB"),
        ("NGUYỄN THỊ HOA", "Nguyễn Thị Hoa", 1958, "female", cccd(79, "female", 1958, 8845),
         "102 Dương Đình Hội", 1, "Hộ nghèo", 500000, None, "HN"),
        ("Phạm Văn Út", "Phạm Văn Út", 1944, None, None,
         "3/7 Đỗ Xuân Hợp", 4, "Tiền khởi nghĩa", 600000, "Ủy quyền cho con gái", "TKN"),
        ("Huỳnh Thị Thủy", "Huỳnh Thị Thủy", 1951, "female", cccd(79, "female", 1951, 9956),
         "77 Tây Hòa", 2, "Vợ liệt sĩ", 300000, None, "TNLS"),
        ("Đặng Văn Cường", "Đặng Văn Cường", 1948, "male", cccd(79, "male", 1948, 1067),
         "19 Tây Hòa", 3, "Nhiễm chất độc hóa học", 300000, None, "CDHH"),
        ("Võ Thị Hường", "Võ Thị Hường", 1962, "female", cccd(79, "female", 1962, 2178),
         "6/1 Đường số 5", 4, "Cận nghèo", 300000, None, "HCN"),
        ("Trương Văn Lợi", "Trương Văn Lợi", 1939, "male", cccd(79, "male", 1939, 3289),
         "50 Đỗ Xuân Hợp", 5, "Lão thành cách mạng", 600000, None, "LTCM"),
        ("Bùi Thị Nguyệt", "Bùi Thị Nguyệt", 1956, "female", cccd(79, "female", 1956, 4390),
         "28 Dương Đình Hội", 5, "Người khuyết tật nặng", 300000, None, "BTXH"),
    ]
    r = header_row + 1
    expected = []
    total = 0
    for i, (typed_name, nm, year, gender, nid, addr, kp, typed, amount, note, cat) in enumerate(people, 1):
        assert category_of(typed) == cat, typed
        vals = [i, V(typed_name), year, nid, V(addr), f"KP {kp}", V(typed), amount,
                V(note) if note else None, None]
        for c, v in enumerate(vals, start=1):
            s.put(r, c, v, box=True, center=c in (1, 3, 4, 6), fmt="#,##0" if c == 8 else None)
        total += amount
        expected.append(row(r, nm, year, gender, nid, addr, f"Khu phố {kp}", ward, cat, amount, note))
        r += 1
    s.put(r, 2, V("Tổng cộng"), bold=True, center=True, box=True)
    s.put(r, 8, total, bold=True, box=True, fmt="#,##0")
    r += 1
    s.put(r, 1, V(f"Bằng chữ: {amount_in_words(total)}."), italic=True)
    s.merge(r, 1, r, 10)
    r += 2
    s.put(r, 2, V("Người lập biểu"), bold=True, center=True)
    s.put(r, 7, V("TM. ỦY BAN NHÂN DÂN"), bold=True, center=True)
    s.put(r + 1, 7, V("KT. CHỦ TỊCH"), bold=True, center=True)
    s.put(r + 2, 7, V("PHÓ CHỦ TỊCH"), bold=True, center=True)
    s.put(r + 6, 2, V("Lâm Thị Kiều Oanh"), bold=True, center=True)
    s.put(r + 6, 7, V("Đỗ Minh Triết"), bold=True, center=True)
    save_xlsx(wb, name)
    write_expected(name, ws.title, header_row, ward, expected)


# ============================================================================================
# 05 — the whole district (Quận 9, Tết Canh Tý 2020): a Phường column in varied spellings.
# ============================================================================================
def make_05():
    name = "05-quan-9-toan-quan.xlsx"
    wb = new_workbook()
    ws = wb.active
    ws.title = "Tong hop"
    s = Sheet(ws)
    s.widths([5, 24, 13, 16, 22, 20, 22, 12, 20])
    title_block(s, "UBND QUẬN 9", "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
                "Quận 9, ngày 06 tháng 01 năm 2020",
                "DANH SÁCH TỔNG HỢP ĐỐI TƯỢNG NHẬN QUÀ TẾT NGUYÊN ĐÁN CANH TÝ 2020", None,
                last_col=9)
    heads = ["STT", "Họ và tên", "Ngày sinh", "Số định danh", "Địa chỉ", "Phường", "Đối tượng",
             "Số tiền", "Ghi chú"]
    header_row = 6
    for c, h in enumerate(heads, start=1):
        s.put(header_row, c, h, bold=True, center=True, box=True)
    D = dt.datetime
    # (name, birth cell, birth_year, id cell, expected id, gender, address, typed ward,
    #  expected ward, typed category, cat, amount, note, status, issues)
    people = [
        ("Nguyễn Văn Tâm", D(1946, 5, 12), 1946, "079046001357", "079046001357", "male",
         "12/3 Lê Văn Việt", "Hiệp Phú", "Hiệp Phú", "TB 3/4", "TB", 200000, None, "accepted", []),
        ("Trần Thị Hoa", D(1950, 1, 20), 1950, "079150002468", "079150002468", "female",
         "34 Đường số 1", "P. Tân Phú", "Tân Phú", "Con liệt sĩ", "TNLS", 200000, None, "accepted", []),
        ("Lê Văn Bảy", "03/07/1938", 1938, "020123456", "020123456", None,
         "7 Nguyễn Duy Trinh", "phường Long Trường", "Long Trường", "Tiền khởi nghĩa", "TKN", 400000,
         None, "accepted", []),
        ("Phạm Thị Sen", D(1952, 11, 2), 1952, None, None, None,
         "45/6 Đường số 8", "PHƯỚC BÌNH", "Phước Bình", "Hộ nghèo", "HN", 300000, None, "accepted", []),
        ("Hoàng Văn Thái", D(1949, 8, 19), 1949, 79049002345, "079049002345", "male",
         "120 Đình Phong Phú", "Tang Nhon Phu B", "Tăng Nhơn Phú B", "BB 2/3", "BB", 200000, None,
         "accepted", []),
        ("Ngô Thị Lài", 1928, 1928, None, None, None,
         "3 Nguyễn Xiển", "P.Long Bình", "Long Bình", "BMVNAH", "BMVNAH", 400000, None, "accepted", []),
        ("Đinh Văn Hậu", D(1955, 2, 28), 1955, "079055003456", "079055003456", "male",
         "14 Đường 990", "Phường Phú Hữu", "Phú Hữu", "GĐCM", "GDCM", 200000, None, "accepted", []),
        ("Võ Thị Kim", D(1960, 6, 30), 1960, "079160004567", "079160004567", "female",
         "21 Nguyễn Văn Tăng", "Long Thạnh Mỹ", "Long Thạnh Mỹ", "Người nhiễm HIV", "HIV", 300000,
         None, "accepted", []),
        ("Trần Văn Sơn", D(1947, 12, 1), 1947, "079047005678", "079047005678", "male",
         "9 Lã Xuân Oai", "tăng nhơn phú a", "Tăng Nhơn Phú A", "CĐHH", "CDHH", 200000, None,
         "accepted", []),
        ("Lý Thị Bích", D(1958, 4, 4), 1958, "079158006789", "079158006789", "female",
         "67 Đường số 6", "Phước Long A", "Phước Long A", "HCN", "HCN", 300000, None, "accepted", []),
        # The same person (same ID) also listed by Tân Phú under another category.
        ("Nguyễn Văn Tâm", D(1946, 5, 12), 1946, "079046001357", "079046001357", "male",
         "12/3 Lê Văn Việt", "P. Tân Phú", "Tân Phú", "HĐKC", "HDKC", 200000, "Tân Phú đề nghị",
         "duplicate", ["national_id"]),
        ("Dương Thị Hạnh", "15/09/1951", 1951, "079151007890", "079151007890", "female",
         "4 Đường số 2", "P. Trường Thạnh", "Trường Thạnh", "Người cao tuổi", "BTXH", 300000, None,
         "accepted", []),
        ("Mai Văn Tùng", D(1950, 10, 10), 1950, "079050018901", "079050018901", "male",
         "2 Long Thuận", "Long Phuoc", "Long Phước", "HĐKC", "HDKC", 200000, None, "accepted", []),
        ("Tôn Thất Hùng", D(1953, 3, 3), 1953, "079053009012", "079053009012", "male",
         "11 Đường số 5", "Phường Phước Long B", "Phước Long B", "TB 2/4", "TB", 200000, None,
         "accepted", []),
        # Not a ward of Quận 9 (Bình Trưng Đông was in Quận 2): rejected.
        ("Kim Văn Lộc", D(1957, 7, 7), 1957, "079057001123", "079057001123", "male",
         "2 Nguyễn Duy Trinh", "Bình Trưng Đông", None, "HCKK", "HCKK", 300000, None,
         "rejected", ["ward"]),
        # "Phước Long" alone is ambiguous (Phước Long A or B): rejected.
        ("Hà Thị Thu", D(1961, 1, 15), 1961, "079161002234", "079161002234", "female",
         "31 Đường số 7", "Phước Long", None, "HCN", "HCN", 300000, None, "rejected", ["ward"]),
        # No ward at all in a district-wide file: rejected.
        ("Lạc Văn Tài", D(1954, 9, 9), 1954, "079054003345", "079054003345", "male",
         "5 Đường số 3", None, None, "BB", "BB", 200000, None, "rejected", ["ward"]),
    ]
    r = header_row + 1
    expected = []
    total = 0
    for i, (nm, birth, year, idcell, nid, gender, addr, wtyped, wexp, typed, cat, amount, note,
            status, issues) in enumerate(people, 1):
        assert category_of(typed) == cat, typed
        assert (ward_of(wtyped) if wtyped else None) == wexp, wtyped
        s.put(r, 1, i, center=True, box=True)
        s.put(r, 2, nm, box=True)
        if isinstance(birth, dt.datetime):
            s.put(r, 3, birth, box=True, center=True, fmt="dd/mm/yyyy")
        else:
            s.put(r, 3, birth, box=True, center=True)
        c = s.put(r, 4, idcell, box=True, center=True)
        if isinstance(idcell, int):
            c.number_format = "0"
        s.put(r, 5, addr, box=True)
        s.put(r, 6, wtyped, box=True)
        s.put(r, 7, typed, box=True)
        s.put(r, 8, amount, box=True, fmt="#,##0")
        s.put(r, 9, note, box=True)
        total += amount
        expected.append(row(r, nm, year, gender, nid, addr, None, wexp, cat, amount, note,
                            status=status, issues=issues))
        r += 1
    s.put(r, 2, "Tổng cộng", bold=True, center=True, box=True)
    s.put(r, 8, total, bold=True, box=True, fmt="#,##0")
    r += 1
    s.put(r, 1, f"Bằng chữ: {amount_in_words(total)}.", italic=True)
    s.merge(r, 1, r, 9)
    signatures(s, r + 2, 2, 7, "Nguyễn Thị Mỹ Linh", "Võ Văn Hoàng",
               right_title="TRƯỞNG PHÒNG")
    # signatures() writes "CHỦ TỊCH" under the right title; a district office signs as TRƯỞNG PHÒNG.
    ws.cell(row=r + 3, column=7).value = None
    save_xlsx(wb, name)
    write_expected(name, ws.title, header_row, None, expected)


# ============================================================================================
# 07 — Trường Thạnh, OpenDocument spreadsheet (.ods), a simple merit list with a title block.
# ============================================================================================
def make_07():
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties, TextProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P

    name = "07-truong-thanh.ods"
    ward = "Trường Thạnh"
    doc = OpenDocumentSpreadsheet()
    bold = Style(name="bold", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold", fontfamily="Times New Roman"))
    doc.automaticstyles.addElement(bold)
    colw = Style(name="co1", family="table-column")
    colw.addElement(TableColumnProperties(columnwidth="3.5cm"))
    doc.automaticstyles.addElement(colw)
    table = Table(name="Danh sách")
    NCOL = 9
    table.addElement(TableColumn(numbercolumnsrepeated=NCOL, stylename=colw))

    def text_cell(v, span=1, st=None):
        kw = {"valuetype": "string"}
        if span > 1:
            kw["numbercolumnsspanned"] = span
        if st:
            kw["stylename"] = st
        c = TableCell(**kw)
        c.addElement(P(text=v))
        return c

    def num_cell(v):
        c = TableCell(valuetype="float", value=v)
        c.addElement(P(text=str(v)))
        return c

    def add_row(cells):
        tr = TableRow()
        used = 0
        for c in cells:
            if c is None:
                tr.addElement(TableCell())
                used += 1
                continue
            tr.addElement(c)
            span = int(c.getAttribute("numbercolumnsspanned") or 1)
            for _ in range(span - 1):
                tr.addElement(CoveredTableCell())
            used += span
        if used < NCOL:
            tr.addElement(TableCell(numbercolumnsrepeated=NCOL - used))
        table.addElement(tr)

    add_row([text_cell("UBND QUẬN 9", 3), None, text_cell("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 5, bold)])
    add_row([text_cell("UBND PHƯỜNG TRƯỜNG THẠNH", 3, bold), None,
             text_cell("Độc lập - Tự do - Hạnh phúc", 5, bold)])
    add_row([])
    add_row([text_cell("DANH SÁCH KÝ NHẬN QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021", NCOL, bold)])
    add_row([])
    header_row = 6
    heads = ["STT", "Họ và tên", "Năm sinh", "Số CCCD", "Địa chỉ", "Khu phố", "Đối tượng",
             "Số tiền", "Ký nhận"]
    add_row([text_cell(h, st=bold) for h in heads])
    people = [
        ("Nguyễn Văn Sang", 1948, "male", cccd(79, "male", 1948, 2211), "15 Lò Lu", "Khu phố 1",
         "TB 2/4", 300000, "TB"),
        ("Phan Thị Lựu", 1950, "female", cccd(79, "female", 1950, 3322), "8/2 Đường số 1", "Khu phố 1",
         "Thân nhân liệt sĩ", 300000, "TNLS"),
        # CCCD entered as a number: an .ods stores it as a float, leading 0 lost.
        ("Lê Văn Trí", 1952, "male", 79052004433.0, "27 Lò Lu", "Khu phố 2", "BB", 300000, "BB"),
        ("Trần Thị Ngọc", 1946, "female", cccd(79, "female", 1946, 5544), "4 Đường số 2", "Khu phố 2",
         "Mẹ liệt sĩ", 300000, "TNLS"),
        ("Võ Văn Chín", 1945, "male", None, "90 Lò Lu", "Khu phố 3", "Tù đày", 300000, "TUDAY"),
        ("Ngô Thị Nở", 1930, "female", None, "12 Đường số 3", "Khu phố 3", "Bà mẹ VNAH", 600000,
         "BMVNAH"),
        ("Đặng Văn Dũng", 1951, "male", cccd(79, "male", 1951, 6655), "33 Đường số 3", "Khu phố 4",
         "AHLLVT", 600000, "AHLLVT"),
        ("Hồ Thị Mận", 1958, "female", cccd(79, "female", 1958, 7766), "61 Lò Lu", "Khu phố 4",
         "Hoạt động kháng chiến", 300000, "HDKC"),
    ]
    expected = []
    total = 0
    r = header_row + 1
    for i, (nm, year, gender, idv, addr, kp, typed, amount, cat) in enumerate(people, 1):
        assert category_of(typed) == cat, typed
        nid = None if idv is None else (idv if isinstance(idv, str) else f"{int(idv):012d}")
        id_cell = None if idv is None else (text_cell(idv) if isinstance(idv, str) else num_cell(idv))
        add_row([num_cell(i), text_cell(nm), num_cell(year), id_cell, text_cell(addr),
                 text_cell(kp), text_cell(typed), num_cell(amount), None])
        total += amount
        # No Giới tính column and no Nam/Nữ columns: only a CCCD can tell the gender.
        expected.append(row(r, nm, year, gender if nid else None, nid, addr, kp, ward, cat, amount))
        r += 1
    add_row([None, text_cell("Tổng cộng", st=bold), None, None, None, None, None, num_cell(total)])
    add_row([text_cell(f"Bằng chữ: {amount_in_words(total)}.", NCOL)])
    add_row([])
    add_row([None, text_cell("Người lập biểu", st=bold), None, None, None, None,
             text_cell("TM. ỦY BAN NHÂN DÂN", st=bold)])
    add_row([None, None, None, None, None, None, text_cell("CHỦ TỊCH", st=bold)])
    add_row([])
    add_row([])
    add_row([None, text_cell("Châu Thị Hồng Nhung", st=bold), None, None, None, None,
             text_cell("Trịnh Văn Đạt", st=bold)])
    doc.spreadsheet.addElement(table)
    path = os.path.join(HERE, name)
    doc.save(path)
    _pin_ods(path)
    write_expected(name, "Danh sách", header_row, ward, expected)


def _pin_ods(path):
    """Drop odfpy's timestamps and keep 'mimetype' first and stored, as ODF requires."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    items.sort(key=lambda it: it[0] != "mimetype")
    with zipfile.ZipFile(path, "w") as z:
        for fname, data in items:
            if fname == "meta.xml":
                data = re.sub(rb"<meta:creation-date>[^<]*</meta:creation-date>",
                              b"<meta:creation-date>2021-01-10T08:00:00</meta:creation-date>", data)
                data = re.sub(rb"<dc:date>[^<]*</dc:date>", b"<dc:date>2021-01-10T08:00:00</dc:date>", data)
                data = re.sub(rb"<meta:generator>[^<]*</meta:generator>", b"<meta:generator>odfpy</meta:generator>", data)
            zi = zipfile.ZipInfo(fname, date_time=(2021, 1, 10, 8, 0, 0))
            zi.compress_type = zipfile.ZIP_STORED if fname == "mimetype" else zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)


# ============================================================================================
# 08 — Long Phước: the list is on the THIRD sheet (a notes sheet and an empty sheet first);
#      header "Ngày tháng năm sinh" with real dates, "Số định danh", "Địa chỉ thường trú", "KP".
# ============================================================================================
def make_08():
    name = "08-long-phuoc-nhieu-sheet.xlsx"
    ward = "Long Phước"
    wb = new_workbook()
    notes = wb.active
    notes.title = "Hướng dẫn"
    for i, line in enumerate([
        "HƯỚNG DẪN LẬP DANH SÁCH",
        "1. Ghi đầy đủ họ tên, ngày tháng năm sinh theo CCCD.",
        "2. Số định danh ghi đủ 12 số; người chưa có CCCD để trống.",
        "3. Mỗi người chỉ nhận 01 phần quà theo mức cao nhất.",
    ], start=1):
        notes.cell(row=i, column=1, value=line)
    wb.create_sheet("Sheet2")  # left empty, as wards' workbooks often have
    ws = wb.create_sheet("DS nhận quà")
    s = Sheet(ws)
    s.widths([5, 24, 14, 16, 26, 8, 22, 12])
    s.put(1, 1, "ỦY BAN NHÂN DÂN PHƯỜNG LONG PHƯỚC", bold=True)
    s.merge(1, 1, 1, 4)
    s.put(1, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, center=True)
    s.merge(1, 5, 1, 8)
    s.put(2, 5, "Độc lập - Tự do - Hạnh phúc", bold=True, center=True)
    s.merge(2, 5, 2, 8)
    s.put(3, 1, "DANH SÁCH NHẬN QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021", bold=True, center=True)
    s.merge(3, 1, 3, 8)
    header_row = 5
    heads = ["STT", "Họ và tên", "Ngày tháng năm sinh", "Số định danh", "Địa chỉ thường trú", "KP",
             "Diện", "Mức quà"]
    for c, h in enumerate(heads, start=1):
        s.put(header_row, c, h, bold=True, center=True, box=True)
    D = dt.datetime
    people = [
        ("Nguyễn Văn Lành", D(1947, 2, 3), 1947, "male", cccd(79, "male", 1947, 1001),
         "5 Long Thuận", "1", "TB", 300000, "TB"),
        ("Trần Thị Nhàn", D(1952, 9, 21), 1952, "female", cccd(79, "female", 1952, 1002),
         "18/3 Long Thuận", "1", "TNLS", 300000, "TNLS"),
        ("Lê Văn Thiện", D(1949, 12, 30), 1949, "male", cccd(79, "male", 1949, 1003),
         "Tổ 4, ấp Long Thạnh", "2", "CCGĐCM", 300000, "GDCM"),
        ("Phạm Thị Mến", D(1965, 7, 14), 1965, "female", cccd(79, "female", 1965, 1004),
         "22 Long Phước", "2", "HN", 500000, "HN"),
        ("Huỳnh Văn Nghĩa", D(1944, 1, 1), 1944, "male", None,
         "47 Long Phước", "3", "BB 1/3", 600000, "BB81"),
        ("Võ Thị Thơm", D(2008, 4, 9), 2008, "female", cccd(79, "female", 2008, 1005),
         "9 Long Thuận", "3", "Trẻ mồ côi", 300000, "BTXH"),
        ("Đỗ Văn Hiếu", D(1956, 10, 5), 1956, "male", cccd(79, "male", 1956, 1006),
         "63 Long Phước", "4", "HCKK", 300000, "HCKK"),
        ("Bùi Thị Tươi", D(1960, 8, 8), 1960, "female", cccd(79, "female", 1960, 1007),
         "70 Long Thuận", "4", "HCN", 300000, "HCN"),
    ]
    expected = []
    r = header_row + 1
    for i, (nm, birth, year, gender, nid, addr, kp, typed, amount, cat) in enumerate(people, 1):
        assert category_of(typed) == cat, typed
        vals = [i, nm, birth, nid, addr, kp, typed, amount]
        for c, v in enumerate(vals, start=1):
            s.put(r, c, v, box=True, center=c in (1, 3, 4, 6),
                  fmt="dd/mm/yyyy" if c == 3 else ("#,##0" if c == 8 else None))
        # No Giới tính column and no Nam/Nữ columns: only a CCCD can tell the gender.
        expected.append(row(r, nm, year, gender if nid else None, nid, addr, f"Khu phố {kp}", ward, cat, amount))
        r += 1
    wb.active = 0
    save_xlsx(wb, name)
    write_expected(name, ws.title, header_row, ward, expected)


if __name__ == "__main__":
    os.makedirs(EXPECTED, exist_ok=True)
    for fn in [make_01, make_02, make_03, make_04, make_05, make_06, make_07, make_08]:
        fn()
    print("done")
