package io.sigil.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory commands end to end in one JVM (each command opens and closes the store, as separate runs would).
 * Every run gets --data-dir pointing at a temporary directory.
 */
class MemoryCommandTest {
    @TempDir Path tmp;

    private record Run(int exit, String out, String err) { }

    private Run sigil(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        CommandLine cl = SigilCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] withDir = new String[args.length + 2];
        System.arraycopy(args, 0, withDir, 0, args.length);
        withDir[args.length] = "--data-dir";
        withDir[args.length + 1] = tmp.resolve("memory").toString();
        int exit = args.length < 2 ? cl.execute(args) : cl.execute(withDir);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void ingestSearchAcrossRunsShowExportImportAndReindex() throws Exception {
        Path calls = Files.createDirectories(tmp.resolve("calls"));
        Files.writeString(calls.resolve("acme.txt"), """
                rep: Thanks for joining.
                lead: We prefer email over phone calls.
                lead: Our budget is around $40k for the year.
                lead: You can reach me at dana@acme.example.
                """);
        Files.write(calls.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1});

        Run ingest = sigil("memory", "ingest", calls.toString(), "--scope", "user:dana");
        assertThat(ingest.exit()).isZero();
        assertThat(ingest.out()).contains("acme.txt (conversation): 3 items");
        assertThat(ingest.err()).contains("skipped").contains("logo.png");

        Run search = sigil("memory", "search", "How much money do they have for this?", "--scope", "user:dana", "--k", "1", "--json");
        assertThat(search.exit()).isZero();
        assertThat(search.out()).contains("Our budget is around $40k").contains("\"mode\"");

        assertThat(sigil("memory", "search", "budget", "--scope", "user:nobody").out()).contains("No memories found");
        assertThat(sigil("memory", "remember", "Dana signs all contracts", "--category", "decision_makers",
                "--scope", "user:dana").out()).contains("Remembered in decision_makers");
        assertThat(sigil("memory", "categories", "--scope", "user:dana").out())
                .contains("budget_information").contains("decision_makers");
        assertThat(sigil("memory", "consolidate", "--scope", "user:dana").exit()).isZero();
        assertThat(sigil("memory", "show", "budget_information", "--scope", "user:dana").out())
                .contains("- Our budget is around $40k for the year.");

        Path export = tmp.resolve("export.jsonl");
        assertThat(sigil("memory", "export", export.toString()).out()).contains("Exported");
        assertThat(Files.readAllLines(export)).anyMatch(l -> l.contains("\"kind\":\"item\""));

