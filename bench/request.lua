-- wrk script: one request, repeated. Method, headers ("Name: value" lines) and body come from
-- the environment, so the driver can sign once per run (every timestamp window is minutes).
dofile(os.getenv("BENCH_DIR") .. "/result.lua")
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.body = os.getenv("BENCH_BODY")
for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end
