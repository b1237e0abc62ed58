package io.sigil.bench.peers;

/**
 * One way of doing the task. Everything reusable (clients, schemas, services) is built once in the constructor, as
 * each framework's documentation recommends; {@link #qualify} is one task: the call, the parse into the record, the
 * validation and, when the answer is invalid, the repair.
 */
public interface Contender {
    String name();

    LeadQualification qualify(String task);

    /** Builds a contender by name against the fake server's base URL. */
    static Contender create(String name, String baseUrl) {
        return switch (name) {
            case "raw" -> new RawOpenAi(baseUrl);
            case "sigil" -> new SigilContract(baseUrl);
            case "langchain4j" -> new LangChain4jAiService(baseUrl);
            case "springai" -> new SpringAiChatClient(baseUrl);
            default -> throw new IllegalArgumentException("unknown contender '" + name
                    + "': use raw, sigil, langchain4j or springai");
        };
    }

    String MODEL = "gpt-4o-mini";
    String KEY = "sk-bench";
}
