package io.sigil.reasoning;

import io.sigil.errors.ReasoningError;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Tree of thoughts, one level deep (sigil-design.md section 6): propose {@code approaches} distinct approaches at
 * temperature 0.8 (3 by default, at most 5), score each 0-10 at temperature 0.3, then have the model solve the
 * task along the best-scored one (ties go to the earlier approach). An unparseable score counts as a neutral 5.
 * Confidence is the best score / 10.
 */
public final class TreeOfThoughtsStrategy extends ModelStrategy {
    public static final int DEFAULT_APPROACHES = 3;
    public static final int MAX_APPROACHES = 5;
    static final double PROPOSE_TEMPERATURE = 0.8;
    static final double SCORE_TEMPERATURE = 0.3;
    static final int NEUTRAL_SCORE = 5;

    static final String PROPOSE_SYSTEM = """
            You propose an approach to a task: a short plan of attack in two to four sentences, not the solution. \
            Make it genuinely different from any approaches already listed.""";
    static final String SCORE_SYSTEM = """
            You judge how promising an approach is for solving a task correctly and completely. \
            Reply with JSON {"score": n} where n is an integer from 0 (useless) to 10 (certain to work).""";
    static final String SOLVE_SYSTEM = """
            Solve the task by following the given approach. Show the key reasoning briefly, then give the answer \
            on a last line starting with "Final answer:".""";

    private final int approaches;

    public TreeOfThoughtsStrategy(ChatModel model, String modelName) { this(model, modelName, DEFAULT_APPROACHES); }

    public TreeOfThoughtsStrategy(ChatModel model, String modelName, int approaches) {
        super(model, modelName);
        if (approaches < 1 || approaches > MAX_APPROACHES) {
            throw new IllegalArgumentException("approaches must be 1.." + MAX_APPROACHES + ", got " + approaches);
        }
        this.approaches = approaches;
    }

    @Override
    public StrategyName name() { return StrategyName.TREE_OF_THOUGHTS; }

    @Override
    Answer solve(ReasoningRequest request, StrategyRun run) {
        List<String> proposed = new ArrayList<>();
        for (int i = 1; i <= approaches; i++) {
            StringBuilder user = new StringBuilder(request.prompt()).append("\n\n");
            if (!proposed.isEmpty()) {
                user.append("Approaches already proposed:\n");
                for (int j = 0; j < proposed.size(); j++) user.append(j + 1).append(". ").append(proposed.get(j)).append('\n');
                user.append('\n');
            }
            user.append("Propose approach number ").append(i).append('.');
            ChatResponse r = run.call(ChatRequest.builder().system(PROPOSE_SYSTEM).user(user.toString())
                    .temperature(PROPOSE_TEMPERATURE), 400);
            String approach = r.text().strip();
            if (approach.isEmpty()) {
                run.trace("note", "approach " + i + " was empty and is skipped");
                continue;
            }
            proposed.add(approach);
            run.trace("approach", i + ". " + approach);
        }
        if (proposed.isEmpty()) throw new ReasoningError("the model proposed no approaches");

        int best = 0;
        double bestScore = -1;
        for (int i = 0; i < proposed.size(); i++) {
            ChatResponse r = run.call(ChatRequest.builder().system(SCORE_SYSTEM)
                    .user(request.prompt() + "\n\nApproach:\n" + proposed.get(i))
                    .temperature(SCORE_TEMPERATURE).outputSchema(Scores.schema(10)), 64);
            OptionalDouble parsed = Scores.parse(r.text(), 10);
            double score = parsed.orElse(NEUTRAL_SCORE);
            if (parsed.isEmpty()) {
                run.trace("note", "score of approach " + (i + 1) + " could not be read; neutral " + NEUTRAL_SCORE + " used");
            }
            run.trace("score", "approach " + (i + 1) + ": " + format(score) + "/10");
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        run.trace("selected", "approach " + (best + 1) + " (score " + format(bestScore) + ")");

        ChatResponse r = run.call(ChatRequest.builder().system(SOLVE_SYSTEM)
                .user(request.prompt() + "\n\nApproach to follow:\n" + proposed.get(best)), 2048);
        String text = r.text().strip();
        if (text.isEmpty()) throw new ReasoningError("the model returned an empty answer when refining the best approach");
        ChainOfThoughtStrategy.Parsed parsed = ChainOfThoughtStrategy.parse(text);
        String answer = parsed.finalAnswer() == null ? text : parsed.finalAnswer();
        run.trace("answer", answer);
        return new Answer(answer, bestScore / 10);
    }

    static String format(double score) {
        return score == Math.rint(score) ? Long.toString((long) score) : String.format(Locale.ROOT, "%.1f", score);
    }
}
