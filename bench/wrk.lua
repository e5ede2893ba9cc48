-- wrk script for bench/site.py, configured from the environment:
--   BENCH_COOKIE  a Cookie header sent with every request
--   BENCH_BODY    a form body to POST; each "{key}" becomes a fresh UUID per request
-- done() prints one line, BENCH-JSON {...}, that bench/site.py reads.

local cookie = os.getenv("BENCH_COOKIE")
local body = os.getenv("BENCH_BODY")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local thread_number = 0
function setup(thread)
  thread_number = thread_number + 1
  thread:set("number", thread_number)
end

if body and body ~= "" then
  local counter = 0
  function init(args)
    math.randomseed(os.time() * 1000 + (number or 0))
  end
  local function uuid()
    counter = counter + 1
    local random = {}
    for i = 1, 4 do
      random[i] = string.format("%04x", math.random(0, 0xffff))
    end
    -- thread, counter and randomness: never the same key twice in one run.
    return string.format("%08x-%04x-4%s-a%s-%s%s%04x", counter, number or 0,
      random[1]:sub(2), random[2]:sub(2), random[3], random[4], math.random(0, 0xffff))
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  function request()
    return wrk.format(nil, nil, nil, (body:gsub("{key}", uuid())))
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout))
end
