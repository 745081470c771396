#!/usr/bin/env bash
# Fuzzes the JSON API with schemathesis against its own OpenAPI document: a release build on a
# free loopback port, a fresh SQLite database seeded by `chamlo demo`, a token of district
# staff. Any server error (5xx) fails the run. Bounded: SCHEMATHESIS_MAX_EXAMPLES per operation.
set -euo pipefail
cd "$(dirname "$0")/.."

max_examples="${SCHEMATHESIS_MAX_EXAMPLES:-30}"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v schemathesis >/dev/null 2>&1; then
  python3 -m pip install --quiet schemathesis
fi

cargo build --release --quiet
# Where cargo put the build (CARGO_TARGET_DIR moves it out of the tree).
chamlo="${CARGO_TARGET_DIR:-$PWD/target}/release/chamlo"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
export DATABASE_URL="sqlite://$work/chamlo.db?mode=rwc"
export CHAMLO_BIND="127.0.0.1:$port"
export CHAMLO_LOG="warn"
export CHAMLO_ADMIN_PASSWORD="schemathesis-admin-1"

"$chamlo" demo
# A supervising account of the whole city in every sector, so the fuzzing reaches every ward's
# data (the demo's city reviewers are each limited to one sector).
CHAMLO_PASSWORD="schemathesis-city-1" "$chamlo" user create --username ci.city --role district --unit "Hồ Chí Minh"
token="$("$chamlo" token create --username ci.city --name ci | tail -n 1)"

"$chamlo" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null

# Revoking tokens goes last, in a run of its own: it may revoke the very token in use.
status=0
for selection in "--exclude-method DELETE" "--include-method DELETE"; do
  # From the scratch folder, so schemathesis' cache stays out of the work tree.
  # shellcheck disable=SC2086 # the selection is two words on purpose
  (cd "$work" && schemathesis run "http://127.0.0.1:$port/api/openapi.json" \
    $selection \
    --checks not_a_server_error \
    --max-examples "$max_examples" \
    --header "Authorization: Bearer $token" \
    --no-color) || status=$?
done

if [ "$status" -ne 0 ]; then
  echo "schemathesis found problems; the server's log:" >&2
  grep -iE 'error|panic' "$work/server.log" | tail -n 50 >&2 || true
fi
exit "$status"
