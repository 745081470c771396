#!/usr/bin/env bash
# The end-to-end benchmark of issue 7: one run, side by side, on this machine.
#
#   scripts/bench.sh            # 100,000 rows; SQLite, PostgreSQL (if reachable), baselines
#   BENCH_ROWS=20000 scripts/bench.sh
#   BENCH_SCALE=city scripts/bench.sh   # the city: 168 wards, 1M entries on PostgreSQL
#
# It generates the district-wide list deterministically (crates/sheets/examples/bench_data.rs), then times:
#   - `chamlo import` of it into a fresh SQLite database and into a fresh PostgreSQL database
#     (whole process: start, migrations check, read, check, commit), with peak memory;
#   - the baselines on the same file: pandas (engine openpyxl) reading it into SQLite, and
#     python-calamine merely parsing it (`to_python()`), both timed inside Python so that the
#     interpreter's start is not counted against them (skipped when the modules are absent;
#     `pip install pandas openpyxl python-calamine` adds them);
#   - `chamlo export` of all 13 wards' signing sheets plus the summary, against the floor:
#     rust_xlsxwriter writing exactly the same cells with their formats and no database
#     (crates/sheets/examples/export_floor.rs --faithful), the target's measure; and, as an extra row, the
#     strict floor, the same cells without any format;
#   - the district dashboard (the campaign page) and one ward's list page under 50 concurrent clients (wrk, 15 s
#     each, p95 from wrk's latency histogram) against a release build on the SQLite database.
# Each timing is the median of BENCH_RUNS runs (default 3). The table at the end is what the
# README's "Performance" section shows.
#
# Environment: BENCH_ROWS, BENCH_RUNS, BENCH_DIR (default target/bench), BENCH_PG
# (default postgres://postgres@127.0.0.1:5432; set to "" to skip PostgreSQL), BENCH_DB (the
# PostgreSQL databases' name, default chamlo_bench), BENCH_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
# BENCH_SCALE=city: the city's million entries on PostgreSQL instead (scripts/bench-city.sh).
if [ "${BENCH_SCALE:-district}" = city ]; then exec scripts/bench-city.sh; fi

ROWS=${BENCH_ROWS:-100000}
RUNS=${BENCH_RUNS:-3}
DIR=${BENCH_DIR:-target/bench}
PG=${BENCH_PG-postgres://postgres@127.0.0.1:5432}
PORT=${BENCH_PORT:-18089}
CLIENTS=50
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
RELEASE=${CARGO_TARGET_DIR:-target}/release
BIN=$RELEASE/chamlo
export CHAMLO_ADMIN_PASSWORD=bench-admin-password
export CHAMLO_LOG=warn

need() { command -v "$1" >/dev/null 2>&1; }
say() { printf '%s\n' "$*" >&2; }

if ! need wrk; then
  say "wrk is missing: installing it (apt-get install wrk)"
  apt-get install -y wrk >/dev/null 2>&1 || say "could not install wrk; the HTTP rows will be skipped"
fi
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null 2>&1

say "building (release)…"
cargo build --release --quiet --bin chamlo --example bench_data --example export_floor --example storage_floor
FILE="$DIR/district-$ROWS.xlsx"
if [ ! -s "$FILE" ]; then
  "$RELEASE"/examples/bench_data "$FILE" "$ROWS"
fi

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {m=int((NR+1)/2); print a[m]}'; }

# timed CMD...: runs CMD, prints "<seconds> <peak KB>" (wall time to the millisecond).
timed() {
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$DIR/rss" "$@" >"$DIR/last.out" 2>"$DIR/last.err" || {
    say "failed: $*"; cat "$DIR/last.err" >&2; return 1; }
  end=$(date +%s.%N)
  printf "%.3f %s\n" "$(echo "$end - $start" | bc -l)" "$(tail -1 "$DIR/rss")"
}

# import_into URL: fresh campaign in the database at URL, then `chamlo import`; "<s> <KB>".
import_into() {
  DATABASE_URL=$1 "$BIN" campaign create --year 2024 --unit "Quận 9" >/dev/null 2>&1
  DATABASE_URL=$1 timed "$BIN" import "$FILE" --campaign tet-2024
}

