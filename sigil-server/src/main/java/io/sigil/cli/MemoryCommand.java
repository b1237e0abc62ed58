package io.sigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.config.Settings;
import io.sigil.errors.InvalidInputError;
import io.sigil.llm.ChatModel;
import io.sigil.memory.Category;
import io.sigil.memory.Consolidator;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.MemoryService;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.Resource;
import io.sigil.memory.ResourceType;
import io.sigil.memory.Scope;
import io.sigil.memory.embed.Embedders;
import io.sigil.memory.eval.ConversationDevSet;
import io.sigil.memory.eval.EvalSet;
import io.sigil.memory.eval.Evaluator;
import io.sigil.memory.eval.FriendsChatDevSet;
import io.sigil.memory.extract.Chunker;
import io.sigil.memory.extract.Extractor;
import io.sigil.memory.extract.ModelExtractor;
import io.sigil.memory.extract.RuleExtractor;
import io.sigil.memory.retrieval.Fusion;
import io.sigil.memory.retrieval.Recall;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.memory.retrieval.RetrievalMode;
import io.sigil.memory.retrieval.Retriever;
import io.sigil.memory.retrieval.TemporalBoost;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code sigil memory ...}: the three-layer memory from the command line (docs/memory.md). */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = "Remember, ingest, search and evaluate long-term memory.",
        subcommands = {
                MemoryCommand.Remember.class, MemoryCommand.Ingest.class, MemoryCommand.Search.class,
                MemoryCommand.Categories.class, MemoryCommand.Show.class, MemoryCommand.Consolidate.class,
                MemoryCommand.Export.class, MemoryCommand.Import.class, MemoryReindexCommand.class,
                MemoryEvalCommand.class, MemoryCommand.DevSet.class})
