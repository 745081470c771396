#!/usr/bin/env bash
# The city-scale benchmark of issue 19 (`BENCH_SCALE=city scripts/bench.sh` runs it): Hồ Chí
# Minh City's Tết on PostgreSQL — 168 wards, 1,000,000 entries over two programs, about
# 700,000 people — and every target of the issue printed with its figure and met / not met.
#
#   1. the data set, generated with a fixed seed (crates/sheets/examples/city_data.rs) straight
#      into a fresh database with COPY (target < 120 s);
#   2. pages under 50 clients (wrk, BENCH_WRK_SECONDS each, p95 from wrk's histogram) against
#      a release server on that database: `/healthz` (the machine's floor), the city dashboard,
#      a merit reviewer's dashboard, the 10,000-people ward's list (first page and a search),
#      that ward's duplicate review;
#   3. exports: that ward's 10,000-row signing sheet, the all-wards workbook (peak RSS
#      from /usr/bin/time -v), the city report;
#   4. a ward's day: upload, preview (twice: the second view's Server-Timing header says whether
#      the server read the file again or kept its parse) and commit of a 10,000-row file, its duplicate check running against the city's
#      700,000 people;
#   5. memory after work: the server's RSS idle, right after a 100,000-row web import, and a
#      minute later.
#
# Environment: BENCH_DIR (default target/bench), BENCH_PG (default
# postgres://postgres@127.0.0.1:5432), BENCH_PORT (default 18090), BENCH_WRK_SECONDS (15),
# BENCH_SETTLE_SECONDS (60: the wait before the memory is read again), BENCH_BIN (below).
# The database it makes, BENCH_DB (default chamlo_bench_city), is dropped at the end (BENCH_KEEP=1
# keeps it). BENCH_REUSE=1 measures a database kept by an earlier run instead of making one
# (the data set's row then reads "kept"); BENCH_PAGES_ONLY=1 measures the pages alone (no
# exports, no ward's day, no memory), so a change to a page can be compared before and after
# in a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${BENCH_DIR:-target/bench}
PG=${BENCH_PG-postgres://postgres@127.0.0.1:5432}
PORT=${BENCH_PORT:-18090}
WRK_SECONDS=${BENCH_WRK_SECONDS:-15}
SETTLE=${BENCH_SETTLE_SECONDS:-60}
CLIENTS=50
DB=${BENCH_DB:-chamlo_bench_city}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
RELEASE=${CARGO_TARGET_DIR:-target}/release
# BENCH_BIN: another build of chamlo to measure (the one before a change, say); the bench
# then builds nothing but uses the data generators already built.
BIN=${BENCH_BIN:-$RELEASE/chamlo}
URL=$PG/$DB
BASE=http://127.0.0.1:$PORT
export CHAMLO_ADMIN_PASSWORD=bench-admin-password
export CHAMLO_LOG=warn

say() { printf '%s\n' "$*" >&2; }
need() { command -v "$1" >/dev/null 2>&1; }
now() { date +%s.%N; }
since() { printf '%.3f' "$(echo "$(now) - $1" | bc -l)"; }
sql() { psql -qAt "$URL" -c "$1"; }
need psql || { say "psql is missing: the city bench runs on PostgreSQL only"; exit 1; }
need wrk || { say "wrk is missing (apt-get install wrk)"; exit 1; }
[ -x /usr/bin/time ] || { say "/usr/bin/time is missing (apt-get install time)"; exit 1; }

if [ -z "${BENCH_BIN:-}" ]; then
  say "building (release)…"
  cargo build --release --quiet --bin chamlo --example city_data --example bench_data
fi
[ -s "$DIR/ward-10000.xlsx" ] || "$RELEASE"/examples/bench_data "$DIR/ward-10000.xlsx" 10000
[ -s "$DIR/district-100000.xlsx" ] || "$RELEASE"/examples/bench_data "$DIR/district-100000.xlsx" 100000

declare -A R
SERVER=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  [ -n "${BENCH_KEEP:-}" ] || psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# ---- 1. the data set ----------------------------------------------------------------------
REUSE=${BENCH_REUSE:-}
PAGES_ONLY=${BENCH_PAGES_ONLY:-}
if [ -z "$REUSE" ]; then
say "city data set…"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
psql "$PG/postgres" -qc "CREATE DATABASE $DB" >/dev/null
DATABASE_URL=$URL "$BIN" campaign create --year 2026 --unit "Hồ Chí Minh" >/dev/null
DATABASE_URL=$URL "$BIN" program add --campaign tet-2026 --name "Quà của Chủ tịch nước" \
  --source central --amount TB=300000 --amount BB=300000 --amount TNLS=300000 \
  --amount LTCM=500000 --amount HDKC=300000 >/dev/null
CITY=$(sql "SELECT id FROM units WHERE level = 'city'")
CAMPAIGN=$(sql "SELECT id FROM campaigns WHERE slug = 'tet-2026'")
PROGRAMS=$(sql "SELECT string_agg(id::text, ' ' ORDER BY id) FROM gift_programs WHERE campaign_id = $CAMPAIGN")
WARDS=$(sql "SELECT string_agg(id::text, ',' ORDER BY id) FROM units WHERE level = 'ward' AND parent_id = $CITY AND valid_to IS NULL")
CATEGORIES=$(sql "SELECT string_agg(code || '=' || id, ',') FROM categories")
# shellcheck disable=SC2086
set -- $PROGRAMS
start=$(now)
"$RELEASE"/examples/city_data "$CITY" "$CAMPAIGN" "$1" "$2" "$WARDS" "$CATEGORIES" 2>"$DIR/city_data.err" \
  | psql -q "$URL" >/dev/null
R[load]=$(since "$start")
else
  say "reusing the kept database $DB…"
  # A kept database may predate this build's migrations: every command, the server too,
  # migrates it when it opens it.
  CITY=$(sql "SELECT id FROM units WHERE level = 'city'")
  CAMPAIGN=$(sql "SELECT id FROM campaigns WHERE slug = 'tet-2026'")
  # shellcheck disable=SC2086
  set -- $(sql "SELECT string_agg(id::text, ' ' ORDER BY id) FROM gift_programs WHERE campaign_id = $CAMPAIGN")
  R[load]=kept
fi
R[entries]=$(sql "SELECT COUNT(*) FROM entries")
R[people]=$(sql "SELECT COUNT(*) FROM people")
R[wards]=$(sql "SELECT COUNT(*) FROM ward_lists WHERE campaign_id = $CAMPAIGN")
# The ward of 10,000 people: the first generated one (city_data.rs).
WARD=$(sql "SELECT MIN(id) FROM units WHERE id >= 100000")
WARD_CODE=$(sql "SELECT code FROM units WHERE id = $WARD")
WARD_ROWS=$(sql "SELECT COUNT(*) FROM entries WHERE ward_id = $WARD AND program_id = $1")

# ---- 3. exports (before the server, so they have the machine alone) -----------------------
if [ -z "$PAGES_ONLY" ]; then
say "exports…"
timed() { # name CMD…: wall seconds and peak RSS (KB) of CMD into R[name], R[name_kb]
  local name=$1 start; shift
  start=$(now)
  /usr/bin/time -v -o "$DIR/time.$name" "$@" >"$DIR/$name.out" 2>"$DIR/$name.err" || {
    say "failed: $*"; cat "$DIR/$name.err" >&2; return 1; }
  R[$name]=$(since "$start")
  R[${name}_kb]=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DIR/time.$name")
}
export DATABASE_URL=$URL
timed ward_sheet "$BIN" export --campaign tet-2026 --ward "$WARD_CODE" --out "$DIR/city-ward.xlsx"
timed all_wards "$BIN" export --campaign tet-2026 --out "$DIR/city-all-wards.xlsx"
timed report "$BIN" report --campaign tet-2026 --out "$DIR/city-report.xlsx"
unset DATABASE_URL
fi

# ---- the server -----------------------------------------------------------------------------
if [ -z "$REUSE" ]; then
DATABASE_URL=$URL CHAMLO_PASSWORD=bench-password "$BIN" user create --username bench-city --role district --unit "Hồ Chí Minh" >/dev/null
# A city department's reviewer (Sở Nội vụ): every ward, merit entries only.
DATABASE_URL=$URL CHAMLO_PASSWORD=bench-password "$BIN" user create --username bench-merit --role district --unit "Hồ Chí Minh" --sector merit >/dev/null
# A generated ward is not offered by `user create` (made by SQL, not by the seed): the account
# is made in another ward, then moved to it.
DATABASE_URL=$URL CHAMLO_PASSWORD=bench-password "$BIN" user create --username bench-ward --role ward --unit "Tân Phú" >/dev/null
sql "UPDATE users SET unit_id = $WARD WHERE username = 'bench-ward'"
DATABASE_URL=$URL "$BIN" campaign create --year 2024 --unit "Quận 9" >/dev/null
DATABASE_URL=$URL "$BIN" campaign create --year 2023 --unit "Quận 9" >/dev/null
fi
# The deployment's allocator settings (README, "Several app servers, one database"), so that
# the memory of a big import goes back to the system: BENCH_ALLOCATOR=glibc runs
# glibc with two arenas and low trim and mmap thresholds; BENCH_ALLOCATOR=jemalloc (default) preloads
# Debian's libjemalloc2 with a background thread returning freed pages within a second.
JEMALLOC=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
case ${BENCH_ALLOCATOR:-jemalloc} in
  jemalloc)
    [ -e "$JEMALLOC" ] || { say "libjemalloc2 is missing (apt-get install libjemalloc2)"; exit 1; }
    ALLOCATOR=(LD_PRELOAD=$JEMALLOC MALLOC_CONF=background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0) ;;
  *) ALLOCATOR=(MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072 MALLOC_MMAP_THRESHOLD_=131072) ;;
