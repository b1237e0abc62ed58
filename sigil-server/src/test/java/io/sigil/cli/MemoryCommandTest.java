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
                .contains("adaptive(alpha=0.5, gain=0.3");
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
}
