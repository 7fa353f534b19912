package dev.handoff.checker.cli;

import dev.handoff.engine.Reduction;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.SearchStrategy;
import dev.handoff.engine.StoreMode;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.time.Duration;

/** The exploration options every exploring command shares (a picocli mixin). */
final class ExplorationOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--workers", paramLabel = "N",
            description = "Worker threads (default: all ${sys:handoff.cores} cores). Verdicts, state counts and"
                    + " counterexample lengths do not depend on it.")
    Integer workers;

    @Option(names = "--strategy", paramLabel = "bfs|dfs", defaultValue = "bfs",
            converter = StrategyConverter.class, completionCandidates = Names.Strategies.class,
            description = "Search order (default: ${DEFAULT-VALUE}): bfs finds shortest counterexamples on all"
                    + " workers; dfs uses one worker and less memory on wide graphs.")
    SearchStrategy strategy;

    @Option(names = "--store", paramLabel = "fingerprint|exact", defaultValue = "fingerprint",
            converter = StoreConverter.class, completionCandidates = Names.Stores.class,
            description = "Visited set (default: ${DEFAULT-VALUE}): 64-bit fingerprints, with the probability of a"
                    + " missed state reported, or exact states.")
    StoreMode store;

    @Option(names = "--max-states", paramLabel = "N",
            description = "Stop as inconclusive (exit 20) after N distinct states.")
    Long maxStates;

    @Option(names = "--time-limit", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Stop as inconclusive (exit 20) after this long, e.g. 90s or 10m: the whole run (every check of a"
                    + " sweep or a board shares it; at most 8760h).")
    Duration timeLimit;

    @Option(names = "--memory", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
            description = "Memory budget for the stores, e.g. 2g (default: 3/4 of the heap, now ${sys:handoff.budget})."
                    + " Past it the run stops as inconclusive (exit 20).")
    Long memory;

    @Option(names = "--reduction", paramLabel = "none|por|symmetry|por+symmetry", defaultValue = "none",
            converter = ReductionConverter.class, completionCandidates = Names.Reductions.class,
            description = "State-space reduction (default: ${DEFAULT-VALUE}): por follows from each state only a"
                    + " stubborn set of its actions, built from what each action reads and writes; symmetry explores"
                    + " one state per class of interchangeable clients (other masters alike but for their stream IDs,"
                    + " with kernel.probe-order=any); por+symmetry does both. Verdicts are the same, counterexamples"
                    + " are real runs (under por not always the shortest).")
    Reduction reduction;

    @Option(names = "--cross-check",
            description = "Run every check reduced and unreduced, report both state counts, and fail with exit 70 if"
                    + " any verdict or severity differs.")
    boolean crossCheck;

    @Option(names = "--check-determinism",
            description = "Call every model method twice and compare (each transition again from a copy of its state,"
                    + " each property, each listed set of enabled actions); the first difference ends the run as an"
                    + " internal error (exit 70) naming the action and the state. About twice the cost.")
    boolean checkDeterminism;

    @Option(names = "--exhaustive",
            description = "Explore the whole reachable space even once every property is decided (a run otherwise stops"
                    + " there, and its counts are the part explored): the state and transition counts are then the space's,"
                    + " comparable with SPIN's and TLC's. Verdicts and counterexamples are the same.")
    boolean exhaustive;

    @Option(names = "--reproducible",
            description = "JSON output: write 0 for what depends on the machine, the worker count or the process (seconds, rates,"
                    + " bytes per state, workers, constraint solves), so that two runs of the same model give the same bytes.")
    boolean reproducible;

    @Option(names = "--progress",
            description = "Print progress lines even when standard error is not a terminal (for CI logs).")
    boolean progress;

    /** A report's JSON text, with {@code --reproducible}'s zeros when asked. */
    String json(com.fasterxml.jackson.databind.JsonNode report) throws com.fasterxml.jackson.core.JsonProcessingException {
        return RunReport.JSON.writeValueAsString(reproducible ? RunReport.reproducible(report) : report);
    }

    ExplorationSettings settings(ExplorationSettings base) {
        ExplorationSettings s = base.withStrategy(strategy).withStore(store).withReduction(reduction)
                .withCheckDeterminism(checkDeterminism);
        if (exhaustive) {
            if (base.stopAtFirstViolation()) {
                throw new ParameterException(spec.commandLine(), "--exhaustive explores past every decision, but this command"
                        + " stops at the first violation");
            }
            s = s.withExhaustive(true);
        }
        CommandLine.Model.OptionSpec format = spec.findOption("--format");
        Object shown = format == null ? null : format.getValue();
        if (reproducible && format != null && !"json".equals(shown)) {
            // it zeroes JSON fields; text output would silently stay as it is
            throw new ParameterException(spec.commandLine(), "--reproducible applies to --format json (this run prints "
                    + shown + ")");
        }
        if (crossCheck && reduction == Reduction.NONE) {
            throw new ParameterException(spec.commandLine(),
                    "--cross-check compares a reduced run with an unreduced one: give it a --reduction (allowed: "
                            + String.join(", ", new Names.Reductions().names().stream().filter(n -> !n.equals("none")).toList()) + ")");
        }
        if (workers != null) {
            if (workers < 1 || workers > 1024) {
                throw new ParameterException(spec.commandLine(),
                        "--workers " + workers + " is out of range (allowed: 1 to 1024)");
            }
            s = s.withWorkers(workers);
        }
        if (maxStates != null) {
            if (maxStates < 1) {
                throw new ParameterException(spec.commandLine(),
                        "--max-states " + maxStates + " is out of range (allowed: a positive number)");
            }
            s = s.withMaxStates(maxStates);
        }
        if (timeLimit != null) {
            // one deadline for the whole command: a sweep's or a board's checks share it
            s = s.withTimeLimit(timeLimit).withDeadline(Main.started().plus(timeLimit));
        }
        if (memory != null) {
            if (memory < 1 << 20) {
                throw new ParameterException(spec.commandLine(),
                        "--memory " + memory + " bytes is too small (allowed: at least 1m)");
            }
            s = s.withMemoryBudget(memory);
        }
        return s;
    }

    static final class StrategyConverter implements picocli.CommandLine.ITypeConverter<SearchStrategy> {
        @Override
        public SearchStrategy convert(String value) {
            return switch (value) {
                case "bfs" -> SearchStrategy.BFS;
                case "dfs" -> SearchStrategy.DFS;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a strategy (allowed: bfs, dfs)");
            };
        }
    }

    static final class ReductionConverter implements picocli.CommandLine.ITypeConverter<Reduction> {
        @Override
        public Reduction convert(String value) {
            for (Reduction r : Reduction.values()) {
                if (r.label().equals(value)) {
                    return r;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a reduction (allowed: "
                    + String.join(", ", new Names.Reductions().names()) + ")");
        }
    }

    static final class StoreConverter implements picocli.CommandLine.ITypeConverter<StoreMode> {
        @Override
        public StoreMode convert(String value) {
            return switch (value) {
                case "fingerprint" -> StoreMode.FINGERPRINT;
                case "exact" -> StoreMode.EXACT;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a store (allowed: fingerprint, exact)");
            };
        }
    }
}