fresh_sqlite() { # [name] → URL of a new, empty SQLite database $DIR/<name>.db (default bench)
  local db="$DIR/${1:-bench}.db"
  rm -f "$db" "$db-wal" "$db-shm"; echo "sqlite://$db?mode=rwc"
}

pg_up=0
if [ -n "$PG" ] && need psql && psql "$PG/postgres" -qAtc 'select 1' >/dev/null 2>&1; then pg_up=1; fi
# BENCH_DB names the PostgreSQL databases (default chamlo_bench, and <name>_floor), so that
# two benches can run side by side on one server.
PGDB=${BENCH_DB:-chamlo_bench}
fresh_pg() { # [name] → URL of a new, empty PostgreSQL database (default $PGDB)
  local db=${1:-$PGDB}
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
  psql "$PG/postgres" -qc "CREATE DATABASE $db" >/dev/null
  echo "$PG/$db"
}

declare -A R
collect() { # name, then lines of "<s> <KB>" on stdin → R[name]=median s, R[name_kb]=max KB
  local name=$1 lines
  lines=$(cat)
  R[$name]=$(echo "$lines" | awk '{print $1}' | median)
  R[${name}_kb]=$(echo "$lines" | awk '{print $2}' | sort -g | tail -1)
  # The machine's 1-minute load average as the runs ended: the figures beside it are wall times.
  R[${name}_load]=$(cut -d' ' -f1 /proc/loadavg)
}

say "import into SQLite ×$RUNS…"
for _ in $(seq "$RUNS"); do import_into "$(fresh_sqlite)"; done >"$DIR/runs"; collect import_sqlite <"$DIR/runs"
say "read and check only (import --dry-run) ×$RUNS…"
dry_url=$(fresh_sqlite dry)
DATABASE_URL=$dry_url "$BIN" campaign create --year 2024 --unit "Quận 9" >/dev/null 2>&1
for _ in $(seq "$RUNS"); do
  DATABASE_URL=$dry_url timed "$BIN" import "$FILE" --campaign tet-2024 --dry-run
done >"$DIR/runs"; collect read_check <"$DIR/runs"
if [ $pg_up = 1 ]; then
  say "import into PostgreSQL ×$RUNS…"
  for _ in $(seq "$RUNS"); do import_into "$(fresh_pg)"; done >"$DIR/runs"; collect import_pg <"$DIR/runs"
fi

# Storage floors: the engine alone storing the rows the import stored (examples/storage_floor.rs),
# in a fresh database with the same schema and connection settings. The last import's rows are
# copied into staging tables by the engine's own shell, untimed; then one write transaction
# copies them into `people` and `entries` (INSERT … SELECT), timed.
#
# The floor's parts (the "what would move the floor" of issue 19): the same floor again with
# parts of the schema taken away in the floor's own database, untimed, before the timing. Each
# part is found by name in the engine's catalogue, so a trigger or index added later is taken
# away too: "triggers" (the tallies' and every other trigger on people and entries),
# "+ keys" (also every secondary index and, on PostgreSQL, every foreign key of the two
# tables: what is left is the tables, their primary keys and unique constraints).
SQLITE_NO_TRIGGERS="SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('people', 'entries')"
SQLITE_NO_INDEXES="SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('people', 'entries') AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
PG_NO_TRIGGERS="SELECT format('DROP TRIGGER %I ON %I;', tgname, tgrelid::regclass) FROM pg_trigger WHERE tgrelid IN ('people'::regclass, 'entries'::regclass) AND NOT tgisinternal"
PG_NO_KEYS="SELECT format('ALTER TABLE %I DROP CONSTRAINT %I;', conrelid::regclass, conname) FROM pg_constraint WHERE conrelid IN ('people'::regclass, 'entries'::regclass) AND contype = 'f' UNION ALL SELECT format('DROP INDEX %I;', i.indexrelid::regclass) FROM pg_index i WHERE i.indrelid IN ('people'::regclass, 'entries'::regclass) AND NOT i.indisunique AND NOT i.indisprimary"

