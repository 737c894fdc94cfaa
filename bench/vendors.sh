# Sourced by the benchmark drivers after lib.sh, once a mock runs at $mock_url ($host its
# host:port) and $now is the signing time: how each vendor's main list endpoint is requested.
#   ITNIO   POST /v3/cc/record/query, a page of 20, signed once (the window is 30 minutes)
#   Yunfu   GET  .../task/{task}/record?page=1&per_page=20 with the demo Bearer token
#   Huawei  GET  calldata/{agent}/callinfo with the Guid of a signed-in agent (291: on a call)
#   Alibaba POST HotlineSessionQuery signed V3, a fresh nonce on every request

# Sets BENCH_METHOD, BENCH_PATH, BENCH_HEADERS, BENCH_BODY (or BENCH_REQUESTS) for a vendor.
prepare() {
  unset BENCH_REQUESTS
  export BENCH_METHOD=GET BENCH_BODY="" BENCH_HEADERS=""
  case $1 in
  itnio)
    local sign
    sign=$(printf '%s' "bDqJFiq97bz1lzh9$now" | md5sum | cut -c1-32)
    BENCH_METHOD=POST
    BENCH_PATH=/v3/cc/record/query
    BENCH_HEADERS=$'Content-Type: application/json;charset=UTF-8\nApi-Key: bDqJFiq9\n'"Timestamp: $now"$'\n'"Sign: $sign"
    BENCH_BODY='{"current":1,"size":20,"params":{"startTime":"2025-01-01 00:00:00","endTime":"2025-03-31 00:00:00"}}'
    ;;
  yunfu)
    BENCH_PATH="/agent-api/user/4d99d91c-f5d9-49da-88da-758977cc58a9/task/287e19c4-1966-49d6-8f02-b53ef11c0a55/record?page=1&per_page=20"
    BENCH_HEADERS="Authorization: Bearer demo-yunfu-token"
    ;;
  huawei)
    local base=$mock_url/agentgateway/resource guid
    guid=$(curl -sfi -X PUT "$base/onlineagent/291" -H 'Content-Type: application/json' \
      -d '{"password":"demo-pass-291","phonenum":"70291"}' | tr -d '\r' | awk -F': ' 'tolower($1)=="guid" {print $2}')
    [ -n "$guid" ] || { echo "huawei sign-in failed" >&2; exit 1; }
    # On a call, started through the admin API as the switch would: callinfo then answers the
    # call (about 0.7 KB), not the 42-byte "no current call".
    curl -sf -o /dev/null -X POST "$mock_url/__cdrsim/huawei/agents/291/calls" \
      -H 'Content-Type: application/json' -d '{}' || { echo "huawei: no call started" >&2; exit 1; }
    BENCH_PATH=/agentgateway/resource/calldata/291/callinfo
    BENCH_HEADERS="Guid: $guid"
    ;;
  aliyun)
    export BENCH_REQUESTS=$work/aliyun.requests
    BENCH_PATH=/
    ;;
  *)
    echo "unknown vendor '$1' (itnio, yunfu, huawei, aliyun)" >&2
    exit 2
    ;;
  esac
}

# The page the mock answers, saved to $work/VENDOR.page; sets content_type.
capture() {
  local headers=() line
  if [ "$1" = aliyun ]; then
    local one=$work/aliyun.one
    build-bench/bench/cdrsim-bench-aliyun-requests 1 "$host" "$now" close | tail -n +2 >"$one"
    exec 3<>"/dev/tcp/${host%:*}/${host#*:}"
    cat "$one" >&3
    cat <&3 >"$work/aliyun.response"
    exec 3<&-
    sed -n '1,/^\r$/p' "$work/aliyun.response" >"$work/aliyun.head"
    sed '1,/^\r$/d' "$work/aliyun.response" >"$work/aliyun.page"
  else
    while IFS= read -r line; do [ -n "$line" ] && headers+=(-H "$line"); done <<<"$BENCH_HEADERS"
    curl -sf -D "$work/$1.head" -o "$work/$1.page" -X "$BENCH_METHOD" "${headers[@]}" \
      ${BENCH_BODY:+--data-binary "$BENCH_BODY"} "$mock_url$BENCH_PATH"
  fi
  content_type=$(tr -d '\r' <"$work/$1.head" | awk -F': ' 'tolower($1)=="content-type" {print $2}')
  grep -q '^HTTP/1.1 200' "$work/$1.head" || { echo "$1: the mock did not answer 200" >&2; exit 1; }
  if [ "$1" = huawei ] && ! grep -q '"callid"' "$work/$1.page"; then
    echo "huawei: callinfo does not show the call" >&2
    exit 1
  fi
}

# Fresh Alibaba requests (a new nonce each: the mock refuses a replay) into $BENCH_REQUESTS.
aliyun_requests() { # COUNT
  build-bench/bench/cdrsim-bench-aliyun-requests "$1" "$host" "$now" >"$BENCH_REQUESTS"
}
