-- wrk script: 50 users changing the Overview filters (POSTs to the Dash callback endpoint).
-- The request body is prepared by benchmarks/benchmark.py and passed in the BODIES environment file.
local bodies = {}
local path = os.getenv("WRK_BODIES")
for line in io.lines(path) do bodies[#bodies + 1] = line end
local counter = 0

request = function()
  counter = counter + 1
  local body = bodies[(counter % #bodies) + 1]
  return wrk.format("POST", "/_dash-update-component", {["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_us=%d errors_status=%d errors_connect=%d errors_read=%d errors_timeout=%d p50_us=%d p95_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