# sqlite_floor [catalogue query…]: one timed floor on SQLite after running what each query writes.
sqlite_floor() {
  local floor_url q
  floor_url=$(fresh_sqlite floor)
  DATABASE_URL=$floor_url "$BIN" campaign create --year 2024 --unit "Quận 9" >/dev/null 2>&1
  sqlite3 "$DIR/floor.db" "ATTACH '$DIR/bench.db' AS s;
    INSERT INTO ward_lists SELECT * FROM s.ward_lists;
    INSERT INTO import_batches SELECT * FROM s.import_batches;
    CREATE TABLE stage_people AS SELECT * FROM s.people;
    CREATE TABLE stage_entries AS SELECT * FROM s.entries;"
  for q in "$@"; do sqlite3 "$DIR/floor.db" "$q" | sqlite3 "$DIR/floor.db"; done
  "$RELEASE"/examples/storage_floor "$floor_url" 2>/dev/null | sed -n 's/^floor_seconds=//p' | awk '{print $1, 0}'
}
# pg_floor [catalogue query…]: the same on PostgreSQL.
pg_floor() {
  local floor_url q pair
  floor_url=$(fresh_pg "${PGDB}_floor")
  DATABASE_URL=$floor_url "$BIN" campaign create --year 2024 --unit "Quận 9" >/dev/null 2>&1
  psql -q "$floor_url" -c 'CREATE TABLE stage_people (LIKE people)' -c 'CREATE TABLE stage_entries (LIKE entries)'
  for pair in ward_lists:ward_lists import_batches:import_batches people:stage_people entries:stage_entries; do
    psql -q "$PG/$PGDB" -c "\\copy ${pair%%:*} TO STDOUT" | psql -q "$floor_url" -c "\\copy ${pair##*:} FROM STDIN"
  done
  psql -q "$floor_url" -c 'ANALYZE stage_people' -c 'ANALYZE stage_entries'
  for q in "$@"; do psql -qAt "$floor_url" -c "$q" | psql -q "$floor_url"; done
  "$RELEASE"/examples/storage_floor "$floor_url" 2>/dev/null | sed -n 's/^floor_seconds=//p' | awk '{print $1, 0}'
}
if need sqlite3; then
  say "storage floor, SQLite ×$RUNS (whole schema, without triggers, without triggers and keys)…"
  for _ in $(seq "$RUNS"); do sqlite_floor; done >"$DIR/runs"; collect storage_sqlite <"$DIR/runs"
  for _ in $(seq "$RUNS"); do sqlite_floor "$SQLITE_NO_TRIGGERS"; done >"$DIR/runs"; collect storage_sqlite_nt <"$DIR/runs"
  for _ in $(seq "$RUNS"); do sqlite_floor "$SQLITE_NO_TRIGGERS" "$SQLITE_NO_INDEXES"; done >"$DIR/runs"; collect storage_sqlite_bare <"$DIR/runs"
fi
if [ $pg_up = 1 ]; then
  say "storage floor, PostgreSQL ×$RUNS (whole schema, without triggers, without triggers and keys)…"
  for _ in $(seq "$RUNS"); do pg_floor; done >"$DIR/runs"; collect storage_pg <"$DIR/runs"
  for _ in $(seq "$RUNS"); do pg_floor "$PG_NO_TRIGGERS"; done >"$DIR/runs"; collect storage_pg_nt <"$DIR/runs"
  for _ in $(seq "$RUNS"); do pg_floor "$PG_NO_TRIGGERS" "$PG_NO_KEYS"; done >"$DIR/runs"; collect storage_pg_bare <"$DIR/runs"
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS ${PGDB}_floor" >/dev/null 2>&1 || true
fi

py_has() { python3 -c "import $1" >/dev/null 2>&1; }
if py_has pandas && py_has openpyxl; then
  say "pandas (openpyxl) into SQLite ×$RUNS…"
  for _ in $(seq "$RUNS"); do
    python3 - "$FILE" "$DIR/pandas.db" <<'PY'
