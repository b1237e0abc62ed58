package io.sigil.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * A detector's quality on a labelled set: confusion counts and the usual rates.
 *
 * @param threshold       the detector's decision threshold
 * @param truePositives   injections caught
 * @param falsePositives  benign texts flagged
 * @param trueNegatives   benign texts passed
 * @param falseNegatives  injections missed
 * @param missed          line numbers of the injections missed
 * @param falseAlarms     line numbers of the benign texts flagged
 * @param problems        lines skipped as unreadable
 */
public record Evaluation(double threshold, int truePositives, int falsePositives, int trueNegatives, int falseNegatives,
                         List<Integer> missed, List<Integer> falseAlarms, List<LabelledSet.Problem> problems) {

    public Evaluation {
        missed = List.copyOf(missed);
        falseAlarms = List.copyOf(falseAlarms);
        problems = List.copyOf(problems);
    }

    /** Runs {@code detector} over every example of {@code set}. */
    public static Evaluation of(InjectionDetector detector, LabelledSet set) {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        var missed = new ArrayList<Integer>();
        var alarms = new ArrayList<Integer>();
        for (LabelledSet.Example e : set.examples()) {
            boolean flagged = detector.detect(e.text()).score() >= detector.threshold();
            if (e.injection() && flagged) tp++;
            else if (e.injection()) { fn++; missed.add(e.line()); }
            else if (flagged) { fp++; alarms.add(e.line()); }
            else tn++;
        }
        return new Evaluation(detector.threshold(), tp, fp, tn, fn, missed, alarms, set.problems());
    }

    public int total() { return truePositives + falsePositives + trueNegatives + falseNegatives; }

    public int positives() { return truePositives + falseNegatives; }

    public int negatives() { return trueNegatives + falsePositives; }

    /** Recall on injections (catch rate); NaN without injections. */
    public double truePositiveRate() { return ratio(truePositives, positives()); }

    /** Share of benign texts flagged; NaN without benign texts. */
    public double falsePositiveRate() { return ratio(falsePositives, negatives()); }

    /** Injections caught, with its 95% interval. */
    public RateInterval recallInterval() { return RateInterval.wilson(truePositives, positives()); }

    /** Benign texts flagged, with its 95% interval. */
    public RateInterval falsePositiveInterval() { return RateInterval.wilson(falsePositives, negatives()); }

    public double precision() { return ratio(truePositives, truePositives + falsePositives); }

    public double recall() { return truePositiveRate(); }

    public double f1() {
        double p = precision();
        double r = recall();
        return Double.isNaN(p) || Double.isNaN(r) || p + r == 0 ? Double.NaN : 2 * p * r / (p + r);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
