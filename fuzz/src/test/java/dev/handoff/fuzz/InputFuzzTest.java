package dev.handoff.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.handoff.checker.cli.Main;
import dev.handoff.model.board.BoardFacts;
import dev.handoff.model.board.BoardInputException;
import dev.handoff.model.board.BoardPlatforms;
import dev.handoff.model.board.DeviceTreeReader;
import dev.handoff.model.board.Fdt;
import dev.handoff.model.board.IortReader;
import dev.handoff.model.log.KernelLog;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Every input handoff reads, fuzzed with coverage guidance (Jazzer, libFuzzer underneath). The
 * readers may refuse an input only with their input error (exit 65 on the command line); the
 * command line may end only with a documented exit code and never with an internal error (70) or
 * a stack trace. {@code ./mvnw verify} replays the committed corpus
 * ({@code src/test/resources/dev/handoff/fuzz/InputFuzzTestInputs/METHOD/}) and then fuzzes each
 * input from a fixed seed for the test's {@code maxExecutions} (about four seconds each here), so
 * every machine tries the same inputs; a finding is saved there as {@code crash-*}. A campaign
 * ({@code -Dfuzz.duration=10m}, see the module's pom) fuzzes from a random seed for a time.
 */
class InputFuzzTest {
    /** What the command line may answer: verdicts, inconclusive, usage, bad input. Never 70. */
    private static final Set<Integer> DOCUMENTED = Set.of(0, 10, 11, 12, 20, 64, 65);

    @FuzzTest(maxExecutions = 150000, maxDuration = "60s")
    void deviceTree(byte[] dtb) {
        try {
            BoardFacts f = DeviceTreeReader.facts("f.dtb", Fdt.parse("f.dtb", dtb));
            plan(f);
        } catch (BoardInputException expected) {
            // refused with a message: exit 65
        }
    }

    @FuzzTest(maxExecutions = 150000, maxDuration = "60s")
    void iort(byte[] table) {
        try {
            plan(IortReader.parse("f.iort", table));
        } catch (BoardInputException expected) {
            // refused with a message: exit 65
        }
    }

    /** What board does after reading: plan each display's platform (or say why there is none). */
    private static void plan(BoardFacts f) {
        try {
            BoardPlatforms.targets(f);
        } catch (BoardPlatforms.NoMatrixException expected) {
            // "no matrix" with its reasons: exit 65 after the facts
        }
    }

    @FuzzTest(maxExecutions = 8000, maxDuration = "60s")
    void kernelLog(byte[] log) {
        KernelLog.read(new StringReader(new String(log, StandardCharsets.UTF_8)));
    }

    @FuzzTest(maxExecutions = 500, maxDuration = "60s")
    void scenarioFile(byte[] yaml) throws Exception {
        Path f = Files.createTempFile("fuzz", ".yaml");
        try {
            Files.write(f, yaml);
            cli("check", "--scenario", f.toString(), "--max-states", "300", "--property", "no-dma-fault");
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @FuzzTest(maxExecutions = 700, maxDuration = "60s")
    void setValue(byte[] setting) {
        cli("check", "--set", new String(setting, StandardCharsets.UTF_8), "--max-states", "300", "--property", "no-dma-fault");
    }

    @FuzzTest(maxExecutions = 700, maxDuration = "60s")
    void traceFile(byte[] trace) throws Exception {
        Path f = Files.createTempFile("fuzz", ".json");
        try {
            Files.write(f, trace);
            cli("replay", f.toString());
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /**
     * Runs the command line in-process and fails on an undocumented exit: an internal error is
     * exit 70 (the only path that prints a stack trace is --debug, which is not given). The
     * messages themselves are not searched: they echo the input, which the fuzzer learns to fill
     * with whatever the oracle looks for.
     */
    private static void cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        if (!DOCUMENTED.contains(code)) {
            throw new AssertionError("exit " + code + ": " + err);
        }
    }
}