import os, sqlite3, sys, time
import pandas as pd
path, db = sys.argv[1], sys.argv[2]
if os.path.exists(db):
    os.remove(db)
start = time.perf_counter()
frame = pd.read_excel(path, engine="openpyxl", header=5)
with sqlite3.connect(db) as con:
    frame.to_sql("entries", con, index=False)
print(f"{time.perf_counter() - start:.3f} 0")
PY
  done >"$DIR/runs"; collect pandas <"$DIR/runs"
fi
if py_has python_calamine; then
  say "python-calamine to_python() ×$RUNS…"
  for _ in $(seq "$RUNS"); do
    python3 - "$FILE" <<'PY'
import sys, time
from python_calamine import CalamineWorkbook
start = time.perf_counter()
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
assert len(rows) > 1
print(f"{time.perf_counter() - start:.3f} 0")
PY
  done >"$DIR/runs"; collect calamine <"$DIR/runs"
fi

# Export from the database the last SQLite import left (100k entitlements, 13 wards).
SQLITE_URL="sqlite://$DIR/bench.db?mode=rwc"
export_from() { DATABASE_URL=$1 timed "$BIN" export --campaign tet-2024 --out "$DIR/all-wards.xlsx"; }
say "export all wards from SQLite ×$RUNS…"
for _ in $(seq "$RUNS"); do export_from "$SQLITE_URL"; done >"$DIR/runs"; collect export_sqlite <"$DIR/runs"
# floor [--faithful]: rust_xlsxwriter alone writing the cells of the export's workbook.
floor() {
  "$RELEASE"/examples/export_floor "$DIR/all-wards.xlsx" "$DIR/floor.xlsx" "$@" | sed -n 's/^floor_seconds=//p' | awk '{print $1, 0}'
}
say "floor: rust_xlsxwriter writing the same cells with their formats ×$RUNS…"
for _ in $(seq "$RUNS"); do floor --faithful; done >"$DIR/runs"; collect floor <"$DIR/runs"
say "strict floor: the same cells without formats ×$RUNS…"
for _ in $(seq "$RUNS"); do floor; done >"$DIR/runs"; collect floor_strict <"$DIR/runs"
if [ $pg_up = 1 ]; then
  say "export all wards from PostgreSQL ×$RUNS…"
  for _ in $(seq "$RUNS"); do export_from "$PG/$PGDB"; done >"$DIR/runs"; collect export_pg <"$DIR/runs"
fi

# HTTP: the district dashboard and a ward's list page under $CLIENTS clients.
if need wrk; then
  say "pages under $CLIENTS clients…"
  DATABASE_URL=$SQLITE_URL CHAMLO_PASSWORD=bench-password "$BIN" user create --username bench-district --role district --unit "Quận 9" >/dev/null 2>&1 || true
  DATABASE_URL=$SQLITE_URL CHAMLO_PASSWORD=bench-password "$BIN" user create --username bench-ward --role ward --unit "Hiệp Phú" >/dev/null 2>&1 || true
  WARD_ID=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select id from units where level='ward' and name='Hiệp Phú'\").fetchone()[0])" "$DIR/bench.db")
  DATABASE_URL=$SQLITE_URL CHAMLO_BIND=127.0.0.1:$PORT "$BIN" serve >"$DIR/serve.log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
  login() { # username → session cookie "name=value"
    curl -s -o /dev/null -D - -H "Origin: http://127.0.0.1:$PORT" \
      --data-urlencode "username=$1" --data-urlencode "password=bench-password" \
      "http://127.0.0.1:$PORT/login" | sed -n 's/^[Ss]et-[Cc]ookie: \(chamlo_session=[^;]*\).*/\1/p' | head -1
  }
  cat >"$DIR/p95.lua" <<'LUA'
-- Prints the 95th percentile latency (ms), requests per second, and every answer that was
-- not a 2xx (counted per thread, summed at the end) together with socket errors.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  for _, thread in ipairs(threads) do failed = failed + thread:get("bad") end
  io.write(string.format("p95_ms=%.2f rps=%.1f errors=%d\n",
    latency:percentile(95) / 1000, summary.requests / (summary.duration / 1e6), failed))
