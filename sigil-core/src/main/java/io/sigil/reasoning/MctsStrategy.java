package io.sigil.reasoning;

import io.sigil.errors.ReasoningError;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.tokens.TokenBudget;
import io.sigil.tokens.TokenBudgetExceeded;
import io.sigil.tokens.TokenEstimator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Monte Carlo tree search over reasoning steps. A node is one step; the root is the task. Each simulation
 * selects a node by UCB1 (average value / 100 + c * sqrt(ln parent visits / visits)) while nodes are full, expands it
 * with one new step from the model (temperature 0.8) unless it is at the depth limit, has the model score the
 * path 0-100 (temperature 0.3; unparseable is a neutral 50), and backs the value up to the root. A node takes
 * up to {@code maxChildren} children. Afterwards the best path is followed by average value and the model
 * writes the solution along it. Confidence is the average value of the path's last step / 100.
 *
 * <p>Budget: before each simulation the strategy checks that one more simulation (the larger of the first
 * estimate and the average so far) plus the solution call still fit; when they do not, it stops early and
 * says so in the trace. No affordable simulation at all is a budget failure.
 */
public final class MctsStrategy extends ModelStrategy {
    static final double EXPAND_TEMPERATURE = 0.8;
    static final double SCORE_TEMPERATURE = 0.3;
    static final int NEUTRAL_SCORE = 50;
    static final int STEP_TOKENS = 200;
    static final int SCORE_TOKENS = 64;
    static final int SOLUTION_TOKENS = 1500;

    static final String EXPAND_SYSTEM = """
            You extend a line of reasoning about a task by exactly one next step: one or two sentences that make \
            real progress. Do not repeat earlier steps, and make the step different from the alternatives listed.""";
    static final String SCORE_SYSTEM = """
            You judge a partial line of reasoning about a task: how likely is it to lead to a correct, complete \
            answer? Reply with JSON {"score": n} where n is an integer from 0 to 100.""";
    static final String SOLVE_SYSTEM = """
            Solve the task following the reasoning steps given. Give the key reasoning briefly, then the answer on \
            a last line starting with "Final answer:".""";

    /** A reasoning step in the search tree. Mutable, confined to one run. */
    static final class Node {
        final Node parent;
        final String step;
        final int depth;
        final List<Node> children = new ArrayList<>();
        int visits;
        double totalValue;

        Node(Node parent, String step) {
            this.parent = parent;
            this.step = step;
            this.depth = parent == null ? 0 : parent.depth + 1;
        }

        double average() { return visits == 0 ? 0 : totalValue / visits; }

        List<String> path() {
            List<String> steps = new ArrayList<>();
            for (Node n = this; n.parent != null; n = n.parent) steps.addFirst(n.step);
            return steps;
        }
    }

    /** What the search did: simulations run, the best path and the value it ended on. */
    record Search(int simulations, List<String> bestPath, double bestValue) { }

    private final MctsConfig config;

    public MctsStrategy(ChatModel model, String modelName) { this(model, modelName, MctsConfig.DEFAULTS); }

    public MctsStrategy(ChatModel model, String modelName, MctsConfig config) {
        super(model, modelName);
        this.config = config;
    }

    @Override
    public StrategyName name() { return StrategyName.MCTS; }

    @Override
    Answer solve(ReasoningRequest request, StrategyRun run) {
        Search search = search(request, run);
        String user = request.prompt() + "\n\nReasoning steps:\n" + numbered(search.bestPath());
        ChatResponse r = run.call(ChatRequest.builder().system(SOLVE_SYSTEM).user(user), SOLUTION_TOKENS);
        String text = r.text().strip();
        if (text.isEmpty()) throw new ReasoningError("the model returned an empty solution");
        ChainOfThoughtStrategy.Parsed parsed = ChainOfThoughtStrategy.parse(text);
        String answer = parsed.finalAnswer() == null ? text : parsed.finalAnswer();
        run.trace("answer", answer);
        return new Answer(answer, search.bestValue() / 100);
    }