esac
env "${ALLOCATOR[@]}" \
  DATABASE_URL=$URL CHAMLO_BIND=127.0.0.1:$PORT "$BIN" serve >"$DIR/serve-city.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done
rss() { sed -n 's/^VmRSS:\s*\([0-9]*\) kB/\1/p' "/proc/$SERVER/status"; }
login() { # username → session cookie "name=value"
  curl -s -o /dev/null -D - -H "Origin: $BASE" \
    --data-urlencode "username=$1" --data-urlencode "password=bench-password" \
    "$BASE/login" | sed -n 's/^[Ss]et-[Cc]ookie: \(chamlo_session=[^;]*\).*/\1/p' | head -1
}
CITY_USER=$(login bench-city)
MERIT_USER=$(login bench-merit)
WARD_USER=$(login bench-ward)
R[idle_kb]=$(rss)

# ---- 2. pages under load --------------------------------------------------------------------
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
  local out code
  # The page itself first: a redirect to the login page would be a fast, wrong figure.
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $2" "$BASE$3")
  [ "$code" = 200 ] || { say "$3 answered $code, not 200"; return 1; }
  out=$(wrk -t2 -c$CLIENTS -d"${WRK_SECONDS}s" --timeout 10s -H "Cookie: $2" -s "$DIR/p95.lua" "$BASE$3" | grep p95_ms)
  R[$1]=$(echo "$out" | sed 's/.*p95_ms=\([0-9.]*\).*/\1/')
  R[${1}_rps]=$(echo "$out" | sed 's/.*rps=\([0-9.]*\).*/\1/')
  R[${1}_err]=$(echo "$out" | sed 's/.*errors=\([0-9]*\).*/\1/')
}
say "pages under $CLIENTS clients…"
# The machine's own floor: the cheapest answer the server gives (one `SELECT 1`), so a page's
# figure can be read against what 50 clients cost on this machine at all.
page healthz "" "/healthz"
# The floor of a page behind a login: the change-password form reads nothing but the session
# (the session, its user and what the request needs to know of units and sectors), so the
# pages below are read as this much for the session plus their own work.
page session_floor "$CITY_USER" "/account/password"
page dashboard "$CITY_USER" "/campaigns/tet-2026"
page sector_dashboard "$MERIT_USER" "/campaigns/tet-2026"
page ward_list "$WARD_USER" "/campaigns/tet-2026/wards/$WARD"
page ward_search "$WARD_USER" "/campaigns/tet-2026/wards/$WARD?q=nguyen+van"
page ward_duplicates "$CITY_USER" "/campaigns/tet-2026/duplicates?ward=$WARD"