end
LUA
  page() { # name cookie path
    local out
    # Check the page itself first: a redirect to the login page would be a fast, wrong figure.
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $2" "http://127.0.0.1:$PORT$3")
    [ "$code" = 200 ] || { say "$3 answered $code, not 200"; return 1; }
    out=$(wrk -t2 -c$CLIENTS -d15s --timeout 10s -H "Cookie: $2" -s "$DIR/p95.lua" "http://127.0.0.1:$PORT$3" | grep p95_ms)
    R[$1]=$(echo "$out" | sed 's/.*p95_ms=\([0-9.]*\).*/\1/')
    R[${1}_rps]=$(echo "$out" | sed 's/.*rps=\([0-9.]*\).*/\1/')
    R[${1}_err]=$(echo "$out" | sed 's/.*errors=\([0-9]*\).*/\1/')
  }
  DISTRICT=$(login bench-district)
  WARD=$(login bench-ward)
  page dashboard "$DISTRICT" "/campaigns/tet-2024"
  page ward_list "$WARD" "/campaigns/tet-2024/wards/$WARD_ID"
  kill $SERVER; wait $SERVER 2>/dev/null || true
fi

# ---- the table ---------------------------------------------------------------------------
ratio() { echo "scale=2; $1 / $2" | bc -l | sed 's/^\./0./'; }
ok() { if [ "$(echo "$1" | bc -l)" = 1 ]; then echo "yes"; else echo "NO"; fi; }
mb() { echo "$(( $1 / 1024 )) MB"; }
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
printf '\nMachine: %s, %s cores, %s GB RAM, load average %s at the end; %s rows; median of %s runs\n\n' \
  "$cpu" "$(nproc)" "$(free -g | awk '/^Mem/{print $2}')" "$(cut -d' ' -f1-3 /proc/loadavg)" "$ROWS" "$RUNS"
printf '| %-46s | %-12s | %-26s | %-9s | %s |\n' "Measure" "Chamlo" "Against" "Ratio" "Target met"
printf '|%s|%s|%s|%s|%s|\n' "------------------------------------------------" "--------------" "----------------------------" "-----------" "------------"
row() { printf '| %-46s | %-12s | %-26s | %-9s | %s |\n' "$@"; }
s=${R[import_sqlite]}
if [ -n "${R[pandas]:-}" ]; then
  row "Import ${ROWS} rows → SQLite vs pandas+openpyxl" "${s} s" "pandas ${R[pandas]} s" "$(ratio "${R[pandas]}" "$s")× faster" "$(ok "${R[pandas]} / $s >= 20") (≥ 20×)"
fi
if [ -n "${R[calamine]:-}" ]; then
  row "Import → SQLite vs python-calamine parse" "${s} s (load ${R[import_sqlite_load]})" "to_python ${R[calamine]} s (load ${R[calamine_load]})" "$(ratio "$s" "${R[calamine]}")" "$(ok "$s <= ${R[calamine]}") (≤ 1)"
fi
if [ -n "${R[calamine]:-}" ]; then
  # Context: the reading half of the import alone, against the same parse.
  row "Read and check only (--dry-run) vs python-calamine" "${R[read_check]} s" "to_python ${R[calamine]} s" "$(ratio "${R[read_check]}" "${R[calamine]}")" "context"
fi
row "Import peak memory (SQLite)" "$(mb "${R[import_sqlite_kb]}")" "200 MB" "" "$(ok "${R[import_sqlite_kb]} <= 204800")"
if [ -n "${R[import_pg]:-}" ]; then
  row "Import → PostgreSQL vs SQLite" "${R[import_pg]} s" "SQLite ${s} s" "$(ratio "${R[import_pg]}" "$s")" "$(ok "${R[import_pg]} <= 1.5 * $s") (≤ 1.5)"
