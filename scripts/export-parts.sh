#!/usr/bin/env bash
# Writes every kind of export Chamlo makes, from a fixed scenario, and unpacks each workbook
# into its parts, so that two builds can be compared part by part:
#
#   scripts/export-parts.sh OLD_CHAMLO OLD_BENCH_DATA /tmp/old
#   scripts/export-parts.sh target/debug/chamlo target/debug/examples/bench_data /tmp/new
#   diff -r /tmp/old/parts /tmp/new/parts
#
# The scenario: a 2021 campaign, the generated district list (3,000 rows) and four samples
# imported, every ward's list approved, Long Bình's gifts recorded as received; then the
# all-wards workbook, Hiệp Phú's signing sheet, the report and the annotated copy of the
# sample with many problems. docProps/core.xml holds the creation time and is left out.
set -euo pipefail
chamlo=$(realpath "$1"); bench_data=$(realpath "$2"); out=$3
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out"; mkdir -p "$out/files" "$out/parts"
export DATABASE_URL="sqlite://$out/chamlo.db?mode=rwc" CHAMLO_ADMIN_PASSWORD=export-parts-1
"$bench_data" "$out/district.xlsx" 3000 >/dev/null
slug=$("$chamlo" campaign create --year 2021 --unit "Quận 9" | tail -n 1)
"$chamlo" import "$out/district.xlsx" --campaign "$slug" >/dev/null
for sample in 02-tang-nhon-phu-a-ho-ngheo.xlsx 03-long-binh-tcvn3.xls 04-phuoc-long-b-vni.xlsx 07-truong-thanh.ods; do
  "$chamlo" import "$root/import-samples/$sample" --campaign "$slug" >/dev/null
done
"$chamlo" import "$root/import-samples/06-phuoc-binh-nhieu-loi.xlsx" --campaign "$slug" --dry-run \
  --annotated "$out/files/annotated.xlsx" >/dev/null
wards=$("$chamlo" progress --campaign "$slug" --json | python3 -c '
import json, sys
print("\n".join(sorted({w["ward_name"].removeprefix("Phường ") for w in json.load(sys.stdin)["rows"]})))')
while IFS= read -r ward; do
  "$chamlo" list submit --campaign "$slug" --ward "$ward" >/dev/null
  "$chamlo" list approve --campaign "$slug" --ward "$ward" >/dev/null
done <<<"$wards"
"$chamlo" distribute --campaign "$slug" --ward "Long Bình" --all-pending --received >/dev/null
"$chamlo" export --campaign "$slug" --out "$out/files/all-wards.xlsx" >/dev/null
"$chamlo" export --campaign "$slug" --ward "Hiệp Phú" --out "$out/files/hiep-phu.xlsx" >/dev/null
"$chamlo" report --campaign "$slug" --out "$out/files/report.xlsx" >/dev/null
for file in "$out"/files/*.xlsx; do
  name=$(basename "$file" .xlsx)
  mkdir -p "$out/parts/$name"
  (cd "$out/parts/$name" && python3 -c '
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        if info.filename != "docProps/core.xml":
            z.extract(info)
' "$file")
done
echo "$(find "$out/parts" -type f | wc -l) parts in $out/parts"
