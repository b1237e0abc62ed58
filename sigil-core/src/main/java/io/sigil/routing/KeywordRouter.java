package io.sigil.routing;

/** The deterministic router: keyword intent classifier plus complexity assessor. No model calls. */
public final class KeywordRouter implements Router {
    public static final String MODE = "keyword";

    private final IntentClassifier classifier;
    private final ComplexityAssessor assessor;

    public KeywordRouter() { this(new IntentClassifier(), new ComplexityAssessor()); }

    public KeywordRouter(IntentClassifier classifier, ComplexityAssessor assessor) {
        this.classifier = classifier;
        this.assessor = assessor;
    }

    @Override
    public RouteDecision route(String text) {
        IntentClassification c = classifier.classify(text);
        return decide(text, c, null);
    }

    /** The decision for a keyword classification, with an optional note (used by the LLM router's fallback). */
    RouteDecision decide(String text, IntentClassification c, String note) {
        ComplexityAssessment complexity = assessor.assess(text, c.intent());
        return RouteDecision.of(c.intent(), c.confidence(), complexity,
                new RouteFactors(MODE, c.rule(), c.scores(), c.matchedKeywords(), complexity, note));
    }

    IntentClassifier classifier() { return classifier; }

    ComplexityAssessor assessor() { return assessor; }

    @Override
    public String mode() { return MODE; }
}
