-- wrk script: one signed POST, repeated. Body and headers come from the environment so the shell
-- driver can sign once per run (the Timestamp stays inside the mock's 30-minute window).
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json;charset=UTF-8"
wrk.headers["Api-Key"] = os.getenv("BENCH_KEY")
wrk.headers["Timestamp"] = os.getenv("BENCH_TS")
wrk.headers["Sign"] = os.getenv("BENCH_SIGN")

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
               + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
