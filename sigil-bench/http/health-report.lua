-- wrk script: GET /health (the baseline: the same server and pipeline without a run).
function done(summary, latency, requests)
  io.write(string.format("req/s %.1f  p50 %.2f ms  p99 %.2f ms  max %.2f ms  errors %d  requests %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout, summary.requests))
end
