-- wrk script: sends the raw requests of the file BENCH_REQUESTS in order (each after a line with
-- its length in bytes), starting over at its end. For requests that must differ every time, like
-- Alibaba's signature nonces.
dofile(os.getenv("BENCH_DIR") .. "/result.lua")
local file

function init(args)
  file = assert(io.open(os.getenv("BENCH_REQUESTS"), "rb"))
end

function request()
  local n = file:read("*n")
  if not n then
    file:seek("set", 0)
    n = file:read("*n")
  end
  file:read(1)
  return file:read(n)
end