# ---- 4. a ward's day --------------------------------------------------------------------------
if [ -z "$PAGES_ONLY" ]; then
upload() { # campaign file → the pending upload's path (/imports/ID)
  curl -s -o /dev/null -w '%{redirect_url}' -H "Cookie: $CITY_USER" -H "Origin: $BASE" \
    -F "file=@$2" "$BASE/campaigns/$1/import" | sed "s|^$BASE||"
}
timed_get() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Cookie: $CITY_USER" "$BASE$1"; }
timed_post() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Cookie: $CITY_USER" -H "Origin: $BASE" -X POST "$BASE$1"; }
say "a ward's day: 10,000 rows…"
pending=$(upload tet-2024 "$DIR/ward-10000.xlsx")
[ -n "$pending" ] || { say "the upload was refused"; exit 1; }
# timed_preview PATH → "<code> <seconds> <file|kept>": the last word from the preview's
# Server-Timing header, whether the server read the file or had kept its parse.
timed_preview() {
  curl -s -o /dev/null -D "$DIR/preview.headers" -w '%{http_code} %{time_total}' -H "Cookie: $CITY_USER" "$BASE$1"
  printf ' %s\n' "$(sed -n 's/^[Ss]erver-[Tt]iming:.*desc="\([a-z]*\)".*/\1/p' "$DIR/preview.headers" | head -1)"
}
read -r code R[preview] R[preview_from] < <(timed_preview "$pending")
[ "$code" = 200 ] || say "preview answered $code"
read -r code R[preview_again] R[preview_again_from] < <(timed_preview "$pending")
read -r code R[commit] < <(timed_post "$pending/commit")
[ "$code" = 303 ] || say "commit answered $code"
R[committed]=$(sql "SELECT COUNT(*) FROM entries e JOIN campaigns c ON c.id = e.campaign_id WHERE c.slug = 'tet-2024'")

