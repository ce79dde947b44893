#!/usr/bin/env bash
# Fuzzes the REST API with schemathesis against its own OpenAPI document: Cadet on its demo data
# in a throw-away directory, an operator's write token made by `cadet token create`, and every
# check schemathesis has. Fails on any server error or any answer that breaks the document.
# Needs the schemathesis package (Scripts/install-deps.sh --ci).
set -euo pipefail
cd "$(dirname "$0")/.."
port=${CADET_FUZZ_PORT:-8098}
data=$(mktemp -d)
export CADET_DATA_DIR="$data" CADET_BCRYPT_COST=4 CADET_API_RATE_LIMIT=100000
unset DATABASE_URL
swift build
.build/debug/cadet demo > "$data/demo.log" 2>&1
token=$(.build/debug/cadet token create --email operator@cadet.example --name schemathesis --scope academy --access write)
.build/debug/cadet serve --port "$port" --graders 0 > "$data/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" > /dev/null && break
  sleep 0.2
done
api="http://127.0.0.1:$port/api/v1"
auth="Authorization: Bearer $token"
fuzz() {
  schemathesis --config-file "$1" run "$api/openapi.json" --url "$api" --header "$auth" --checks all \
    --max-examples "${CADET_FUZZ_EXAMPLES:-60}" --seed 20261201 --no-color "${@:2}"
}
status=0
# First every value the document allows, made-up slugs and ids included.
echo "=== schemathesis: every operation with generated values"
fuzz Tests/API/schemathesis.toml "$@" || status=$?
# Then again with real identifiers from the demo, so that generated bodies and queries reach
# the code behind the lookups (KAIST cohort 1: sponsored, 25 trainees).
person=$(curl -fs -H "$auth" "$api/people?q=company" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
grant=$(curl -fs -H "$auth" "$api/people/$person" | python3 -c 'import json,sys; print(json.load(sys.stdin)["roles"][0]["id"])')
application=$(curl -fs -H "$auth" "$api/programmes/kaist-mle/cohorts/c1/applications?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
config="$data/schemathesis-known.toml"
{ cat Tests/API/schemathesis.toml; printf '\n[parameters]\n"path.programme" = "kaist-mle"\n"path.cohort" = "c1"\n"path.person" = "%s"\n"path.grant" = "%s"\n"path.application" = "%s"\n' \
    "$person" "$grant" "$application"; } > "$config"
echo "=== schemathesis: every operation on the demo's KAIST cohort 1"
fuzz "$config" "$@" || status=$?
if ! kill -0 "$server" 2>/dev/null; then echo "cadet serve died during the fuzz; its log:"; tail -30 "$data/serve.log"; status=1; fi
exit $status
