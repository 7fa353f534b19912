package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.engine.ExplorationResult;
import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.Explorer;
import dev.handoff.engine.Statistics;
import dev.handoff.engine.Verdict;
import dev.handoff.engine.reference.BenchModels;
import dev.handoff.engine.formalism.PackedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The engine's benchmarks ({@link BenchModels}): the reference benchmark of shared/bench (N dining
 * philosophers) and the chain, wide and filter-lock models, packed or plain, deadlock checking
 * off, an invariant that holds checked in every state; with {@code --spin}, the model's Promela
 * twin run by SPIN in the same invocation, side by side.
 */
@Command(name = "bench",
        header = "Runs an engine benchmark (default: N dining philosophers) and reports its throughput.",
        mixinStandardHelpOptions = true,
        description = {
            "Runs an engine benchmark, deadlock checking off, an invariant that holds checked in every state:",
            "  philosophers  the reference benchmark of shared/bench: N dining philosophers (packed only).",
            "  chain         one counter modulo N: N levels of one state each.",
            "  wide          four counters modulo N: N^4 states in wide levels.",
            "  filter        Peterson's filter lock for N processes: many states, few successors each.",
            "Prints distinct states, transitions, seconds, states/s, transitions/s and bytes/state; fails (exit 70) "
                + "if the counts differ from the known ones. --plain runs the model written as the README teaches "
                + "(records and a codec) instead of packed by hand. --spin also runs the model's Promela twin with "
                + "SPIN (needs spin and gcc) and prints both side by side with the ratio of transitions/s.",
        })
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "philosophers",
            description = "philosophers, chain, wide or filter (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--n", paramLabel = "N",
            description = "Size (default per model: philosophers 16 (18 is the reference size), chain 1000000, wide 32,"
                    + " filter 7).")
    Integer n;

    @Option(names = "--plain", description = "Run the plain form (a Model of records through its codec) instead of the packed one.")
    boolean plain;

    @Option(names = "--spin", description = "Also run the model's Promela twin with SPIN (spin and gcc on the PATH) and compare.")
    boolean spin;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "1",
            description = "Runs (default: ${DEFAULT-VALUE}); with more than one, the median and the fastest run are reported"
                    + " too.")
    int repeat;

    @Option(names = "--warmup", paramLabel = "K", defaultValue = "0",
            description = "Runs first, in the same JVM, and left out of the median and the fastest (default:"
                    + " ${DEFAULT-VALUE}: every run counts, the first one cold, as a user's single run is). With K"
                    + " of 2 or more the runs measure the compiled engine, not the compiler.")
    int warmup;

    @Option(names = "--format", paramLabel = "text|json", completionCandidates = Names.TextJson.class, defaultValue = "text",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--read-dtbs", paramLabel = "DIR",
            description = "Instead of the model: time reading (and extracting the facts of) every .dtb in DIR, --repeat times.")
    java.nio.file.Path readDtbs;

    @Mixin
    ExplorationOptions exploration;

    /** The size run and what the lines name (model, size and form); set by {@link #call}. */
    private int size;
    private String label;

    @Override
    public Integer call() throws Exception {
        if (readDtbs != null) {
            return readDtbs();
        }
        BenchModels.Bench bench = BenchModels.named(model);
        if (bench == null) {
            throw new ParameterException(spec.commandLine(), "'" + model + "' is not a benchmark (allowed: "
                    + String.join(", ", BenchModels.names()) + ")");
        }
        size = n == null ? bench.defaultN() : n;
        requireSize(spec, bench, size);
        if (repeat < 1 || repeat > 100) {
            throw new ParameterException(spec.commandLine(), "--repeat " + repeat + " is out of range (allowed: 1 to 100)");
        }
        if (warmup < 0 || warmup > 100) {
            throw new ParameterException(spec.commandLine(), "--warmup " + warmup + " is out of range (allowed: 0 to 100)");
        }
        CheckOptions.requireFormat(spec, format, "text", "json");
        ExplorationSettings settings = exploration.settings(ExplorationSettings.defaults()).withCheckDeadlock(false);
        if (settings.reduction() != dev.handoff.engine.Reduction.NONE) {
            // a reduced space has other counts, and the reference models declare no footprints or symmetry
            throw new ParameterException(spec.commandLine(), "--reduction " + settings.reduction().label()
                    + ": bench explores the whole space and checks its counts against the known ones (allowed: none)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PackedModel packed = plain ? bench.plain().apply(size) : bench.packed().apply(size);
        long expectStates = bench.states().apply(size);
        long expectTransitions = bench.transitions().apply(size);
        this.label = "model=" + model + " n=" + size + " form=" + (plain ? "plain" : "packed");
        SpinBaseline.Result spun = spin ? SpinBaseline.run(bench.promela().apply(size), settings.memoryBudget()) : null;
        List<Statistics> runs = new ArrayList<>();
        List<Statistics> warmups = new ArrayList<>();
        int code = ExitCode.HOLDS;
        for (int i = 0; i < warmup + repeat; i++) {
            ExplorationResult r = Explorer.explore(packed, settings,
                    Verbosity.search(spec, exploration.progress));
            if (r.internalError() != null) {
                err.println("handoff bench: internal error: " + r.internalError());
                code = ExitCode.INTERNAL;
            } else if (r.limitReached()) {
                err.println("handoff bench: " + r.stopReason());
                code = ExitCode.INCONCLUSIVE;
            } else if (r.properties().get(0).verdict() != Verdict.HOLDS
                    || expectStates >= 0 && r.statistics().distinctStates() != expectStates
                    || expectTransitions >= 0 && r.statistics().transitions() != expectTransitions
                    || spun != null && (spun.states() != r.statistics().distinctStates() || spun.transitions() != r.statistics().transitions())) {
                err.println("handoff bench: wrong answer: " + r.statistics().distinctStates() + " states and "
                        + r.statistics().transitions() + " transitions, expected " + (spun != null ? spun.states() : expectStates)
                        + " and " + (spun != null ? spun.transitions() : expectTransitions) + " (-1: not known), "
                        + r.properties().get(0).property().name() + " " + r.properties().get(0).verdict());
                code = ExitCode.INTERNAL;
            }
            boolean warming = i < warmup;
            (warming ? warmups : runs).add(r.statistics());
            if (format.equals("text")) {
                out.println(line(settings, r.statistics(), warming ? "warm-up " + (i + 1) : "run " + (i - warmup + 1)));
                out.flush();
            }
        }
        Statistics median = median(runs);
        Statistics fastest = runs.stream().min(Comparator.comparingDouble(Statistics::seconds)).orElseThrow();
        if (format.equals("json")) {
            ObjectNode o = json(settings, median);
            if (spun != null) {
                ObjectNode sp = o.putObject("spin");
                sp.put("states", spun.states());
                sp.put("transitions", spun.transitions());
                sp.put("seconds", spun.seconds());
                sp.put("transitionsPerSecond", spun.transitionsPerSecond());
                o.put("ratio", median.transitionsPerSecond() / spun.transitionsPerSecond());
            }
            if (repeat > 1) {
                ArrayNode all = o.putArray("runs");
                runs.forEach(s -> all.add(json(settings, s)));
                o.set("fastest", json(settings, fastest));
            }
            if (warmup > 0) {
                ArrayNode all = o.putArray("warmups");
                warmups.forEach(s -> all.add(json(settings, s)));
            }
            out.println(exploration.json(o));
        } else {
            if (repeat > 1) {
                out.println(line(settings, median, "median"));
                out.println(line(settings, fastest, "fastest"));
            }
            if (spun != null) {
                out.println(String.format(Locale.ROOT, "spin %s: distinctStates=%d transitions=%d seconds=%.3f transitions/s=%.0f",
                        label, spun.states(), spun.transitions(), spun.seconds(), spun.transitionsPerSecond()));
                out.println(String.format(Locale.ROOT, "ratio %s workers=%d: handoff/spin transitions/s = %.2f (median run)",
                        label, median.workers(), median.transitionsPerSecond() / spun.transitionsPerSecond()));
            }
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
                "bench %s: %s workers=%d store=%s strategy=%s distinctStates=%d transitions=%d"
                        + " seconds=%.3f states/s=%.0f transitions/s=%.0f bytes/state=%.2f",
                label, this.label, s.workers(), settings.store().name().toLowerCase(Locale.ROOT),
                settings.strategy().name().toLowerCase(Locale.ROOT), s.distinctStates(), s.transitions(),
                s.seconds(), s.statesPerSecond(), s.transitionsPerSecond(), s.bytesPerState());
    }

    private ObjectNode json(ExplorationSettings settings, Statistics s) {
        ObjectNode o = RunReport.JSON.createObjectNode();
        o.put("model", model);
        o.put("n", size);
        o.put("form", plain ? "plain" : "packed");
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

    /** {@code --n} within the model's sizes, or a usage error naming them (bench and reference). */
    static void requireSize(CommandSpec spec, BenchModels.Bench bench, int size) {
        if (size < bench.minN() || size > bench.maxN()) {
            throw new ParameterException(spec.commandLine(), "--n " + size + " is out of range for " + bench.name() + " (allowed: "
                    + bench.minN() + " to " + bench.maxN() + ")");
        }
    }
}