fi
if [ -n "${R[storage_sqlite]:-}" ]; then
  # Context, not a target: what the engine alone needs to store the same rows.
  budget=${R[pandas]:+$(echo "scale=3; ${R[pandas]} / 20" | bc -l | sed 's/^\./0./')}
  row "Storage floor, SQLite (same rows, no reading)" "${R[storage_sqlite]} s" "${budget:+20× budget ${budget} s}" "${budget:+$(ratio "${R[storage_sqlite]}" "$budget")× budget}" "floor"
fi
if [ -n "${R[storage_pg]:-}" ] && [ -n "${R[import_pg]:-}" ]; then
  # Issue 19: the whole import against the engine alone storing the same rows.
  row "Import → PostgreSQL vs its storage floor" "${R[import_pg]} s (load ${R[import_pg_load]})" "floor ${R[storage_pg]} s (load ${R[storage_pg_load]})" "$(ratio "${R[import_pg]}" "${R[storage_pg]}")" "$(ok "${R[import_pg]} <= 1.3 * ${R[storage_pg]}") (≤ 1.3)"
fi
if [ -n "${R[storage_sqlite_nt]:-}" ]; then
  row "  its parts: without the triggers" "${R[storage_sqlite_nt]} s" "whole ${R[storage_sqlite]} s" "$(ratio "${R[storage_sqlite_nt]}" "${R[storage_sqlite]}")" "floor"
  row "  without triggers and secondary indexes" "${R[storage_sqlite_bare]} s" "whole ${R[storage_sqlite]} s" "$(ratio "${R[storage_sqlite_bare]}" "${R[storage_sqlite]}")" "floor"
fi
if [ -n "${R[storage_pg_nt]:-}" ]; then
  row "Storage floor, PostgreSQL, without triggers" "${R[storage_pg_nt]} s" "whole ${R[storage_pg]} s" "$(ratio "${R[storage_pg_nt]}" "${R[storage_pg]}")" "floor"
  row "  without triggers, foreign keys, 2nd indexes" "${R[storage_pg_bare]} s" "whole ${R[storage_pg]} s" "$(ratio "${R[storage_pg_bare]}" "${R[storage_pg]}")" "floor"
fi
if [ -n "${R[storage_pg]:-}" ]; then
  row "Storage floor, PostgreSQL vs SQLite's" "${R[storage_pg]} s" "SQLite ${R[storage_sqlite]:-?} s" "${R[storage_sqlite]:+$(ratio "${R[storage_pg]}" "${R[storage_sqlite]}")}" "floor"
fi
row "Export 13 wards + summary (SQLite) vs floor" "${R[export_sqlite]} s" "rust_xlsxwriter ${R[floor]} s" "$(ratio "${R[export_sqlite]}" "${R[floor]}")" "$(ok "${R[export_sqlite]} <= 1.5 * ${R[floor]}") (≤ 1.5)"
if [ -n "${R[export_pg]:-}" ]; then
  row "Export 13 wards + summary (PostgreSQL) vs floor" "${R[export_pg]} s" "rust_xlsxwriter ${R[floor]} s" "$(ratio "${R[export_pg]}" "${R[floor]}")" "$(ok "${R[export_pg]} <= 1.5 * ${R[floor]}") (≤ 1.5)"
fi
row "Export (SQLite) vs strict floor, no formats" "${R[export_sqlite]} s" "rust_xlsxwriter ${R[floor_strict]} s" "$(ratio "${R[export_sqlite]}" "${R[floor_strict]}")" "(extra row)"
row "Export peak memory (SQLite)" "$(mb "${R[export_sqlite_kb]}")" "" "" ""
if [ -n "${R[dashboard]:-}" ]; then
  row "Dashboard p95, $CLIENTS clients" "${R[dashboard]} ms" "${R[dashboard_rps]} req/s" "" "$(ok "${R[dashboard]} < 50 && ${R[dashboard_err]} == 0") (< 50 ms)"
  row "Ward list page p95, $CLIENTS clients" "${R[ward_list]} ms" "${R[ward_list_rps]} req/s" "" "$(ok "${R[ward_list]} < 50 && ${R[ward_list_err]} == 0") (< 50 ms)"
fi
if [ $pg_up = 1 ]; then psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1 || true; fi
