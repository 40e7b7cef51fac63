-- wrk script: replays a captured mix of Dash callback requests (benchmarks/load_test.py writes the file named
-- by WRK_MIX: one request a line, "address<TAB>body"). Each connection starts at its own place in the mix.
local mix = {}
for line in io.lines(os.getenv("WRK_MIX")) do
  local tab = line:find("\t", 1, true)
  mix[#mix + 1] = {line:sub(1, tab - 1), line:sub(tab + 1)}
end
local headers = {
  ["Content-Type"] = "application/json",
  ["Accept"] = "application/json",
  ["Accept-Encoding"] = "gzip, deflate, br",
}
local counter = 0
local statuses = 0

function init(args)
  counter = math.random(#mix)
end

function request()
  counter = counter + 1
  local entry = mix[(counter % #mix) + 1]
  return wrk.format("POST", entry[1], headers, entry[2])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d errors=%d p50_us=%d p95_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