        Run reindex = sigil("memory", "reindex");
        assertThat(reindex.exit()).isZero();
        assertThat(reindex.out()).contains("4 items");
        assertThat(sigil("memory", "import", export.toString()).out()).contains("4 items");
    }

    @Test
    void anIndexOnTheOldDefaultModelIsToldTheDefaultChangedAndMovedByReindex() throws Exception {
        String miniLm = "memory.embedding_model=all-minilm-l6-v2-q";
        assertThat(sigil("memory", "remember", "Maya adopted a kitten called Pepper", "--scope", "user:maya",
                "--set", miniLm).exit()).isZero();

        Run stale = sigil("memory", "search", "What is the cat's name?", "--scope", "user:maya");
        assertThat(stale.exit()).isNotZero();
        assertThat(stale.err()).contains("all-minilm-l6-v2-q").contains("e5-small-v2-q")
                .contains("the default embedding model is now e5-small-v2-q").contains("sigil memory reindex")
                .contains("set memory.embedding_model back to all-minilm-l6-v2-q");

        Run reindex = sigil("memory", "reindex");
        assertThat(reindex.exit()).isZero();
        assertThat(reindex.out()).contains("Moving the index from embedding model all-minilm-l6-v2-q to e5-small-v2-q "
                + "(the default model changed)").contains("1 items");
        assertThat(sigil("memory", "search", "What is the cat's name?", "--scope", "user:maya").out()).contains("Pepper");
    }

    @Test
    void badInputGetsOneLineErrorsWithUsageExitCodes() throws Exception {
        Run empty = sigil("memory", "search", " ");
        assertThat(empty.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(empty.err()).startsWith("[INVALID_INPUT] The memory query is empty");

        Path bin = tmp.resolve("blob.bin");
        Files.write(bin, new byte[] {1, 0, 2, 3});
        Run binary = sigil("memory", "ingest", bin.toString());
        assertThat(binary.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(binary.err()).contains("blob.bin").contains("binary");

        assertThat(sigil("memory", "show", "nothing").exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(sigil("memory", "search", "x", "--mode", "psychic").err()).contains("Unknown retrieval mode");
    }

    @Test
    void evalPrintsTheMetricsForEachMode() throws Exception {
        Path dir = tmp.resolve("set");
        assertThat(sigil("memory", "devset", dir.toString(), "--companies", "2").exit()).isZero();

        Run eval = sigil("memory", "eval", "--corpus", dir.resolve("corpus.jsonl").toString(),
                "--queries", dir.resolve("queries.jsonl").toString(), "--k", "5", "--mode", "keyword,hybrid");
        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("recall@5").contains("MRR@5").contains("nDCG@5").contains("p95 ms")
                .contains("items/s").contains("keyword").contains("hybrid");

        Run json = sigil("memory", "eval", "--corpus", dir.resolve("corpus.jsonl").toString(),
                "--queries", dir.resolve("queries.jsonl").toString(), "--mode", "rag", "--json");
        assertThat(json.out()).contains("\"recall\"").contains("\"itemsPerSecond\"");
    }

    @Test
    void evalComparesNamedFusionsAndRefusesBadOnesWithTheForms() throws Exception {
        Path dir = tmp.resolve("friends");
        assertThat(sigil("memory", "devset", dir.toString(), "--kind", "friends", "--conversations", "1").exit()).isZero();
        String corpus = dir.resolve("corpus.jsonl").toString(), queries = dir.resolve("queries.jsonl").toString();

        Run eval = sigil("memory", "eval", "--corpus", corpus, "--queries", queries, "--mode", "keyword,rag",
                "--fusion", "rrf:60,weighted:0.7,default");
        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("fusion").contains("no model (hybrid answers with rag)")
                .contains("rrf(k=60, keyword=1.0, vector=1.0)").contains("weighted(alpha=0.7")
                .contains("weighted(alpha=0.2"); // "default" is the default model's fusion (e5: BM25 share 0.2)
        assertThat(eval.out().lines().filter(l -> l.startsWith("rag ")).count()).isEqualTo(3);
        assertThat(eval.out().lines().filter(l -> l.startsWith("keyword ")).count()).isEqualTo(1);

        Run bad = sigil("memory", "eval", "--corpus", corpus, "--queries", queries, "--fusion", "weighted:2");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("Bad fusion 'weighted:2'").contains("alpha must be between 0 and 1")
                .contains("rrf[:k").doesNotContain("Exception");
        assertThat(sigil("memory", "eval", "--corpus", corpus, "--queries", queries, "--fusion", "borda").err())
                .contains("unknown fusion 'borda'");
        assertThat(sigil("memory", "devset", dir.toString(), "--kind", "movies").err()).contains("Unknown dev set kind 'movies'");
    }

    @Test
    void evalCrossValidatesFusionAndContextOverConversationsAndReportsPerCategory() throws Exception {
        Path dir = tmp.resolve("weeks");
        Files.createDirectories(dir);
        var corpus = new StringBuilder();
        var queries = new StringBuilder();
        for (int c = 0; c < 4; c++) {
            String scope = "user:chat-" + c;
            String[][] turns = {{"Sam", "Did you get the puppy in the end?"}, {"Maya", "Yes, we named her Pixel" + c + "."},
                    {"Sam", "The weather is awful."}, {"Maya", "I start a pottery class on Monday."}};
            for (int t = 0; t < turns.length; t++) {
                corpus.append(String.format(
                        "{\"id\":\"c%d-t%d\",\"text\":\"%s: %s\",\"scope\":\"%s\",\"timestamp\":\"2024-0%d-10T10:0%d:00Z\",\"conversation\":\"c%d\"}%n",
                        c, t, turns[t][0], turns[t][1], scope, c + 1, t, c));
            }
            queries.append(String.format("{\"query\":\"What did Maya name the puppy?\",\"scope\":\"%s\",\"category\":\"single-hop\",\"relevant\":[\"c%d-t1\"]}%n", scope, c));
            queries.append(String.format("{\"query\":\"Which class is Maya taking?\",\"scope\":\"%s\",\"category\":\"open-domain\",\"relevant\":[\"c%d-t3\"]}%n", scope, c));
        }
        Files.writeString(dir.resolve("corpus.jsonl"), corpus);
        Files.writeString(dir.resolve("queries.jsonl"), queries);
        String c = dir.resolve("corpus.jsonl").toString(), q = dir.resolve("queries.jsonl").toString();

        Run eval = sigil("memory", "eval", "--corpus", c, "--queries", q, "--k", "1", "--mode", "keyword,rag",
                "--context-turns", "0,1", "--fusion", "default,rrf:60", "--folds", "2");
        assertThat(eval.exit()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("2-fold cross-validation over scopes").contains("fold 1:").contains("fold 2:")
                .contains("pooled:   8 queries").contains("single-hop").contains("open-domain").contains("chosen: context=");
        // keyword with context 1 finds the reply "Pixel" by the question's "puppy" in the turn before it
        assertThat(eval.out().lines().filter(l -> l.startsWith("keyword ")).toList()).hasSize(2);
        assertThat(eval.out().lines().filter(l -> l.startsWith("rag ")).toList()).hasSize(4);
        assertThat(eval.out()).containsPattern("keyword\\s+1\\.000 .* 1 +-");

        Run json = sigil("memory", "eval", "--corpus", c, "--queries", q, "--mode", "keyword", "--folds", "2", "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"cross_validation\"").contains("\"perCategory\"").contains("\"pooled\"");

        assertThat(sigil("memory", "eval", "--corpus", c, "--queries", q, "--folds", "1").err())
                .contains("--folds must be 0 (off) or at least 2");
        assertThat(sigil("memory", "eval", "--corpus", c, "--queries", q, "--context-turns", "-1").err())
                .contains("--context-turns -1 is out of range");

        Run boosts = sigil("memory", "eval", "--corpus", c, "--queries", q, "--mode", "rag", "--temporal-boost", "0,0.3");
        assertThat(boosts.exit()).as(boosts.err()).isZero();
        assertThat(boosts.out().lines().filter(l -> l.startsWith("rag ")).toList()).hasSize(2)
                .satisfiesExactly(off -> assertThat(off).doesNotContain("temporal boost"),
                        on -> assertThat(on).contains("temporal boost 0.3"));
        assertThat(sigil("memory", "eval", "--corpus", c, "--queries", q, "--temporal-boost", "2").err())
                .contains("--temporal-boost 2.0 is out of range");

        Run anchors = sigil("memory", "eval", "--corpus", c, "--queries", q, "--mode", "rag", "--temporal-boost", "0,0.3",
                "--temporal-anchors", "off,on");
        assertThat(anchors.exit()).as(anchors.err()).isZero();
        assertThat(anchors.out().lines().filter(l -> l.startsWith("rag ")).toList()) // no "0 with anchors": it is off
                .satisfiesExactly(off -> assertThat(off).doesNotContain("temporal boost"),
                        plain -> assertThat(plain).contains("temporal boost 0.3").doesNotContain("anchors"),
                        with -> assertThat(with).contains("temporal boost 0.3 with event anchors"));
        assertThat(sigil("memory", "eval", "--corpus", c, "--queries", q, "--temporal-anchors", "maybe").err())
                .contains("--temporal-anchors 'maybe' is not on or off");
    }
}
