#!/usr/bin/env bash
# Checks that a signing sheet prints one page wide, the way a ward prints it without touching
# Excel: builds the chamlo binary, seeds a temporary SQLite database with a campaign and the
# import samples, exports the signing sheet of a ward whose list runs over several pages and
# the all-wards workbook, converts both to PDF with LibreOffice and checks with poppler's
# tools that
#   - every page is A4 landscape;
#   - every page of the signing sheet carries the whole header row, first column "STT" to
#     last column "Ghi chú" (repeated headers, fit to width: no page holds only the columns
#     that did not fit), and its page number "Trang k/N";
#   - every page of the all-wards workbook starts with its "STT" column (no overflow page).
# Needs: cargo, libreoffice (libreoffice-calc-nogui), pdfinfo and pdftotext (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { printf 'check-print-layout: FAIL: %s\n' "$*" >&2; exit 1; }
note() { printf 'check-print-layout: %s\n' "$*"; }

for tool in libreoffice pdfinfo pdftotext; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done

cargo build --quiet --bin chamlo
target_dir="$(cargo metadata --format-version 1 --no-deps \
  | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
chamlo="${target_dir:-target}/debug/chamlo"
[ -x "$chamlo" ] || fail "no binary at $chamlo"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export DATABASE_URL="sqlite://$work/chamlo.db?mode=rwc"
export CHAMLO_LOG=warn

"$chamlo" campaign create --year 2021 --unit "Quận 9" >/dev/null
for sample in import-samples/0*.xlsx import-samples/0*.xls import-samples/0*.ods; do
  "$chamlo" import "$sample" --campaign tet-2021 >/dev/null
done
# Phước Bình gets 14 people (from 06 and the district-wide 05): more than one page.
ward="Phước Bình"
"$chamlo" export --campaign tet-2021 --ward "$ward" --out "$work/sheet.xlsx" >/dev/null
"$chamlo" export --campaign tet-2021 --out "$work/all-wards.xlsx" >/dev/null

# A private LibreOffice profile: no clash with a running office or another check.
libreoffice -env:UserInstallation="file://$work/lo-profile" --headless \
  --convert-to pdf --outdir "$work" "$work/sheet.xlsx" "$work/all-wards.xlsx" >/dev/null 2>&1 \
  || fail "libreoffice could not convert the workbooks"

# Prints the number of pages after checking that each is A4 landscape.
check_pages() {
  local pdf="$1" pages size
  [ -s "$pdf" ] || fail "no PDF $pdf"
  pages="$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')"
  [ "${pages:-0}" -ge 1 ] || fail "$pdf has no pages"
  for page in $(seq 1 "$pages"); do
    size="$(pdfinfo -f "$page" -l "$page" "$pdf" | sed -n "s/^Page *$page size: *//p")"
    # A4 landscape: 841.89 x 595.28 pts, give or take rounding.
    awk -v s="$size" 'BEGIN { split(s, d, " "); w = d[1]; h = d[3];
      exit !(w > 838 && w < 846 && h > 591 && h < 599) }' \
      || fail "$(basename "$pdf") page $page is not A4 landscape: $size"
  done
  echo "$pages"
}

pages="$(check_pages "$work/sheet.pdf")"
[ "$pages" -ge 2 ] || fail "the test sheet should run over several pages, got $pages"
for page in $(seq 1 "$pages"); do
  text="$(pdftotext -layout -f "$page" -l "$page" "$work/sheet.pdf" -)"
  for header in "STT" "Họ và tên" "Số tiền" "Ký nhận" "Ghi chú"; do
    grep -qF "$header" <<<"$text" \
      || fail "signing sheet page $page/$pages lacks the column header \"$header\" (not one page wide, or headers not repeated)"
  done
  grep -qF "Trang $page/$pages" <<<"$text" || fail "signing sheet page $page lacks \"Trang $page/$pages\""
  # The hidden entry id column must not print.
  if grep -qF "Mã dòng" <<<"$text"; then fail "signing sheet page $page prints the hidden \"Mã dòng\" column"; fi
done
first="$(pdftotext -layout -f 1 -l 1 "$work/sheet.pdf" -)"
grep -qF "DANH SÁCH KÝ NHẬN QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021" <<<"$first" || fail "page 1 lacks the title"
last="$(pdftotext -layout -f "$pages" -l "$pages" "$work/sheet.pdf" -)"
grep -qF "Tổng cộng" <<<"$(pdftotext -layout "$work/sheet.pdf" -)" || fail "the sheet lacks its total"
grep -qF "Người lập biểu" <<<"$last" || fail "the last page lacks the signature block"
note "signing sheet: $pages pages, A4 landscape, each one page wide with the header row from STT to Ghi chú"

all_pages="$(check_pages "$work/all-wards.pdf")"
for page in $(seq 1 "$all_pages"); do
  text="$(pdftotext -layout -f "$page" -l "$page" "$work/all-wards.pdf" -)"
  grep -qF "STT" <<<"$text" || fail "all-wards page $page/$all_pages has no STT column: an overflow page"
done
note "all-wards workbook: $all_pages pages, A4 landscape, none holds only overflow columns"
note "OK"
