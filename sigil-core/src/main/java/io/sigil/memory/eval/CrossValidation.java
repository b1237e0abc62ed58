package io.sigil.memory.eval;

import io.sigil.memory.Scope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * K-fold cross-validation of retrieval settings over the queries of an {@link EvalSet}. Every candidate setting
 * (a fusion, a context window) has been run once on all queries; for each fold the candidate with the best mean
 * recall on the other folds is chosen and scored on the fold's own queries, so no figure reported for a fold was
 * seen while choosing. Pooled figures average every query once, as scored in its test fold.
 * <p>
 * Folds are drawn by conversation, not by query, so that a fold's conversations are unseen: queries are grouped by
 * scope when the set has at least K scopes, otherwise by the conversation of their first relevant turn.
 */
public final class CrossValidation {

    /** A setting that was run on every query of the set. */
    public record Candidate(String name, Evaluator.Scores scores) { }

    /** recall@k, MRR@k, nDCG@k over some queries. */
    public record Figures(int queries, double recall, double mrr, double ndcg) { }

    /** One fold: the setting chosen on the others, its training recall and what it scored here. */
    public record Fold(int fold, int trainQueries, String chosen, double trainRecall, Figures test) { }

    /** All folds, the pooled held-out figures and the pooled figures per question category. */
    public record Result(int folds, String groupedBy, List<Fold> perFold, Figures pooled,
                         Map<String, Figures> perCategory, Map<String, Figures> candidatesOnAll) { }

    private CrossValidation() { }

    public static Result run(EvalSet set, List<Candidate> candidates, int k) {
        if (k < 2) throw new IllegalArgumentException("at least 2 folds: " + k);
        if (candidates.isEmpty()) throw new IllegalArgumentException("no candidates");
        int n = set.queries().size();
        var docConversation = new HashMap<String, String>();
        for (EvalSet.Doc d : set.corpus()) if (d.conversation() != null) docConversation.put(d.id(), d.conversation());
        var scopes = new TreeSet<String>();
        for (EvalSet.Query q : set.queries()) if (!q.scope().equals(Scope.GLOBAL)) scopes.add(q.scope().key());
        boolean byScope = scopes.size() >= k;
        String[] group = new String[n];
        for (int i = 0; i < n; i++) {
            EvalSet.Query q = set.queries().get(i);
            String first = new TreeSet<>(q.relevant()).first();
            group[i] = byScope ? q.scope().key() : docConversation.getOrDefault(first, conversationOf(first));
        }
        var groups = new ArrayList<>(new TreeSet<>(List.of(group)));
        var foldOfGroup = new HashMap<String, Integer>();
        for (int g = 0; g < groups.size(); g++) foldOfGroup.put(groups.get(g), g % k);
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) fold[i] = foldOfGroup.get(group[i]);

        var perFold = new ArrayList<Fold>();
        int[] chosenAt = new int[n];
        for (int f = 0; f < k; f++) {
            int best = -1;
            double bestRecall = -1, bestMrr = -1;
            int train = 0;
            for (int c = 0; c < candidates.size(); c++) {
                Figures fig = figures(candidates.get(c).scores(), fold, f, false);
                train = fig.queries();
                if (fig.recall() > bestRecall + 1e-12 || (Math.abs(fig.recall() - bestRecall) <= 1e-12 && fig.mrr() > bestMrr)) {
                    best = c;
                    bestRecall = fig.recall();
                    bestMrr = fig.mrr();
                }
            }
            for (int i = 0; i < n; i++) if (fold[i] == f) chosenAt[i] = best;
            perFold.add(new Fold(f + 1, train, candidates.get(best).name(), bestRecall,
                    figures(candidates.get(best).scores(), fold, f, true)));
        }
        Figures pooled = pooled(candidates, chosenAt, null, set);
        var perCategory = new TreeMap<String, Figures>();
        for (EvalSet.Query q : set.queries()) perCategory.putIfAbsent(q.category(), null);
        perCategory.replaceAll((cat, ignored) -> pooled(candidates, chosenAt, cat, set));
        var onAll = new LinkedHashMap<String, Figures>();
        for (Candidate c : candidates) onAll.put(c.name(), figures(c.scores(), fold, -1, false));
        return new Result(k, byScope ? "scope" : "conversation", perFold, pooled, perCategory, onAll);
    }

    private static Figures pooled(List<Candidate> candidates, int[] chosenAt, String category, EvalSet set) {
        double r = 0, m = 0, g = 0;
        int count = 0;
        for (int i = 0; i < chosenAt.length; i++) {
            if (category != null && !category.equals(set.queries().get(i).category())) continue;
            var s = candidates.get(chosenAt[i]).scores();
            r += s.recall()[i];
            m += s.reciprocalRank()[i];
            g += s.ndcg()[i];
            count++;
        }
        return count == 0 ? new Figures(0, 0, 0, 0) : new Figures(count, r / count, m / count, g / count);
    }

    /** Mean figures over the queries in fold f ({@code inFold}) or outside it; f = -1 with inFold false: all. */
    private static Figures figures(Evaluator.Scores s, int[] fold, int f, boolean inFold) {
        double r = 0, m = 0, g = 0;
        int count = 0;
        for (int i = 0; i < fold.length; i++) {
            if ((fold[i] == f) != inFold) continue;
            r += s.recall()[i];
            m += s.reciprocalRank()[i];
            g += s.ndcg()[i];
            count++;
        }
        return count == 0 ? new Figures(0, 0, 0, 0) : new Figures(count, r / count, m / count, g / count);
    }

    /** A corpus id's conversation when the corpus names none: the id without a trailing turn number ("-t12"). */
    static String conversationOf(String id) {
        return id.replaceFirst("[-_]t?\\d+$", "");
    }
}
