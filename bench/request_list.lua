-- wrk script: like request.lua, but "@N@" in the body becomes the next of BENCH_NEEDLES (words
-- separated by spaces) on each request, in turn, so a run asks many different numbers.
dofile(os.getenv("BENCH_DIR") .. "/request.lua")
local needles = {}
for word in (os.getenv("BENCH_NEEDLES") or ""):gmatch("%S+") do
  needles[#needles + 1] = word
end
local n = 0
request = function()
  n = n % #needles + 1
  local body = wrk.body:gsub("@N@", needles[n])
  return wrk.format(nil, nil, nil, body)
end
