package io.sigil.reasoning;

import io.sigil.errors.ReasoningError;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step-by-step prompting: the model writes numbered steps and a "Final answer:" line, which are parsed into the
 * trace and the answer. Confidence (the design is silent): 0.6 + 0.05 per step up to 0.8 when a final answer
 * line is present; 0.5 when it is missing and the whole reply is taken as the answer.
 */
public final class ChainOfThoughtStrategy extends ModelStrategy {
    static final String SYSTEM = """
            Think through the task step by step. Write each step on its own line as a numbered item \
            ("1. ...", "2. ..."). End with one line that starts with "Final answer:" followed by the answer.""";

    private static final Pattern STEP = Pattern.compile("(?i)^\\s*(?:step\\s*)?(\\d{1,2})\\s*[.):]\\s+(.+)$");
    private static final Pattern FINAL = Pattern.compile("(?im)^[\\s*#_>]*final answer[\\s*_]*[:\\-][\\s*_]*");

    public ChainOfThoughtStrategy(ChatModel model, String modelName) { super(model, modelName); }

    @Override
    public StrategyName name() { return StrategyName.CHAIN_OF_THOUGHT; }

    /** The parsed reply: numbered steps and the final answer (null when there was no final answer line). */
    record Parsed(List<String> steps, String finalAnswer) { }

    @Override
    Answer solve(ReasoningRequest request, StrategyRun run) {
        ChatResponse r = run.call(ChatRequest.builder().system(SYSTEM).user(request.prompt()), 2048);
        String text = r.text().strip();
        if (text.isEmpty()) throw new ReasoningError("the model returned an empty answer");
        Parsed parsed = parse(text);
        parsed.steps().forEach(s -> run.trace("step", s));
        if (parsed.finalAnswer() == null) {
            run.trace("note", "no 'Final answer:' line; the whole reply is the answer");
            run.trace("answer", text);
            return new Answer(text, 0.5);
        }
        run.trace("answer", parsed.finalAnswer());
        return new Answer(parsed.finalAnswer(), Math.min(0.8, 0.6 + 0.05 * parsed.steps().size()));
    }

    static Parsed parse(String text) {
        Matcher fin = FINAL.matcher(text);
        String reasoning = text;
        String answer = null;
        if (fin.find()) {
            reasoning = text.substring(0, fin.start());
            answer = text.substring(fin.end()).strip();
            if (answer.isEmpty()) answer = null;
        }
        List<String> steps = new ArrayList<>();
        for (String line : reasoning.split("\\R")) {
            Matcher m = STEP.matcher(line);
            if (m.matches()) {
                steps.add(m.group(2).strip());
            } else if (!steps.isEmpty() && !line.isBlank()) {
                // A step's continuation line belongs to the step above it.
                steps.set(steps.size() - 1, steps.getLast() + " " + line.strip());
            }
        }
        return new Parsed(steps, answer);
    }
}
