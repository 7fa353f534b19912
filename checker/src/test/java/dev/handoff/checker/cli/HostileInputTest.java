package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.handoff.checker.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crafted input and faults (issue 16): each case was reproduced against the tool before its fix
 * (an internal error, a silent exit 0, a raw escape sequence, debris) and is pinned here.
 */
class HostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    /** A real counterexample file of the default scenario (isolation, 10 steps). */
    static Path trace;

    @BeforeAll
    static void writeTrace() {
        CliTest.Run r = run("check", "-q", "--property", "isolation", "--trace-out", dir.resolve("t.json").toString());
        assertEquals(ExitCode.SAFETY_VIOLATED, r.code(), r.err());
        trace = dir.resolve("t.isolation.json");
        assertTrue(Files.exists(trace));
    }

    /** The trace with one edit, written next to it. */
    static Path edited(String name, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(trace.toFile());
        edit.accept(root);
        Path f = dir.resolve(name);
        JSON.writeValue(f.toFile(), root);
        return f;
    }

    @Test
    void anOverlongTimeLimitIsAUsageError() {
        CliTest.Run r = run("check", "--time-limit", "99999999999999h");
        assertEquals(ExitCode.USAGE, r.code(), r.err());
        assertTrue(r.err().startsWith("handoff: Invalid value for option '--time-limit': '99999999999999h' is too long"
                + " (at most 8760h, a year)"), r.err());
        CliTest.Run digits = run("check", "--time-limit", "999999999999999999999999s");
        assertEquals(ExitCode.USAGE, digits.code(), digits.err());
        assertTrue(digits.err().contains("is too large"), digits.err());
    }

    @Test
    void everySubcommandAnswersVersion() {
        for (String sub : new String[] {"check", "sweep", "board", "replay", "catalogue", "bench"}) {
            CliTest.Run r = run(sub, "--version");
            assertEquals(0, r.code(), sub);
            assertTrue(r.out().startsWith("handoff "), sub + ": " + r.out());
        }
    }

    @Test
    void helpListsTheOutputAndSignalExits() {
        String help = run("check", "--help").out();
        assertTrue(help.matches("(?s).*\\n\\s+74\\s+an output could not be written.*"), help);
        assertTrue(help.matches("(?s).*\\n\\s+130\\s+interrupted \\(SIGINT; 143 for SIGTERM\\).*"), help);
    }

    @Test
    void aTraceNamingAnUnknownPropertyIsBadInput() throws Exception {
        Path f = edited("prop.json", r -> r.put("property", "nonesuch"));
        CliTest.Run r = run("replay", f.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().startsWith("handoff: " + f + ": property: property \"nonesuch\" is unknown (known: "), r.err());
    }

    @Test
    void aTraceWhoseFramebufferEndsPastTheAddressSpaceIsBadInput() throws Exception {
        Path f = edited("fb.json", r -> ((ObjectNode) r.get("scenario").get("platform")).put("framebufferPa", "0xfffffffffffff000"));
        CliTest.Run r = run("replay", f.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("framebuffer 0xfffffffffffff000 + 0x7ea000 ends past 2^52"), r.err());
    }

    /** replay shows what the model derives from the steps: an edited derived field is a divergence, not printed. */
    @Test
    void replayChecksEveryDerivedField() throws Exception {
        CliTest.Run good = run("replay", trace.toString());
        assertEquals(ExitCode.SAFETY_VIOLATED, good.code(), good.err());
        record Edit(String name, java.util.function.Consumer<ObjectNode> edit, String message) {
        }
        List<Edit> edits = List.of(
                new Edit("why.json", r -> r.put("explanation", r.get("explanation").asText().replace("step 10", "step 3")),
                        "replay diverges at step 10 (explanation): the file's explanation is not the one its steps give"),
                new Edit("cause.json", r -> r.put("rootCause", "firmware did it"),
                        "replay diverges at step 10 (rootCause): the file says \"firmware did it\""),
                new Edit("sid.json", r -> ((ObjectNode) r.get("witness")).put("sid", "0x101"),
                        "replay diverges at step 10 (witness): witness.sid is \"0x101\" in the file; the model gives \"0x100\""),
                new Edit("fn.json", r -> ((ObjectNode) r.get("steps").get(0)).put("function", "fw_lies"),
                        "replay diverges at step 1 (firmware: program-smmu): the file names the function \"fw_lies\"; the"
                                + " model's is \"fw_program_smmu\""),
                new Edit("kind.json", r -> r.put("kind", "liveness"), "kind: is \"liveness\"; isolation is a safety property"));
        for (Edit e : edits) {
            Path f = edited(e.name(), e.edit());
            CliTest.Run r = run("replay", f.toString());
            assertEquals(ExitCode.BAD_INPUT, r.code(), e.name() + ": " + r.err());
            assertTrue(r.err().contains(e.message()), e.name() + ": " + r.err());
            assertEquals("", r.out(), "nothing of an edited file is shown");
        }
    }

    /** Escape sequences from input never reach the terminal: they are shown as control pictures. */
    @Test
    void controlCharactersFromInputAreNeutralised() throws Exception {
        Path f = edited("esc.json", r -> ((ObjectNode) r.get("steps").get(0)).put("function", "evil\u001b[31m\u009b2J\u202e"));
        CliTest.Run r = run("replay", f.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("\"evil\u241b[31m\ufffd2J\ufffd\""), r.err());
        assertFalse(r.err().chars().anyMatch(c -> c == 0x1b || c == 0x9b || c == 0x202e), r.err());
        Path yaml = dir.resolve("esc.yaml");
        Files.writeString(yaml, "platform: c630\nknobs:\n  fw.mapping: \"x\\e[2Jy\"\n");
        CliTest.Run s = run("check", "--scenario", yaml.toString());
        assertEquals(ExitCode.BAD_INPUT, s.code(), s.err());
        assertTrue(s.err().contains("has no value \"x\u241b[2Jy\""), s.err());
    }

    /** A DTB's model string reaches the terminal neutralised. */
    @Test
    void aBoardsStringsCannotDriveTheTerminal() throws Exception {
        dev.handoff.model.board.FdtWriter b = new dev.handoff.model.board.FdtWriter();
        b.root.cells("#address-cells", 2).cells("#size-cells", 2).str("model", "evil\u001b]0;owned\u0007board\u202e");
        Path dtb = dir.resolve("evil.dtb");
        Files.write(dtb, b.build());
        CliTest.Run r = run("board", dtb.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), "no display: facts, then no matrix: " + r.err());
        assertTrue(r.out().startsWith("board: " + dtb + " (evil\u241b]0;owned\u2407board\ufffd)"), r.out());
        for (String text : new String[] {r.out(), r.err()}) {
            assertFalse(text.chars().anyMatch(c -> c == 0x1b || c == 0x07 || c == 0x202e), text);
        }
    }

    /** /dev/zero says it is empty and never ends: every reader counts the bytes (it was an OutOfMemoryError). */
    @Test
    void anEndlessInputIsRefusedByItsSize() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")), "/dev/zero (Linux)");
        String[][] cases = {
            {"board", "/dev/zero"}, {"board", "--acpi", "/dev/zero"}, {"check", "--scenario", "/dev/zero"},
        };
        for (String[] c : cases) {
            CliTest.Run r = run(c);
            assertEquals(ExitCode.BAD_INPUT, r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains("larger than any"), r.err());
        }
    }

    /** A huge value echoed in an error is cut: the error stays one readable line. */
    @Test
    void aHugeValueIsCutInItsError() {
        CliTest.Run r = run("check", "--set", "fw.mapping=" + "x".repeat(100_000));
        assertEquals(ExitCode.BAD_INPUT, r.code());
        assertEquals(1, r.err().lines().count());
        assertTrue(r.err().length() < 2_100 && r.err().contains("… (") && r.err().contains(" more characters)"), r.err());
    }

    /** What would be silently ignored (a last-one-wins repeat, a second document, a tag, an unknown field) is refused. */
    @Test
    void whatWouldBeIgnoredIsRefused() throws Exception {
        record Case(String[] args, int code, String message) {
        }
        Path twoDocs = dir.resolve("two.yaml");
        Files.writeString(twoDocs, "platform: c630\n---\nplatform: tegra186\n");
        Path tagged = dir.resolve("tag.yaml");
        Files.writeString(tagged, "platform: c630\nknobs:\n  fw.mapping: !evil translated\n");
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, "platform: c630 # caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Path extra = edited("extra.json", r -> r.put("extra", 1));
        Path dup = dir.resolve("dup.json");
        Files.writeString(dup, Files.readString(trace).replaceFirst("\\{", "{\"property\" : \"right-page\","));
        Path trailing = dir.resolve("trailing.json");
        Files.writeString(trailing, Files.readString(trace) + "{}");
        Path log = dir.resolve("k.log");
        Files.writeString(log, "[    1.0] arm-smmu 15000000.iommu: probing hardware configuration...\n");
        String same = dir.resolve("same.txt").toString();
        Path scenario = dir.resolve("kept.yaml");
        Files.writeString(scenario, "platform: c630\n");
        List<Case> cases = List.of(
                new Case(new String[] {"check", "-q", "--junit-out", same, "--markdown-out", same}, ExitCode.USAGE,
                        "--junit-out and --markdown-out name one file"),
                new Case(new String[] {"check", "-q", "--scenario", scenario.toString(), "--junit-out", scenario.toString()},
                        ExitCode.USAGE, "is also an input of this command; writing it would destroy the input"),
                new Case(new String[] {"check", "--scenario", twoDocs.toString()}, ExitCode.BAD_INPUT,
                        "line 3: a second YAML document: a scenario file holds one"),
                new Case(new String[] {"check", "--scenario", tagged.toString()}, ExitCode.BAD_INPUT, "YAML tag evil is not supported"),
                new Case(new String[] {"check", "--scenario", latin1.toString()}, ExitCode.BAD_INPUT, "not UTF-8 text"),
                new Case(new String[] {"check", "--set", "fw.mapping=translated", "--set", "fw.mapping=identity"}, ExitCode.USAGE,
                        "--set fw.mapping is given twice (translated and identity); give it once"),
                new Case(new String[] {"replay", extra.toString()}, ExitCode.BAD_INPUT, "extra: is not a field of handoff.trace/1"),
                new Case(new String[] {"replay", dup.toString()}, ExitCode.BAD_INPUT, "Duplicate field 'property'"),
                new Case(new String[] {"replay", trailing.toString()}, ExitCode.BAD_INPUT, "not valid JSON"),
                new Case(new String[] {"diagnose", log.toString(), "--stopped"}, ExitCode.USAGE, "--stopped needs a board"),
                new Case(new String[] {"check", "--reproducible"}, ExitCode.USAGE, "--reproducible applies to --format json"));
        for (Case c : cases) {
            CliTest.Run r = run(c.args());
            assertEquals(c.code(), r.code(), String.join(" ", c.args()) + ": " + r.err());
            assertTrue(r.err().contains(c.message()), r.err());
        }
        assertEquals("platform: c630\n", Files.readString(scenario), "the input is untouched");
    }

    /** Board text in the markdown step summary is never markup: HTML specials become entities. */
    @Test
    void boardTextInMarkdownIsNotMarkup() {
        assertEquals("x&lt;img src=x onerror=alert(1)&gt; &amp; &#96;&#96;&#96;", BoardCommand.md("x<img src=x onerror=alert(1)> & ```"));
    }

    @Test
    void yamlAliasesAreRefused() throws Exception {
        Path yaml = dir.resolve("alias.yaml");
        Files.writeString(yaml, "platform: c630\nknobs:\n  fw.mapping: &m translated\n  fw.framebuffer: *m\n");
        CliTest.Run r = run("check", "--scenario", yaml.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertEquals("handoff: " + yaml + " line 4: YAML alias *m is not supported: write the value out\n", r.err());
    }

    /** board takes only knobs from a scenario file: its platform and policy would be ignored, so they are refused. */
    @Test
    void boardRefusesWhatItWouldIgnore() throws Exception {
        Path dtb = Path.of("../../shared/dtb/sdm850-lenovo-yoga-c630.dtb");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(dtb), "the shared C630 DTB");
        Path withPlatform = dir.resolve("platform.yaml");
        Files.writeString(withPlatform, "platform: c630\nknobs:\n  fw.mapping: translated\n");
        CliTest.Run r = run("board", dtb.toString(), "--scenario", withPlatform.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("platform \"c630\" does not apply to board: the board's file is its platform"), r.err());
        Path withPolicy = dir.resolve("policy.yaml");
        Files.writeString(withPolicy, "policy: stock\n");
        CliTest.Run p = run("board", dtb.toString(), "--scenario", withPolicy.toString());
        assertEquals(ExitCode.BAD_INPUT, p.code(), p.err());
        assertTrue(p.err().contains("policy \"stock\" does not apply to board: name policies with --policy"), p.err());
        assertEquals(ExitCode.USAGE, run("board", dtb.toString(), "--platform", "c630").code());
    }

    /** A report file that cannot be written is exit 74, one line naming it, and nothing under its name. */
    @Test
    void anUnwritableOutputFileIsExit74() throws Exception {
        Path notADir = dir.resolve("plain-file");
        Files.writeString(notADir, "x");
        Path target = notADir.resolve("report.xml");
        CliTest.Run r = run("check", "-q", "--junit-out", target.toString());
        assertEquals(ExitCode.CANNOT_WRITE, r.code(), r.err());
        assertTrue(r.err().startsWith("handoff: cannot write " + target + ": "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        CliTest.Run full = run("check", "-q", "--junit-out", "/dev/full");
        if (Files.exists(Path.of("/dev/full"))) {
            assertEquals(ExitCode.CANNOT_WRITE, full.code(), full.err());
            assertTrue(full.err().contains("cannot write /dev/full: No space left on device"), full.err());
        }
    }

    /**
     * --trace-out names a stem; one that is a directory or a device is refused before the run
     * (--trace-out /dev/null wrote /dev/null.no-dma-fault.json).
     */
    @Test
    void aTraceStemThatIsNotAFileIsRefused() {
        CliTest.Run d = run("check", "-q", "--trace-out", dir.toString());
        assertEquals(ExitCode.USAGE, d.code(), d.err());
        assertTrue(d.err().contains("--trace-out " + dir + " is a directory; it names a stem"), d.err());
        if (Files.exists(Path.of("/dev/null")) && !Files.isRegularFile(Path.of("/dev/null"))) {
            CliTest.Run n = run("sweep", "-q", "--trace-out", "/dev/null", "--policy", "stock");
            assertEquals(ExitCode.USAGE, n.code(), n.err());
            assertTrue(n.err().contains("--trace-out /dev/null is not a regular file"), n.err());
        }
    }

    /**
     * --time-limit is one deadline for a board's whole matrix: with 40 displays (2,080 checks) and
     * one second, the checks the deadline passes are inconclusive without being built, and the
     * run ends (it once gave each check the full limit, one after another).
     */
    @Test
    void aBoardsChecksShareOneDeadline() throws Exception {
        dev.handoff.model.board.IortWriter w = new dev.handoff.model.board.IortWriter();
        for (int i = 0; i < 40; i++) {
            w.component("\\_SB_.DISP" + i, 0x800 + 16 * i, 1);
        }
        Path t = dir.resolve("many.iort");
        Files.write(t, w.build());
        CliTest.Run r = run("board", "--acpi", t.toString(), "--time-limit", "1s", "--format", "json");
        assertEquals(ExitCode.INCONCLUSIVE, r.code(), r.err());
        com.fasterxml.jackson.databind.JsonNode results = JSON.readTree(r.out()).get("results");
        long notStarted = 0;
        for (com.fasterxml.jackson.databind.JsonNode c : results) {
            if ("time limit reached before this check started (--time-limit)".equals(c.path("stopReason").asText())) {
                notStarted++;
            }
        }
        assertTrue(notStarted > results.size() / 2, notStarted + " of " + results.size() + " not started");
    }

    // ---- the same JVM as a user runs it: standard output, signals

    /**
     * Reads the rest of a child's standard error on a daemon thread. A test that stops reading it
     * would let the child fill the pipe (64 KiB of progress lines) and block in a write, where no
     * signal's orderly shutdown can reach it: the test would then wait for its output forever.
     */
    static void drain(BufferedReader err) {
        Thread t = new Thread(() -> {
            try {
                while (err.readLine() != null) {
                    // discarded
                }
            } catch (java.io.IOException e) {
                // the child is gone
            }
        }, "stderr-drain");
        t.setDaemon(true);
        t.start();
    }

    /** Whether this process ignores signal {@code signo} (Linux: the SigIgn mask of /proc/self/status; false elsewhere). */
    static boolean ignoredHere(int signo) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) >>> (signo - 1) & 1) != 0;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: assume the signal is handled
        }
        return false;
    }

    static Process java(Path cwd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(cwd.toFile()).start();
    }

    /** check > /dev/full: the verdict never reached anyone, so the exit is 74, not the verdict's 10. */
    @Test
    void aFullStandardOutputIsExit74() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "/dev/full (Linux)");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "check"));
        Process p = new ProcessBuilder(cmd).redirectOutput(new File("/dev/full")).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(ExitCode.CANNOT_WRITE, p.exitValue(), err);
        assertEquals("handoff: cannot write standard output: No space left on device\n", err);
    }

    /** handoff ... | head: the reader closed the pipe; the run ends as SIGPIPE ends a C program, silently, 141. */
    @Test
    void aClosedPipeEndsSilently() throws Exception {
        Process p = java(dir, "reference", "grid", "--n", "300", "--format", "json");
        p.getInputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(ExitCode.BROKEN_PIPE, p.exitValue(), err);
        assertEquals("", err);
    }

    /**
     * SIGINT during a sweep: what was decided so far, then exit 130 (SIGTERM: 143). Where this
     * process ignores SIGINT, as a shell's background job without job control does (and its
     * children inherit that, the JVM then installing no handler), only SIGTERM can be tried.
     */
    @Test
    void anInterruptedSweepSaysWhatItDecided() throws Exception {
        List<String> signals = ignoredHere(2) ? List.of("TERM") : List.of("INT", "TERM");
        for (String signal : signals) {
            Process p = java(dir, "sweep", "--progress", "--workers", "1", "--vary", "fw.mapping", "--vary", "fw.tables",
                    "--vary", "kernel.version", "--vary", "fw.smr");
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = err.readLine()) != null && !line.startsWith("[2/")) {
                // wait until two cells are decided
            }
            assertTrue(line != null, "progress lines");
            drain(err);
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(signal.equals("INT") ? ExitCode.INTERRUPTED : ExitCode.TERMINATED, p.exitValue(), out);
            assertTrue(out.matches("(?s)sweep interrupted: \\d+ of 900 cells decided\\n  stock fw\\.mapping=.*"), out);
        }
    }

    /** SIGTERM while trace files are being written leaves no temporary file behind. */
    @Test
    void noDebrisWhenKilledWhileWriting() throws Exception {
        Path out = Files.createDirectories(dir.resolve("traces"));
        for (int round = 0; round < 2; round++) {
            Process p = java(out, "sweep", "--vary", "fw.mapping", "--vary", "kernel.version", "--trace-out",
                    out.resolve("x.json").toString());
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = err.readLine()) != null && !line.startsWith("handoff: wrote")) {
                // wait until the first trace file is written: the rest are being written now
            }
            drain(err);
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            try (var files = Files.list(out)) {
                List<String> tmp = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
                assertEquals(List.of(), tmp, "round " + round);
            }
        }
    }
}