# ---- 5. memory after work ---------------------------------------------------------------------
say "memory after a 100,000-row web import (then ${SETTLE} s)…"
R[before_kb]=$(rss)
pending=$(upload tet-2023 "$DIR/district-100000.xlsx")
read -r code R[big_preview] < <(timed_get "$pending")
read -r code R[big_commit] < <(timed_post "$pending/commit")
[ "$code" = 303 ] || say "the 100,000-row commit answered $code"
R[after_kb]=$(rss)
sleep "$SETTLE"
R[settled_kb]=$(rss)
fi
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=

# ---- the table --------------------------------------------------------------------------------
ok() { if [ "$(echo "$1" | bc -l)" = 1 ]; then echo "met"; else echo "**not met**"; fi; }
mb() { echo "$(( $1 / 1024 )) MB"; }
ms() { printf '%.0f ms' "$(echo "$1 * 1000" | bc -l)"; }
row() { printf '| %s | %s | %s | %s |\n' "$@"; }
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
printf '\nMachine: %s, %s cores, %s GB RAM, load average %s; PostgreSQL %s\n' \
  "$cpu" "$(nproc)" "$(free -g | awk '/^Mem/{print $2}')" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$(psql "$PG/postgres" -qAtc 'SHOW server_version')"
printf 'City: %s wards, %s people, %s entries; the bench ward has %s rows in the city program\n\n' \
  "${R[wards]}" "${R[people]}" "${R[entries]}" "$WARD_ROWS"
row "Measure" "Figure" "Target" "Met"
row "---" "---" "---" "---"
if [ -z "$REUSE" ]; then
  row "City data set: COPY of 168 wards, 700k people, 1M entries" "${R[load]} s" "< 120 s" "$(ok "${R[load]} < 120")"
fi
page_row() { # key label target-ms
  row "$2, $CLIENTS clients (wrk)" "p95 ${R[$1]} ms, ${R[${1}_rps]} req/s, ${R[${1}_err]} errors" \
    "p95 < $3 ms" "$(ok "${R[$1]} < $3 && ${R[${1}_err]} == 0 && ${R[${1}_rps]} > 0")"
}
row "Floor: \`/healthz\` (one \`SELECT 1\`), $CLIENTS clients (wrk)" "p95 ${R[healthz]} ms, ${R[healthz_rps]} req/s, ${R[healthz_err]} errors" "" "context"
row "Floor of a logged-in page: the change-password form (the session alone), $CLIENTS clients (wrk)" "p95 ${R[session_floor]} ms, ${R[session_floor_rps]} req/s, ${R[session_floor_err]} errors" "" "context"
page_row dashboard "City dashboard" 50
page_row sector_dashboard "Sector reviewer's dashboard (merit, every ward)" 50
page_row ward_list "A ward's list, first page" 50
page_row ward_search "A ward's list, a search" 50
page_row ward_duplicates "A ward's duplicate review" 200
[ -n "$PAGES_ONLY" ] && exit 0
row "One ward's signing sheet ($WARD_ROWS rows)" "${R[ward_sheet]} s" "< 1 s" "$(ok "${R[ward_sheet]} < 1")"
row "All-wards workbook (168 sheets + summary)" "${R[all_wards]} s, peak $(mb "${R[all_wards_kb]}")" "peak ≤ 300 MB" "$(ok "${R[all_wards_kb]} <= 307200")"
row "City report" "${R[report]} s" "< 3 s" "$(ok "${R[report]} < 3")"
row "A ward's day: preview of 10,000 rows" "$(ms "${R[preview]}")" "< 1 s" "$(ok "${R[preview]} < 1")"
row "the same preview viewed again" "$(ms "${R[preview_again]}") (the rows: ${R[preview_again_from]:-?}; first view: ${R[preview_from]:-?})" "file not read again" "$(if [ "${R[preview_again_from]:-}" = kept ]; then echo met; else echo "**not met**"; fi)"
row "its commit, duplicate check against ${R[people]} people" "$(ms "${R[commit]}") (${R[committed]} entries)" "< 2 s" "$(ok "${R[commit]} < 2")"
row "Server RSS: idle / after a 100,000-row web import / ${SETTLE} s later" \
  "$(mb "${R[idle_kb]}") / $(mb "${R[after_kb]}") / $(mb "${R[settled_kb]}")" "≤ idle + 100 MB" \
  "$(ok "${R[settled_kb]} <= ${R[idle_kb]} + 102400")"
row "(that import: preview / commit)" "${R[big_preview]} s / ${R[big_commit]} s" "" "context"
