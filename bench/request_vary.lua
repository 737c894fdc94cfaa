-- wrk script: like request.lua, but "@N@" in the body becomes a different 4-digit number on each
-- request (1000..9999, then again), so an answer cached for one request never serves the next.
dofile(os.getenv("BENCH_DIR") .. "/request.lua")
local n = 0
request = function()
  n = n + 1
  local body = wrk.body:gsub("@N@", tostring(1000 + n % 9000))
  return wrk.format(nil, nil, nil, body)
end
