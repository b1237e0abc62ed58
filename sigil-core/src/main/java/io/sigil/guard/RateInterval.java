package io.sigil.guard;

/**
 * A 95% confidence interval for a rate of {@code k} in {@code n} (Wilson score interval: sound for small counts and
 * for rates at 0 or 1, where the textbook normal interval collapses to a point).
 */
public record RateInterval(int k, int n, double low, double high) {
    private static final double Z = 1.959963984540054;

    public static RateInterval wilson(int k, int n) {
        if (n <= 0) return new RateInterval(k, n, Double.NaN, Double.NaN);
        if (k < 0 || k > n) throw new IllegalArgumentException("need 0 <= k <= n: " + k + " of " + n);
        double p = (double) k / n;
        double z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new RateInterval(k, n, k == 0 ? 0 : Math.max(0, centre - half), k == n ? 1 : Math.min(1, centre + half));
    }

    public double rate() {
        return n == 0 ? Double.NaN : (double) k / n;
    }

    /** {@code 27/60 = 45.0 % [32.9, 57.8]}. */
    public String describe() {
        if (n == 0) return "0/0";
        return String.format(java.util.Locale.ROOT, "%d/%d = %.1f %% [%.1f, %.1f]", k, n, 100 * rate(), 100 * low,
                100 * high);
    }
}
