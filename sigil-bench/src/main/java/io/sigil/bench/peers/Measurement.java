package io.sigil.bench.peers;

import java.util.Arrays;

/** What one contender did in one scenario in one round. Per-task figures; latencies in nanoseconds. */
record Measurement(double cpuNanosPerTask, double allocatedBytesPerTask, double tasksPerSecond, double p50Nanos,
                   double p99Nanos, double requestsPerTask, double requestBytesPerTask) {

    double requestBytesPerAttempt() { return requestBytesPerTask / requestsPerTask; }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
