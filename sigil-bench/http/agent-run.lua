-- wrk script: POST an agent run (stream=false) with the offline test model.
-- Environment: SIGIL_TOKEN (a JWT with runs:execute), SIGIL_AGENT (default bench_agent), and optionally DELAY_MS:
-- each connection then pauses that long between its requests (wrk's delay hook), so N connections offer about
-- N * 1000 / (DELAY_MS + latency) runs per second instead of saturating the server.
local token = os.getenv("SIGIL_TOKEN")
local agent = os.getenv("SIGIL_AGENT") or "bench_agent"
wrk.method = "POST"
wrk.path = "/agents/" .. agent .. "/run"
wrk.body = '{"message": "Say hello to the benchmark", "model": "test"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

local pause = tonumber(os.getenv("DELAY_MS") or "")
if pause then
  function delay() return pause end
end

-- No response() hook: wrk would then parse every response into Lua strings, taking CPU from the server on the
-- same machine; non-2xx responses are counted by wrk itself (summary.errors.status).
function done(summary, latency, requests)
  io.write(string.format("runs/s %.1f  p50 %.2f ms  p99 %.2f ms  max %.2f ms  errors(non-2xx+socket) %d  requests %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout, summary.requests))
end