    Search search(ReasoningRequest request, StrategyRun run) {
        Node root = new Node(null, request.task());
        String prompt = request.prompt();
        long solutionReserve = TokenEstimator.estimate(SOLVE_SYSTEM) + TokenEstimator.estimate(prompt)
                + config.maxDepth() * (STEP_TOKENS / 2) + SOLUTION_TOKENS;
        long firstEstimate = 2 * (TokenEstimator.estimate(prompt) + 60) + STEP_TOKENS + SCORE_TOKENS
                + config.maxDepth() * STEP_TOKENS;
        long spent = 0;
        int done = 0;
        while (done < config.simulations()) {
            long perSimulation = done == 0 ? firstEstimate : Math.max(firstEstimate / 2, spent / done);
            if (!run.canAfford(perSimulation + solutionReserve)) {
                run.trace("note", "budget: stopped after " + done + " of " + config.simulations()
                        + " simulations (" + run.remaining() + " tokens left, ~" + perSimulation
                        + " per simulation, " + solutionReserve + " kept for the solution)");
                break;
            }
            long before = run.tokensUsed();
            simulate(root, prompt, run, done + 1);
            spent += run.tokensUsed() - before;
            done++;
        }
        if (done == 0) {
            throw new TokenBudgetExceeded(TokenBudget.Limit.TOTAL, run.tokensUsed() + firstEstimate + solutionReserve,
                    run.budget());
        }
        Node node = root;
        while (!node.children.isEmpty()) {
            Node best = node.children.getFirst();
            for (Node c : node.children) if (c.average() > best.average()) best = c;
            node = best;
        }
        List<String> path = node.path();
        run.trace("path", "best path after " + done + " simulations: " + path.size() + " steps, average value "
                + String.format(Locale.ROOT, "%.1f", node.average()));
        for (int i = 0; i < path.size(); i++) run.trace("step", (i + 1) + ". " + path.get(i));
        return new Search(done, path, node.average());
    }

    private void simulate(Node root, String prompt, StrategyRun run, int number) {
        Node node = root;
        while (!node.children.isEmpty()
                && (node.children.size() >= config.maxChildren() || node.depth >= config.maxDepth())) {
            node = selectByUcb(node);
        }
        if (node.depth < config.maxDepth() && node.children.size() < config.maxChildren()) {
            node = expand(node, prompt, run);
        }
        double value = evaluate(node, prompt, run);
        backUp(node, value);
        run.trace("simulation", number + ": depth " + node.depth + ", value "
                + String.format(Locale.ROOT, "%.0f", value) + ", step: " + oneLine(node.step));
    }

    /** Adds one visit and the value to the node and every ancestor up to the root. */
    static void backUp(Node node, double value) {
        for (Node n = node; n != null; n = n.parent) {
            n.visits++;
            n.totalValue += value;
        }
    }

    /**
     * UCB1 over values scaled to 0..1 (the model scores 0-100), so c = 1.414 weighs exploration as UCB1 intends;
     * on raw 0-100 values the exploration term would be negligible. Unvisited children come first.
     */
    Node selectByUcb(Node parent) {
        Node best = null;
        double bestUcb = Double.NEGATIVE_INFINITY;
        double logVisits = Math.log(Math.max(1, parent.visits));
        for (Node c : parent.children) {
            double ucb = c.visits == 0 ? Double.POSITIVE_INFINITY
                    : c.average() / 100 + config.exploration() * Math.sqrt(logVisits / c.visits);
            if (ucb > bestUcb) {
                bestUcb = ucb;
                best = c;
            }
        }
        return best;
    }

    private Node expand(Node node, String prompt, StrategyRun run) {
        StringBuilder user = new StringBuilder(prompt).append("\n\nReasoning so far:\n")
                .append(node.parent == null ? "(none yet)\n" : numbered(node.path()));
        if (!node.children.isEmpty()) {
            user.append("\nAlternatives already considered for the next step:\n");
            for (Node c : node.children) user.append("- ").append(oneLine(c.step)).append('\n');
        }
        user.append("\nWrite the next step.");
        ChatResponse r = run.call(ChatRequest.builder().system(EXPAND_SYSTEM).user(user.toString())
                .temperature(EXPAND_TEMPERATURE), STEP_TOKENS);
        String step = r.text().strip();
        if (step.isEmpty()) step = "(the model proposed no step)";
        Node child = new Node(node, step);
        node.children.add(child);
        return child;
    }

    private double evaluate(Node node, String prompt, StrategyRun run) {
        String user = prompt + "\n\nReasoning so far:\n" + (node.parent == null ? "(none)\n" : numbered(node.path()));
        ChatResponse r = run.call(ChatRequest.builder().system(SCORE_SYSTEM).user(user)
                .temperature(SCORE_TEMPERATURE).outputSchema(Scores.schema(100)), SCORE_TOKENS);
        OptionalDouble score = Scores.parse(r.text(), 100);
        if (score.isEmpty()) run.trace("note", "score could not be read; neutral " + NEUTRAL_SCORE + " used");
        return score.orElse(NEUTRAL_SCORE);
    }

    private static String numbered(List<String> steps) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) sb.append(i + 1).append(". ").append(steps.get(i)).append('\n');
        return sb.toString();
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").strip();
        return line.length() <= 160 ? line : line.substring(0, 157) + "...";
    }
}
