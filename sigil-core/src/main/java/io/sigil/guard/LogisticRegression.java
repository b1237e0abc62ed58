package io.sigil.guard;

/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares), in plain
 * Java. Deterministic: a fixed iteration order, no threads, and {@link StrictMath} for every transcendental
 * function, so the same rows give bit-identical weights on any JVM.
 *
 * <p>Features are standardised (mean 0, standard deviation 1 over the training rows) before fitting, so one
 * penalty suits features of any scale; the fitted model is folded back onto the raw features.
 */
public final class LogisticRegression {

    /** A fitted model on raw features: {@code p = 1 / (1 + exp(-(bias + weights . x)))}. */
    public record Model(double bias, double[] weights) {
        public double probability(double[] x) {
            double z = bias;
            for (int i = 0; i < weights.length; i++) z += weights[i] * x[i];
            return sigmoid(z);
        }
    }

    private final double l2;
    private final int maxIterations;
    private final double tolerance;

    /**
     * @param l2            penalty on the squared weights of the standardised features (the bias is not penalised)
     * @param maxIterations Newton steps at most
     * @param tolerance     stop once no standardised weight moves by more than this in one step
     */
    public LogisticRegression(double l2, int maxIterations, double tolerance) {
        if (!(l2 > 0)) throw new IllegalArgumentException("l2 must be positive: " + l2);
        if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be at least 1: " + maxIterations);
        this.l2 = l2;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    /** Fits {@code x} (one row per example) to the labels {@code y}. */
    public Model fit(double[][] x, boolean[] y) {
        int n = x.length;
        if (n == 0 || n != y.length) throw new IllegalArgumentException("need as many labels as rows, and some rows");
        int d = x[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] row : x) for (int j = 0; j < d; j++) mean[j] += row[j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (double[] row : x) for (int j = 0; j < d; j++) scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
        for (int j = 0; j < d; j++) {
            double sd = StrictMath.sqrt(scale[j] / n);
            scale[j] = sd > 1e-12 ? sd : 1; // a constant feature stays constant: its weight is penalised to 0
        }
        // Standardised design with the bias as the last column.
        int m = d + 1;
        double[][] z = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) z[i][j] = (x[i][j] - mean[j]) / scale[j];
            z[i][d] = 1;
        }
        double[] w = new double[m];
        for (int iteration = 0; iteration < maxIterations; iteration++) {
            double[] gradient = new double[m];
            double[][] hessian = new double[m][m];
            for (int i = 0; i < n; i++) {
                double[] row = z[i];
                double p = sigmoid(dot(w, row));
                double r = p - (y[i] ? 1 : 0);
                double s = Math.max(p * (1 - p), 1e-12);
                for (int a = 0; a < m; a++) {
                    gradient[a] += r * row[a];
                    double sa = s * row[a];
                    if (sa == 0) continue;
                    double[] h = hessian[a];
                    for (int b = 0; b <= a; b++) h[b] += sa * row[b];
                }
            }
            for (int a = 0; a < d; a++) {
                gradient[a] += l2 * w[a];
                hessian[a][a] += l2;
            }
            hessian[d][d] += 1e-9; // keeps the system positive definite when every row has one label
            double[] step = Cholesky.solve(hessian, gradient);
            double largest = 0;
            for (int a = 0; a < m; a++) {
                w[a] -= step[a];
                largest = Math.max(largest, Math.abs(step[a]));
            }
            if (largest <= tolerance) break;
        }
        double[] raw = new double[d];
        double bias = w[d];
        for (int j = 0; j < d; j++) {
            raw[j] = w[j] / scale[j];
            bias -= raw[j] * mean[j];
        }
        return new Model(bias, raw);
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + StrictMath.exp(-z)) : StrictMath.exp(z) / (1 + StrictMath.exp(z));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** Solves a symmetric positive definite system given by its lower triangle. */
    private static final class Cholesky {
        static double[] solve(double[][] lower, double[] rhs) {
            int m = rhs.length;
            double[][] l = new double[m][m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = lower[i][j];
                    for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
                    if (i == j) {
                        if (!(s > 0)) throw new IllegalStateException("the training system is not positive definite");
                        l[i][i] = StrictMath.sqrt(s);
                    } else {
                        l[i][j] = s / l[j][j];
                    }
                }
            }
            double[] t = new double[m];
            for (int i = 0; i < m; i++) {
                double s = rhs[i];
                for (int k = 0; k < i; k++) s -= l[i][k] * t[k];
                t[i] = s / l[i][i];
            }
            double[] out = new double[m];
            for (int i = m - 1; i >= 0; i--) {
                double s = t[i];
                for (int k = i + 1; k < m; k++) s -= l[k][i] * out[k];
                out[i] = s / l[i][i];
            }
            return out;
        }
    }
}
