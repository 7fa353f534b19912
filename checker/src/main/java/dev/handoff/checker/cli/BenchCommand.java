package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.checker.engine.ExplorationResult;
import dev.handoff.checker.engine.ExplorationSettings;
import dev.handoff.checker.engine.Explorer;
import dev.handoff.checker.engine.Statistics;
import dev.handoff.checker.engine.Verdict;
import dev.handoff.checker.reference.Philosophers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The reference benchmark of shared/bench: N dining philosophers, deadlock checking off,
 * invariant {@code exclusion} checked in every state. Compare with
 * {@code shared/bench/spin-baseline.sh N} run in the same session.
 */
@Command(name = "bench",
        header = "Runs the reference benchmark (N dining philosophers) and reports its throughput.",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the reference benchmark (shared/bench): N dining philosophers, invariant 'exclusion', deadlock "
                + "checking off. Prints distinct states, transitions, seconds, states/s, transitions/s and bytes/state; "
                + "fails (exit 70) if the counts differ from the closed form. Compare with "
                + "shared/bench/spin-baseline.sh N run in the same session.",
        })
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--n", paramLabel = "N", defaultValue = "16",
            description = "Philosophers (2..32, default: ${DEFAULT-VALUE}); 18 is the reference size.")
    int n;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "1",
            description = "Runs (default: ${DEFAULT-VALUE}); with more than one, the median run is reported too.")
    int repeat;

    @Option(names = "--format", paramLabel = "text|json", completionCandidates = Names.TextJson.class, defaultValue = "text",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--read-dtbs", paramLabel = "DIR",
            description = "Instead of the model: time reading (and extracting the facts of) every .dtb in DIR, --repeat times.")
    java.nio.file.Path readDtbs;

    @Mixin
    ExplorationOptions exploration;

    @Override
    public Integer call() throws Exception {
        if (readDtbs != null) {
            return readDtbs();
        }
        if (n < Philosophers.MIN_N || n > Philosophers.MAX_N) {
            throw new ParameterException(spec.commandLine(), "--n " + n + " is out of range (allowed: "
                    + Philosophers.MIN_N + " to " + Philosophers.MAX_N + ")");
        }
        if (repeat < 1 || repeat > 100) {
            throw new ParameterException(spec.commandLine(), "--repeat " + repeat + " is out of range (allowed: 1 to 100)");
        }
        CheckOptions.requireFormat(spec, format, "text", "json");
        ExplorationSettings settings = exploration.settings(ExplorationSettings.defaults()).withCheckDeadlock(false);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Philosophers model = new Philosophers(n, false);
        List<Statistics> runs = new ArrayList<>();
        int code = ExitCode.HOLDS;
        for (int i = 0; i < repeat; i++) {
            ExplorationResult r = Explorer.explore(model, settings,
                    Verbosity.search(spec, exploration.progress));
            if (r.internalError() != null) {
                err.println("handoff bench: internal error: " + r.internalError());
                code = ExitCode.INTERNAL;
            } else if (r.limitReached()) {
                err.println("handoff bench: " + r.stopReason());
                code = ExitCode.INCONCLUSIVE;
            } else if (r.properties().get(0).verdict() != Verdict.HOLDS
                    || r.statistics().distinctStates() != Philosophers.expectedStates(n)) {
                err.println("handoff bench: wrong answer: " + r.statistics().distinctStates() + " states, expected "
                        + Philosophers.expectedStates(n) + ", exclusion " + r.properties().get(0).verdict());
                code = ExitCode.INTERNAL;
            }
            runs.add(r.statistics());
            if (format.equals("text")) {
                out.println(line(settings, r.statistics(), "run " + (i + 1)));
                out.flush();
            }
        }
        Statistics median = median(runs);
        if (format.equals("json")) {
            ObjectNode o = json(settings, median);
            if (repeat > 1) {
                ArrayNode all = o.putArray("runs");
                runs.forEach(s -> all.add(json(settings, s)));
            }
            out.println(RunReport.JSON.writeValueAsString(o));
        } else if (repeat > 1) {
            out.println(line(settings, median, "median"));
        }
        out.flush();
        return code;
    }

    /** Times reading every DTB of a folder: one JVM, --repeat passes, the first one cold. */
    private int readDtbs() throws java.io.IOException {
        java.util.List<java.nio.file.Path> files;
        try (var s = java.nio.file.Files.list(readDtbs)) {
            files = s.filter(p -> p.toString().endsWith(".dtb")).sorted().toList();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InputException("--read-dtbs " + readDtbs + " does not exist");
        }
        PrintWriter out = spec.commandLine().getOut();
        long bytes = 0;
        for (java.nio.file.Path p : files) {
            bytes += java.nio.file.Files.size(p);
        }
        for (int i = 0; i < repeat; i++) {
            long t0 = System.nanoTime();
            int devices = 0;
            for (java.nio.file.Path p : files) {
                try {
                    devices += dev.handoff.model.board.DeviceTreeReader.read(p).devices().size();
                } catch (dev.handoff.model.board.BoardInputException e) {
                    throw new InputException(e.getMessage());
                }
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            out.printf(Locale.ROOT, "bench read-dtbs pass %d: %d files, %d bytes, %d devices, %.1f ms%n", i + 1, files.size(),
                    bytes, devices, ms);
        }
        out.flush();
        return ExitCode.HOLDS;
    }

    private String line(ExplorationSettings settings, Statistics s, String label) {
        return String.format(Locale.ROOT,
                "bench %s: model=philosophers n=%d workers=%d store=%s strategy=%s distinctStates=%d transitions=%d"
                        + " seconds=%.3f states/s=%.0f transitions/s=%.0f bytes/state=%.2f",
                label, n, s.workers(), settings.store().name().toLowerCase(Locale.ROOT),
                settings.strategy().name().toLowerCase(Locale.ROOT), s.distinctStates(), s.transitions(),
                s.seconds(), s.statesPerSecond(), s.transitionsPerSecond(), s.bytesPerState());
    }

    private ObjectNode json(ExplorationSettings settings, Statistics s) {
        ObjectNode o = RunReport.JSON.createObjectNode();
        o.put("model", "philosophers");
        o.put("n", n);
        o.put("workers", s.workers());
        o.put("store", settings.store().name().toLowerCase(Locale.ROOT));
        o.put("strategy", settings.strategy().name().toLowerCase(Locale.ROOT));
        o.put("distinctStates", s.distinctStates());
        o.put("transitions", s.transitions());
        o.put("seconds", s.seconds());
        o.put("statesPerSecond", s.statesPerSecond());
        o.put("transitionsPerSecond", s.transitionsPerSecond());
        o.put("bytesPerState", s.bytesPerState());
        return o;
    }

    private static Statistics median(List<Statistics> runs) {
        List<Statistics> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
        return sorted.get(sorted.size() / 2);
    }
}