public final class MemoryCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** Options and wiring every memory subcommand shares. */
    abstract static class Base implements Callable<Integer> {
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Option(names = "--scope", defaultValue = "global", description = "global, user:<id>, agent:<name> or user:<id>+agent:<name> (default: ${DEFAULT-VALUE})")
        String scope;

        @Option(names = "--model", description = "Model for extraction, llm ranking and consolidation (anthropic:<model>, openai:<model>, ollama:<model> or test). Without it: rules.")
        String model;

        @Option(names = "--data-dir", description = "Memory data directory (overrides memory.data_dir / SIGIL_MEMORY_DATA_DIR)")
        Path dataDir;

        /** The effective settings, with --data-dir applied. */
        Settings settings() {
            Settings s = SigilCommand.root(spec).settings();
            if (dataDir == null) return s;
            var m = s.memory();
            return new Settings(s.environment(), s.debug(), s.features(), s.llm(),
                    m.withDataDir(dataDir),
                    s.contracts(), s.state(), s.api(), s.security(), s.logging(), s.telemetry(), s.routing(),
                    s.agents(), s.tools(), s.services());
        }

        PrintWriter out() { return spec.commandLine().getOut(); }

        PrintWriter err() { return spec.commandLine().getErr(); }

        Scope scope() { return Scope.parse(scope); }

        ChatModel chatModel() {
            if (model == null || model.isBlank()) return null;
            return new io.sigil.llm.ModelResolver(settings().llm()).resolve(model);
        }

        /** Opens the store in the configured data directory and runs {@code body} with a service over it. */
        <T> T withMemory(MemoryBody<T> body) throws Exception {
            Settings s = settings();
            Settings.Memory m = s.memory();
            ChatModel chat = chatModel();
            try (Embedder embedder = Embedders.fromSettings(m, s.llm());
                 CliMemory opened = CliMemory.open(s, embedder, dataDir != null)) {
                MemoryStore store = opened.store();
                var service = new MemoryService(store, extractor(chat), new Consolidator(chat),
                        Retriever.builder().store(store).chatModel(chat).retrievalK(m.retrievalK())
                                .hybridThreshold(m.hybridThreshold()).fusion(Retriever.defaultFusion(embedder.model()))
                                .temporalBoost(TemporalBoost.of(m)).build(),
                        null, m.consolidationThreshold(), null);
                T result = body.run(service, store);
                store.flush(); // an indexing failure is reported here, not lost at exit
                return result;
            }
        }

        static Extractor extractor(ChatModel chat) {
            var rules = new RuleExtractor();
            return chat == null ? rules : new ModelExtractor(chat, rules, 4 * Chunker.DEFAULT_MAX_CHARS);
        }

        interface MemoryBody<T> { T run(MemoryService memory, MemoryStore store) throws Exception; }

        void json(Object value) { out().println(MemoryJson.write(value)); }
    }

    @Command(name = "remember", description = "Store one fact.")
    static final class Remember extends Base {
        @Parameters(index = "0", paramLabel = "TEXT") String text;
        @Option(names = "--category", description = "snake_case category (default general)") String category;

        @Override
        public Integer call() throws Exception {
            return withMemory((memory, store) -> {
                var r = memory.remember(text, category, scope());
                out().println(r.added().isEmpty() ? "Already known: merged with an existing item."
                        : "Remembered in " + r.added().getFirst().category() + " (" + scope() + ").");
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "ingest", description = "Extract items from a file or every text file of a directory.")
    static final class Ingest extends Base {
        @Parameters(index = "0", paramLabel = "FILE|DIR") Path path;
        @Option(names = "--type", description = "conversation or document (default: guessed from the text)") String type;

        @Override
        public Integer call() throws Exception {
            if (!Files.exists(path)) throw new InvalidInputError("No such file or directory: " + path, "check the path");
            List<Path> files;
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
            } else {
                files = List.of(path);
            }
            ResourceType forced = type == null ? null : ResourceType.parse(type);
            return withMemory((memory, store) -> {
                int items = 0, merged = 0, ingested = 0;
                for (Path file : files) {
                    String text;
                    try {
                        text = readText(file);
                    } catch (InvalidInputError e) {
                        if (files.size() == 1) throw e;
                        err().println("skipped " + file + ": " + e.getMessage());
                        continue;
                    }
                    if (text.isBlank()) {
                        err().println("skipped " + file + ": empty");
                        continue;
                    }
                    ResourceType t = forced != null ? forced : guessType(text);
                    var resource = new Resource(UUID.randomUUID().toString(), t, text,
                            Map.of("file", file.toString()), null, scope(), Instant.now());
                    var r = memory.ingest(resource);
                    out().printf("%s (%s): %d items, %d merged%n", file, t.wireName(), r.added().size(), r.merged());
                    items += r.added().size();
                    merged += r.merged();
                    ingested++;
                }
                out().printf("Ingested %d file(s): %d new items, %d merged into existing ones.%n", ingested, items, merged);
                return ExitCodes.OK;
            });
        }

        /** Text of a file; binary or non-UTF-8 content is refused with the file's name. */
        static String readText(Path file) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new InvalidInputError("Cannot read " + file + ": " + e.getMessage(), "check the file's permissions");
            }
            for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
                if (bytes[i] == 0) throw binary(file);
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw binary(file);
            }
        }

        private static InvalidInputError binary(Path file) {
            return new InvalidInputError("Refusing " + file + ": it is binary or not UTF-8 text",
                    "ingest text files (conversation transcripts, markdown, plain text); convert other formats first");
        }

        /** Most non-blank lines "speaker: text" means a conversation transcript. */
        static ResourceType guessType(String text) {
            var lines = text.lines().filter(l -> !l.isBlank()).toList();
            long turns = lines.stream().filter(l -> l.matches("^\\s*[A-Za-z][\\w .-]{0,30}:\\s+\\S.*")).count();
            return turns * 2 > lines.size() ? ResourceType.CONVERSATION : ResourceType.DOCUMENT;
        }
    }

    @Command(name = "search", description = "Find memories.")
    static final class Search extends Base {
        @Parameters(index = "0", paramLabel = "QUERY") String query;
        @Option(names = "--mode", defaultValue = "hybrid", description = "hybrid, rag, llm, keyword or vector (default: ${DEFAULT-VALUE})") String mode;
        @Option(names = "--k", defaultValue = "0", description = "Number of results (default: memory.retrieval_k)") int k;
        @Option(names = "--category", description = "Only this category") String category;
        @Option(names = "--json", description = "Print JSON") boolean json;

        @Override
        public Integer call() throws Exception {
            RetrievalMode m = RetrievalMode.parse(mode);
            return withMemory((memory, store) -> {
                Recall r = memory.recall(new RecallQuery(query, scope(), category, k, m));
                if (json) {
                    var out = new LinkedHashMap<String, Object>();
                    out.put("mode", r.answeredBy().wireName());
                    out.put("reason", r.reason());
                    out.put("confidence", Double.isNaN(r.confidence()) ? null : r.confidence());
                    out.put("took_ms", r.took().toNanos() / 1e6);
                    out.put("results", r.hits().stream().map(h -> {
                        var m2 = new LinkedHashMap<String, Object>();
                        m2.put("id", h.item().id());
                        m2.put("content", h.item().content());
                        m2.put("category", h.item().category());
                        m2.put("confidence", h.item().confidence());
                        m2.put("score", h.score());
                        return m2;
                    }).toList());
                    json(out);
                } else {
                    out().printf("%s answered (%s), %.1f ms%n", r.answeredBy(), r.reason(), r.took().toNanos() / 1e6);
                    if (r.hits().isEmpty()) out().println("No memories found in scope " + scope() + ".");
                    int i = 1;
                    for (var h : r.hits()) {
                        out().printf("%2d. [%s %.3f] %s%n", i++, h.item().category(), h.score(), h.item().content());
                    }
                }
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "categories", description = "List categories with their item counts.")
    static final class Categories extends Base {
        @Option(names = "--json", description = "Print JSON") boolean json;

        @Override
        public Integer call() throws Exception {
            return withMemory((memory, store) -> {
                List<Category> all = memory.categories(scope());
                if (json) {
                    json(all);
                } else if (all.isEmpty()) {
                    out().println("No categories in scope " + scope() + " yet.");
                } else {
                    for (Category c : all) out().printf("%-26s %6d  %s%n", c.name(), c.itemCount(), c.description());
                }
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "show", description = "Show a category's summary and newest items.")
    static final class Show extends Base {
        @Parameters(index = "0", paramLabel = "CATEGORY") String category;

        @Override
        public Integer call() throws Exception {
            return withMemory((memory, store) -> {
                Category c = memory.category(scope(), category);
                out().printf("# %s (%d items, last consolidated %s)%n%s%n%n", c.name(), c.itemCount(),
                        c.lastConsolidated() == null ? "never" : c.lastConsolidated(), c.description());
                out().println(c.content().isBlank() ? "(no summary yet: run `sigil memory consolidate " + c.name() + "`)" : c.content());
                out().println("\nNewest items:");
                for (MemoryItem i : store.items(new io.sigil.memory.SearchFilter(scope(), c.name()), 10)) {
                    out().printf("- %s (confidence %.2f)%n", i.content(), i.confidence());
                }
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "consolidate", description = "Rewrite category summaries from their new items (all categories without an argument).")
    static final class Consolidate extends Base {
        @Parameters(index = "0", arity = "0..1", paramLabel = "CATEGORY") String category;

        @Override
        public Integer call() throws Exception {
            return withMemory((memory, store) -> {
                List<String> names = category != null ? List.of(category)
                        : memory.categories(scope()).stream().map(Category::name).toList();
                if (names.isEmpty()) out().println("No categories in scope " + scope() + " yet.");
                for (String name : names) {
                    Category c = memory.consolidate(scope(), name);
                    out().printf("%s: %d lines%n", c.name(), c.content().lines().count());
                }
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "export", description = "Write every resource, item and category (all scopes) as JSON lines.")
    static final class Export extends Base {
        @Parameters(index = "0", paramLabel = "FILE") Path file;

        @Override
        public Integer call() throws Exception {
            return withMemory((memory, store) -> {
                try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    int n = 0;
                    for (Resource r : store.resources()) { w.write(line("resource", r)); n++; }
                    for (MemoryItem i : store.allItems()) { w.write(line("item", i)); n++; }
                    var scopes = new java.util.LinkedHashSet<Scope>();
                    store.resources().forEach(r -> scopes.add(r.scope()));
                    store.allItems().forEach(i -> scopes.add(i.scope()));
                    for (Scope sc : scopes) for (Category c : store.categories(sc)) { w.write(line("category", c)); n++; }
                    out().println("Exported " + n + " records to " + file);
                }
                return ExitCodes.OK;
            });
        }

        private static String line(String kind, Object value) {
            return MemoryJson.write(Map.of("kind", kind, "record", value)) + "\n";
        }
    }

    @Command(name = "import", description = "Read JSON lines written by `sigil memory export` (items are embedded again).")
    static final class Import extends Base {
        @Parameters(index = "0", paramLabel = "FILE") Path file;

        @Override
        public Integer call() throws Exception {
            List<String> lines = Arrays.asList(Ingest.readText(file).split("\n"));
            return withMemory((memory, store) -> {
                var items = new ArrayList<MemoryItem>();
                var categories = new ArrayList<Category>();
                int resources = 0;
                for (int n = 0; n < lines.size(); n++) {
                    if (lines.get(n).isBlank()) continue;
                    JsonNode node;
                    try {
                        node = MemoryJson.MAPPER.readTree(lines.get(n));
                    } catch (IOException e) {
                        throw new InvalidInputError(file + ":" + (n + 1) + ": not valid JSON", "import files come from `sigil memory export`");
                    }
                    String record = node.path("record").toString();
                    switch (node.path("kind").asText()) {
                        case "resource" -> { store.putResource(MemoryJson.read(record, Resource.class)); resources++; }
                        case "item" -> items.add(MemoryJson.read(record, MemoryItem.class));
                        case "category" -> categories.add(MemoryJson.read(record, Category.class));
                        default -> throw new InvalidInputError(file + ":" + (n + 1) + ": unknown kind '" + node.path("kind").asText() + "'",
                                "kind is resource, item or category");
                    }
                }
                for (int i = 0; i < items.size(); i += 256) store.putItems(items.subList(i, Math.min(items.size(), i + 256)));
                for (Category c : categories) store.putCategory(c);
                store.flush();
                out().printf("Imported %d resources, %d items, %d categories.%n", resources, items.size(), categories.size());
                return ExitCodes.OK;
            });
        }
    }

    @Command(name = "devset", description = "Write the synthetic conversational development set (corpus.jsonl, queries.jsonl).")
    static final class DevSet extends Base {
        @Parameters(index = "0", paramLabel = "DIR") Path dir;
        @Option(names = "--seed", defaultValue = "1") long seed;
        @Option(names = "--companies", defaultValue = "40", description = "sales set: companies (default: ${DEFAULT-VALUE})") int companies;
        @Option(names = "--kind", defaultValue = "sales", description = "sales (sales calls, vectors strong) or friends (chats between friends, BM25 strong); default: ${DEFAULT-VALUE}") String kind;
        @Option(names = "--conversations", defaultValue = "8", description = "friends set: conversations, each its own scope (default: ${DEFAULT-VALUE})") int conversations;

        @Override
        public Integer call() throws Exception {
            if (companies < 1 || conversations < 1) throw new InvalidInputError("--companies and --conversations must be at least 1", "e.g. --conversations 8");
            EvalSet set = switch (kind.trim().toLowerCase(Locale.ROOT)) {
                case "sales" -> ConversationDevSet.generate(seed, companies);
                case "friends" -> FriendsChatDevSet.generate(seed, conversations);
                default -> throw new InvalidInputError("Unknown dev set kind '" + kind + "'", "use --kind sales or --kind friends");
            };
            ConversationDevSet.write(set, dir);
            out().printf("Wrote %d turns and %d questions to %s%n", set.corpus().size(), set.queries().size(), dir);
            return ExitCodes.OK;
        }
    }

}
