#!/usr/bin/env bash
# The OpenAPI documents (docs/openapi/): generated from what they say they are generated from
# (tools/openapi/generate.mjs --check), valid OpenAPI 3.0 (@apidevtools/swagger-parser), and
# true of the mock's real answers: Prism's validating proxy (prism proxy --errors) stands between
# the client and the mock, one per document, and any request or answer that disagrees with the
# document becomes Prism's 500 with the violations, which fails this script. Each vendor gets
# answers of both kinds: a success and an error. First the harness proves it can fail: a copy of
# the ITNIO document with one member retyped must be caught.
# Node and npm come from apt when missing; the npm packages from tests/openapi/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt-get install -y -q nodejs npm >/dev/null
fi
scripts/install-deps.sh

scratch=$(mktemp -d "${TMPDIR:-/tmp}/cdrsim-openapi.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "test-openapi: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "npm ci (tests/openapi)"
(cd tests/openapi && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
prism=$root/tests/openapi/node_modules/.bin/prism

step "the committed documents are what the generator makes"
node tools/openapi/generate.mjs --check

step "swagger-parser validates every document"
node tests/openapi/validate.mjs docs/openapi/*.json

step "build the mock and the client"
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-openapi -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCDRSIM_BUILD_BENCH=OFF \
  "${launcher[@]}" >/dev/null
cmake --build build-openapi -j2 --target cdrsim-mock cdrsim-client >/dev/null
client=$root/build-openapi/client/cli/cdrsim-client

# Waits for a "listening on URL" line (the mock) or "Prism is listening on URL" in file $1.
listening() {
  local file=$1 pid=$2 url=""
  for _ in $(seq 1 3000); do
    url=$(sed -n 's/.*[Ll]istening on \(http[^ ]*\).*/\1/p' "$file" 2>/dev/null | head -n1 | tr -d '\r')
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$url" ] || { cat "$file" >&2; fail "nothing listening (see above)"; }
  echo "$url"
}

step "the mock (real clock: the vendors' signatures carry the time)"
build-openapi/mockserver/cdrsim-mock --port 0 --log-format off --seed 7 >"$scratch/mock.out" 2>&1 &
pids+=($!)
mock=$(listening "$scratch/mock.out" "${pids[-1]}")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# prism_up DOC: prism proxy --errors for that document in front of the mock; sets $proxy. One at a
# time: a Prism reading its document takes a core for seconds.
prism_pid=""
proxy=""
prism_up() {
  local doc=$1 log
  log=$scratch/prism-$(basename "$doc" .json).log
  "$prism" proxy --errors --host 127.0.0.1 -p "$(free_port)" "$doc" "$mock" >"$log" 2>&1 &
  prism_pid=$!
  pids+=("$prism_pid")
  proxy=$(listening "$log" "$prism_pid")
}
prism_down() {
  kill "$prism_pid" 2>/dev/null || true
  wait "$prism_pid" 2>/dev/null || true
}

# call EXPECTED_STATUS DESCRIPTION curl-arguments...: one request through the proxy; fails on a
# violation Prism reports (its 500 problem+json, or an sl-violations header) or another status.
calls=0
call() {
  local want=$1 what=$2
  shift 2
  local head="$scratch/head" body="$scratch/body" status
  status=$(curl -sS -o "$body" -D "$head" -w '%{http_code}' "$@") || fail "$what: no answer"
  if grep -qi '^sl-violations:' "$head" || grep -q 'prism/errors#' "$body"; then
    cat "$head" "$body" >&2
    fail "$what: Prism reports the answer (or the request) disagrees with the document"
  fi
  [ "$status" = "$want" ] || { cat "$head" "$body" >&2; fail "$what: HTTP $status, expected $want"; }
  calls=$((calls + 1))
  echo "  ok  $what (HTTP $status)"
}

itnio_headers() { # Api-Key, Timestamp and Sign for now; $1 the secret
  local ts sign
  ts=$(date +%s)
  sign=$(printf '%s' "bDqJFiq9$1$ts" | md5sum | cut -c1-32)
  printf '%s\n' -H "Api-Key: bDqJFiq9" -H "Timestamp: $ts" -H "Sign: $sign"
}

step "the harness catches a document that disagrees (a retyped member)"
broken=$scratch/itnio-broken.json
node -e '
  const fs = require("fs");
  const doc = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const op = doc.paths["/v3/cc/record/query"].post;
  op.responses["200"].content["application/json"].schema = {
    type: "object", properties: { reason: { type: "integer" } } };
  fs.writeFileSync(process.argv[2], JSON.stringify(doc));' docs/openapi/itnio.json "$broken"
prism_up "$broken"
mapfile -t h < <(itnio_headers 7bz1lzh9)
status=$(curl -sS -o "$scratch/body" -w '%{http_code}' -X POST "$proxy/v3/cc/record/query" \
  -H 'Content-Type: application/json' "${h[@]}" \
  -d '{"current":1,"size":1,"params":{"startTime":"2025-01-01 00:00:00","endTime":"2025-02-01 00:00:00"}}')
[ "$status" = 500 ] && grep -q 'reason' "$scratch/body" ||
  fail "Prism let a wrong document pass (HTTP $status): $(cat "$scratch/body")"
echo "  ok  caught: $(grep -o '"message":"[^"]*"' "$scratch/body" | head -n1)"
prism_down

step "itnio"
prism_up docs/openapi/itnio.json
# The real client: every window and page of a year goes through the proxy.
"$client" fetch itnio --base-url "$proxy" --api-key bDqJFiq9 --api-secret 7bz1lzh9 \
  --from "2025-01-01 00:00:00" --to "2025-05-01 00:00:00" >"$scratch/itnio.jsonl" ||
  fail "cdrsim-client fetch itnio through Prism"
[ -s "$scratch/itnio.jsonl" ] || fail "cdrsim-client fetch itnio: no records"
calls=$((calls + 1))
echo "  ok  cdrsim-client fetch itnio: $(wc -l <"$scratch/itnio.jsonl") records"
mapfile -t h < <(itnio_headers 7bz1lzh9)
call 200 "itnio group settings" "$proxy/v3/cc/seatGroup/basicSettingResp?voiceGroupId=12" "${h[@]}"
call 200 "itnio agent groups" -X POST "$proxy/v3/cc/seatGroup/query" \
  -H 'Content-Type: application/json' "${h[@]}" -d '{"current":1,"size":5,"params":{"groupName":""}}'
mapfile -t h < <(itnio_headers wrong-secret)
call 200 "itnio error: wrong Sign (status -1)" -X POST "$proxy/v3/cc/record/query" \
  -H 'Content-Type: application/json' "${h[@]}" \
  -d '{"current":1,"size":1,"params":{"startTime":"2025-01-01 00:00:00","endTime":"2025-02-01 00:00:00"}}'
grep -q '"status":-1' "$scratch/body" || fail "itnio: expected status -1: $(cat "$scratch/body")"

prism_down

step "yunfu"
prism_up docs/openapi/yunfu.json
acct=4d99d91c-f5d9-49da-88da-758977cc58a9
task=287e19c4-1966-49d6-8f02-b53ef11c0a55
bearer=(-H 'Authorization: Bearer demo-yunfu-token')
call 200 "yunfu record list" "${bearer[@]}" "$proxy/agent-api/user/$acct/task/$task/record?page=1&per_page=2"
call 200 "yunfu tasks" "${bearer[@]}" "$proxy/agent-api/user/$acct/task"
call 200 "yunfu token" "${bearer[@]}" "$proxy/agent-api/token"
call 200 "yunfu error: unknown task (code 5002)" "${bearer[@]}" \
  "$proxy/agent-api/user/$acct/task/00000000-0000-0000-0000-000000000000/record"
grep -q '"code":5002' "$scratch/body" || fail "yunfu: expected code 5002: $(cat "$scratch/body")"
call 422 "yunfu error: a start time not in Y-m-d H:i:s (Laravel 422)" "${bearer[@]}" \
  "$proxy/agent-api/user/$acct/task/$task/record?start_at=yesterday"
call 401 "yunfu error: unknown token" -H 'Authorization: Bearer nobody' "$proxy/agent-api/token"

prism_down

step "huawei"
prism_up docs/openapi/huawei.json
signin='{"password":"demo-pass-291","phonenum":"70291","status":4}'
call 200 "huawei sign in" -X PUT "$proxy/agentgateway/resource/onlineagent/291" \
  -H 'Content-Type: application/json' -d "$signin"
guid=$(sed -n 's/^[Gg]uid: *//p' "$scratch/head" | tr -d '\r')
[ -n "$guid" ] || fail "huawei: no Guid header on the sign-in"
call 200 "huawei current call" "$proxy/agentgateway/resource/calldata/291/callinfo?isNoContainLastCall=true" \
  -H "Guid: $guid"
call 200 "huawei sign out" -X DELETE "$proxy/agentgateway/resource/onlineagent/291/logout" \
  -H "Guid: $guid"
call 200 "huawei error: wrong password (retcode 100-004)" -X PUT \
  "$proxy/agentgateway/resource/onlineagent/291" -H 'Content-Type: application/json' \
  -d '{"password":"wrong","phonenum":"70291","status":4}'
grep -q '"retcode":"100-' "$scratch/body" || fail "huawei: expected a 100- retcode: $(cat "$scratch/body")"
call 200 "huawei fabric token" -X POST "$proxy/apigovernance/api/oauth/tokenByAkSk" \
  -H 'Content-Type: application/json' -d '{"app_key":"cdrsim-demo-ak","app_secret":"cdrsim-demo-sk"}'
token=$(sed -n 's/.*"AccessToken":"\([^"]*\)".*/\1/p' "$scratch/body")
now_ms=$(($(date +%s) * 1000))
call 200 "huawei call history" -X POST \
  "$proxy/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"startTime\":\"$((now_ms - 6 * 86400000))\",\"endTime\":\"$now_ms\",\"limit\":\"5\"}"
call 401 "huawei error: wrong app secret (APIGW.0301)" -X POST \
  "$proxy/apigovernance/api/oauth/tokenByAkSk" -H 'Content-Type: application/json' \
  -d '{"app_key":"cdrsim-demo-ak","app_secret":"wrong"}'

prism_down

step "aliyun"
prism_up docs/openapi/aliyun.json
aliyun_query() { # the signed V2 query string of HotlineSessionQuery; $1 the secret
  local ts nonce q s
  ts=$(date -u +%Y-%m-%dT%H:%M:%SZ | sed 's/:/%3A/g')
  nonce=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
  q="AccessKeyId=testid&Action=HotlineSessionQuery&Format=JSON&InstanceId=ccc_xp_pre-cn-demo001&PageSize=2"
  q="$q&SignatureMethod=HMAC-SHA1&SignatureNonce=$nonce&SignatureVersion=1.0&Timestamp=$ts&Version=2019-10-15"
  s=$(printf 'GET&%%2F&%s' "$(printf '%s' "$q" | sed 's/%/%25/g;s/=/%3D/g;s/&/%26/g')" |
    openssl dgst -sha1 -hmac "$1&" -binary | base64 | sed 's/+/%2B/g;s/\//%2F/g;s/=/%3D/g')
  echo "$q&Signature=$s"
}
call 200 "aliyun HotlineSessionQuery (signature V2)" "$proxy/?$(aliyun_query testsecret)"
call 400 "aliyun error: wrong signature (SignatureDoesNotMatch)" "$proxy/?$(aliyun_query wrong)"
grep -q 'SignatureDoesNotMatch' "$scratch/body" || fail "aliyun: expected SignatureDoesNotMatch"

prism_down

step "admin"
prism_up docs/openapi/admin.json
call 200 "admin health" "$proxy/__cdrsim/health"
call 200 "admin clock" "$proxy/__cdrsim/clock"
call 200 "admin records count" "$proxy/__cdrsim/itnio/records/count"
call 200 "admin journal" "$proxy/__cdrsim/requests?limit=2"
call 200 "admin variants" "$proxy/__cdrsim/variants"
call 200 "admin OpenAPI document" "$proxy/__cdrsim/openapi/itnio.json"
call 200 "admin Huawei agents" "$proxy/__cdrsim/huawei/agents"
call 400 "admin error: a delay rule without its ms" -X POST "$proxy/__cdrsim/faults" \
  -H 'Content-Type: application/json' -d '{"vendor":"itnio","path":"/v3/*","kind":"delay"}'
prism_down

echo "test-openapi: ok: 5 documents valid and current; $calls requests through Prism, no violation"
