package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line in-process: exit codes, messages, formats. */
class CliTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpShowsTheExitCodeTable() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String row : new String[] {"0", "10", "11", "12", "20", "64", "65", "70", "74", "130"}) {
            assertTrue(r.out().matches("(?s).*Exit codes:.*\\n\\s+" + row + "\\s+\\S.*"), "exit code " + row + " listed:\n" + r.out());
        }
        assertTrue(r.out().contains("bench"));
        assertTrue(r.out().contains("reference"));
    }

    /** reference runs bench's wide and filter models, packed and plain, with the counts SPIN gives. */
    @Test
    void referenceRunsTheBenchModels() {
        for (String form : new String[] {"packed", "plain"}) {
            Run r = form.equals("plain") ? run("reference", "filter", "--n", "4", "--plain") : run("reference", "filter", "--n", "4");
            assertEquals(ExitCode.HOLDS, r.code(), r.err());
            assertTrue(r.out().contains("expected 876 states") && r.out().contains("876 distinct"), form + ": " + r.out());
        }
        Run wide = run("reference", "wide", "--n", "5", "--plain");
        assertTrue(wide.out().contains("625 distinct"), wide.out());
        Run chain = run("reference", "chain", "--plain");
        assertEquals(ExitCode.USAGE, chain.code());
        assertTrue(chain.err().startsWith("handoff: --plain applies to philosophers, wide and filter only"), chain.err());
    }

    @Test
    void versionNamesTheBuild() {
        Run r = run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("handoff "), r.out());
        assertFalse(r.out().contains("${"), "the version was filtered in: " + r.out());
    }

    @Test
    void defaultJobIsTheSweepOnTheC630() {
        Run r = run();
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        assertTrue(r.out().startsWith("sweep: platform c630, 15 policies x 2 variants"), r.out());
        assertTrue(r.out().contains("fw.mapping=identity"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("fw-quiesce ") && !l.contains("no-dma-fault")), r.out());
    }

    @Test
    void safetyViolationExits10WithItsCounterexample() {
        Run r = run("reference", "philosophers", "--n", "5", "--planted-bug", "--workers", "2");
        assertEquals(ExitCode.SAFETY_VIOLATED, r.code());
        assertTrue(r.out().contains("counterexample for exclusion"), r.out());
        assertTrue(r.out().contains("philosopher 0: eat(0)"), r.out());
    }

    /** A run stops once every question is decided and says so; --exhaustive explores the rest, verdicts unchanged. */
    @Test
    void exhaustiveExploresPastEveryDecision() {
        Run early = run("reference", "philosophers", "--n", "6", "--planted-bug", "--no-deadlock", "--workers", "2");
        Run all = run("reference", "philosophers", "--n", "6", "--planted-bug", "--no-deadlock", "--workers", "2",
                "--exhaustive");
        assertEquals(ExitCode.SAFETY_VIOLATED, all.code(), all.err());
        assertTrue(early.out().contains("stopped once every question was decided"), early.out());
        // the buggy graph's 239 states (the run that stops at depth 4 has seen 138)
        assertTrue(all.out().contains("states: 239 distinct"), all.out());
        assertTrue(early.out().contains("states: 138 distinct"), early.out());
        assertFalse(all.out().contains("stopped once every question was decided"), all.out());
        assertEquals(early.out().substring(early.out().indexOf("counterexample for")),
                all.out().substring(all.out().indexOf("counterexample for")), "the same counterexample");
        Run json = run("reference", "philosophers", "--n", "6", "--planted-bug", "--no-deadlock", "--exhaustive",
                "--format", "json");
        assertTrue(json.out().contains("\"exhausted\" : true"), json.out());
    }

    /** A pure model passes --check-determinism with the same output (the counterexample, the counts) and exit code. */
    @Test
    void checkDeterminismOnAPureModelChangesNothing() {
        Run plain = run("reference", "philosophers", "--n", "6", "--planted-bug", "--workers", "2", "--format", "json",
                "--reproducible");
        Run checked = run("reference", "philosophers", "--n", "6", "--planted-bug", "--workers", "2", "--format", "json",
                "--reproducible", "--check-determinism");
        assertEquals(ExitCode.SAFETY_VIOLATED, checked.code(), checked.err());
        assertEquals(plain.out(), checked.out());
    }

    /** --reproducible JSON is the same bytes for 1, 2 and 4 workers: CI can diff it. */
    @Test
    void reproducibleJsonIsTheSameForAnyWorkerCount() {
        String one = run("reference", "philosophers", "--n", "12", "--planted-bug", "--format", "json", "--reproducible",
                "--workers", "1").out();
        assertTrue(one.contains("\"seconds\" : 0,") && one.contains("\"path\""), one);
        for (String w : new String[] {"2", "4"}) {
            assertEquals(one, run("reference", "philosophers", "--n", "12", "--planted-bug", "--format", "json",
                    "--reproducible", "--workers", w).out(), w + " workers");
        }
        String check = run("check", "--policy", "qcom-bypass", "--format", "json", "--reproducible", "--workers", "1").out();
        assertTrue(check.contains("\"seconds\" : 0"), check);
        assertEquals(check, run("check", "--policy", "qcom-bypass", "--format", "json", "--reproducible", "--workers", "2").out());
    }

    @Test
    void deadlockExits11() {
        Run r = run("reference", "grid", "--n", "6");
        assertEquals(ExitCode.DEADLOCK, r.code());
        assertTrue(r.out().contains("deadlock (no action enabled in the last state)"), r.out());
        assertEquals(ExitCode.HOLDS, run("reference", "grid", "--n", "6", "--terminal-corner").code());
        assertEquals(ExitCode.DEADLOCK, run("reference", "philosophers", "--n", "4", "--deadlock").code());
    }

    @Test
    void limitExits20() {
        Run r = run("reference", "philosophers", "--n", "14", "--max-states", "1000");
        assertEquals(ExitCode.INCONCLUSIVE, r.code());
        assertTrue(r.out().contains("verdict: INCONCLUSIVE (state limit reached"), r.out());
    }

    @Test
    void usageErrorsExit64WithOneClearLine() {
        Run unknown = run("reference", "--frobnicate");
        assertEquals(ExitCode.USAGE, unknown.code());
        assertTrue(unknown.err().contains("Unknown option: '--frobnicate'"), unknown.err());
        Run workers = run("reference", "--workers", "0");
        assertEquals(ExitCode.USAGE, workers.code());
        assertTrue(workers.err().contains("--workers 0 is out of range (allowed: 1 to 1024)"), workers.err());
        Run duration = run("reference", "--time-limit", "soon");
        assertEquals(ExitCode.USAGE, duration.code());
        assertTrue(duration.err().contains("'soon' is not a duration"), duration.err());
        Run model = run("reference", "towers");
        assertEquals(ExitCode.USAGE, model.code());
        assertTrue(model.err().contains("'towers' is not a reference model (allowed: philosophers, grid, chain, wide, filter)"), model.err());
        Run n = run("bench", "--n", "40");
        assertEquals(ExitCode.USAGE, n.code());
        assertTrue(n.err().contains("--n 40 is out of range for philosophers (allowed: 2 to 32)"), n.err());
        for (Run r : new Run[] {unknown, workers, duration, model, n}) {
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }

    @Test
    void jsonRunReport() throws Exception {
        Run r = run("reference", "grid", "--n", "5", "--limit", "3", "--format", "json", "--terminal-corner");
        assertEquals(ExitCode.SAFETY_VIOLATED, r.code());
        JsonNode j = RunReport.JSON.readTree(r.out());
        assertEquals("handoff.run/1", j.get("schema").asText());
        assertEquals("VIOLATED", j.get("verdict").asText());
        JsonNode p = j.get("properties").get(0);
        assertEquals("below-diagonal", p.get("name").asText());
        assertEquals(4, p.get("path").size(), "initial state plus three steps");
        assertEquals(25, j.get("stats").get("distinctStates").asLong());
    }

    @Test
    void benchPrintsItsFiguresAsJson() throws Exception {
        Run r = run("bench", "--n", "10", "--workers", "2", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = RunReport.JSON.readTree(r.out());
        assertEquals("philosophers", j.get("model").asText());
        assertEquals(10, j.get("n").asInt());
        assertEquals(2, j.get("workers").asInt());
        assertEquals(6_726, j.get("distinctStates").asLong());
        assertEquals(43_481, j.get("transitions").asLong());
        assertTrue(j.get("seconds").asDouble() > 0);
        assertTrue(j.get("bytesPerState").asDouble() > 0);
    }

    @Test
    void benchTextLine() {
        Run r = run("bench", "--n", "8", "--repeat", "3", "--store", "exact");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("distinctStates=1154 transitions="), r.out());
        assertTrue(r.out().contains("bench median:"), r.out());
        assertTrue(r.out().contains("bench fastest:"), r.out());
    }

    /** Warm-up runs are printed as such and left out of the counted runs, the median and the fastest. */
    @Test
    void benchWarmupRunsAreNotCounted() throws Exception {
        Run text = run("bench", "--n", "8", "--repeat", "2", "--warmup", "3");
        assertEquals(0, text.code(), text.err());
        List<String> labels = text.out().lines().map(l -> l.substring(0, l.indexOf(':'))).toList();
        assertEquals(List.of("bench warm-up 1", "bench warm-up 2", "bench warm-up 3", "bench run 1", "bench run 2",
                "bench median", "bench fastest"), labels);
        Run json = run("bench", "--n", "8", "--repeat", "3", "--warmup", "2", "--format", "json");
        assertEquals(0, json.code(), json.err());
        JsonNode j = RunReport.JSON.readTree(json.out());
        assertEquals(2, j.get("warmups").size());
        assertEquals(3, j.get("runs").size());
        double fastest = j.get("fastest").get("seconds").asDouble();
        for (JsonNode counted : j.get("runs")) {
            assertTrue(fastest <= counted.get("seconds").asDouble(), json.out());
        }
        assertEquals(64, run("bench", "--n", "8", "--warmup", "-1").code(), "a negative warm-up is a usage error");
    }

    @Test
    void completionScriptIsGenerated() {
        Run r = run("generate-completion");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("complete -F"), "a bash completion script");
    }

    @Test
    void progressLineFormat() {
        String line = ProgressPrinter.line(new dev.handoff.engine.SearchListener.Progress(1_000_000, 5_000_000, 12, 3_000, 2.0));
        assertEquals("progress: 1,000,000 states, 5,000,000 transitions, depth 12, queue 3,000, 500,000 states/s, 2s", line);
    }

    /** Every subcommand's one-line summary in 'handoff --help' is a whole sentence (its header). */
    @Test
    void commandSummariesAreWholeSentences() {
        var cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("generate-completion") || e.getKey().equals("help")) {
                continue; // picocli's own
            }
            String[] header = e.getValue().getCommandSpec().usageMessage().header();
            assertEquals(1, header.length, e.getKey() + " has a one-line header");
            assertTrue(header[0].endsWith(".") && header[0].length() <= 90 && header[0].indexOf(". ") < 0,
                    e.getKey() + ": " + header[0]);
        }
    }

    /**
     * The bash completion script, run by bash, completes policy, platform, property, knob,
     * KNOB=VALUE, kernel, format and schema names.
     */
    @Test
    void bashCompletionOffersTheNames(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path script = dir.resolve("handoff-completion.sh");
        java.nio.file.Files.writeString(script, run("generate-completion").out());
        String probe = "source " + script + "; compopt() { :; }\n"
                + "c() { read -ra a <<< \"handoff $1\"; [[ \"$1\" == *' ' ]] && a+=(''); COMP_WORDS=(\"${a[@]}\");"
                + " COMP_CWORD=$((${#a[@]}-1)); COMP_LINE=\"handoff $1\"; COMP_POINT=${#COMP_LINE}; _complete_handoff;"
                + " echo \"$1 -> ${COMPREPLY[*]}\"; }\n"
                + "c 'check --policy qcom'\nc 'sweep --platform t'\nc 'check --property iso'\nc 'sweep --vary fw.ma'\n"
                + "c 'check --set hyp.clientpd='\nc 'board x.dtb --kernel 6.'\nc 'graph --format '\nc 'schema sc'\n";
        Process p = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        for (String expected : List.of("check --policy qcom -> qcom-bypass qcom-pre-sctlr-fix", "sweep --platform t -> tegra186",
                "check --property iso -> isolation", "sweep --vary fw.ma -> fw.mapping",
                "check --set hyp.clientpd= -> hyp.clientpd=honoured hyp.clientpd=ignored", "board x.dtb --kernel 6. -> 6.1 6.6 6.12",
                "graph --format  -> dot graphml", "schema sc -> scenario")) {
            assertTrue(out.contains(expected), expected + " in:\n" + out);
        }
    }

    /** Runs with {@code stdin} as standard input. */
    static Run runWithInput(String stdin, String... args) {
        java.io.InputStream saved = System.in;
        System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }

    /** '-' reads a scenario or a trace from standard input, with the same errors as a file. */
    @Test
    void dashReadsStandardInput(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Run r = runWithInput("policy: fw-quiesce\nknobs:\n  kernel.version: 5.15\n", "check", "--scenario", "-", "--format", "json");
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        assertEquals("5.15", RunReport.JSON.readTree(r.out()).get("scenario").get("knobs").get("kernel.version").asText());
        Run bad = runWithInput("policy: [\n", "check", "--scenario", "-");
        assertEquals(ExitCode.BAD_INPUT, bad.code());
        assertTrue(bad.err().startsWith("handoff: <stdin> line 1:"), bad.err());
        run("check", "--policy", "stock", "--property", "isolation", "--trace-out", dir.resolve("t.json").toString());
        String trace = java.nio.file.Files.readString(dir.resolve("t.isolation.json"));
        Run replay = runWithInput(trace, "replay", "-");
        assertEquals(ExitCode.SAFETY_VIOLATED, replay.code(), replay.err());
        Run garbage = runWithInput("{", "show", "-");
        assertEquals(ExitCode.BAD_INPUT, garbage.code());
        assertTrue(garbage.err().contains("<stdin>: not valid JSON"), garbage.err());
    }

    /** -q silences everything on standard error but errors; -v adds progress lines; standard output is the same. */
    @Test
    void quietAndVerbose(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Run normal = run("sweep", "--policy", "stock", "--trace-out", dir.resolve("a.json").toString());
        assertTrue(normal.err().contains("handoff: wrote "), normal.err());
        Run quiet = run("-q", "sweep", "--policy", "stock", "--progress", "--trace-out", dir.resolve("b.json").toString());
        assertEquals("", quiet.err());
        assertEquals(normal.out().replaceAll("[0-9.]+ s of search", ""), quiet.out().replaceAll("[0-9.]+ s of search", ""));
        Run verbose = run("sweep", "-v", "--policy", "stock");
        assertEquals(2, verbose.err().lines().filter(l -> l.startsWith("[")).count(), verbose.err());
        Run error = run("-q", "check", "--policy", "nonesuch");
        assertEquals(ExitCode.BAD_INPUT, error.code());
        assertTrue(error.err().contains("nonesuch"), "errors still print under -q: " + error.err());
    }

    /** The man page covers every command and option, and groff formats it without a warning (where groff is installed). */
    @Test
    void manPageCoversEveryCommandAndFormatsCleanly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Run r = run("man");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith(".TH HANDOFF 1 "), r.out());
        var cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (var e : cl.getSubcommands().entrySet()) {
            if (!e.getKey().equals("help")) {
                assertTrue(r.out().contains(".SS " + e.getKey().replace("-", "\\-") + "\n"), e.getKey());
                for (var o : e.getValue().getCommandSpec().options()) {
                    assertTrue(r.out().contains(o.longestName().replace("-", "\\-")), e.getKey() + " " + o.longestName());
                }
            }
        }
        assertFalse(r.out().matches("(?s).*all [0-9]+ cores.*"), "no machine-specific values");
        java.nio.file.Path page = dir.resolve("handoff.1");
        java.nio.file.Files.writeString(page, r.out());
        Process p;
        try {
            p = new ProcessBuilder("groff", "-man", "-ww", "-z", page.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("groff is not installed here");
            return;
        }
        String warnings = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), warnings);
        assertEquals("", warnings, "groff warnings");
    }
}
