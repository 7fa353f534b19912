package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationResult;
import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.Explorer;
import dev.handoff.engine.reference.GridWalk;
import dev.handoff.engine.reference.Philosophers;
import dev.handoff.engine.formalism.PackedModel;
import dev.handoff.engine.formalism.PackedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Explores one of the engine's reference models, with every exploration option. */
@Command(name = "reference",
        header = "Explores one of the engine's reference models.",
        mixinStandardHelpOptions = true,
        description = {
            "Explores one of the engine's reference models, whose state counts are known in closed form.",
            "  philosophers  N dining philosophers (shared/bench); invariant 'exclusion'.",
            "                --planted-bug lets eat(0) ignore its right neighbour.",
            "  grid          a walker stepping right or up on an N x N grid; invariant 'below-diagonal'",
            "                (x + y < --limit) and witness 'corner'; the corner deadlocks unless --terminal-corner.",
            "  chain         one counter modulo N: N levels of one state each, the deep, thin graph where",
            "                every level is a barrier; invariant 'not-all-max' fails at the last state.",
            "  wide          four counters modulo N: N^4 states in wide levels; invariant 'in-range' holds.",
            "  filter        Peterson's filter lock for N processes (2..8): many states, few successors each;",
            "                invariant 'mutex' holds.",
            "philosophers, wide and filter are handoff bench's models; --plain runs their plain form (records",
            "and a codec, as the README teaches) instead of the hand-packed one.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCode.ROW_HOLDS, ExitCode.ROW_SAFETY, ExitCode.ROW_DEADLOCK, ExitCode.ROW_LIVENESS,
            ExitCode.ROW_INCONCLUSIVE, ExitCode.ROW_USAGE, ExitCode.ROW_BAD_INPUT, ExitCode.ROW_INTERNAL, ExitCode.ROW_CANNOT_WRITE, ExitCode.ROW_INTERRUPTED,
        })
final class ReferenceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "philosophers", paramLabel = "MODEL",
            description = "philosophers, grid, chain, wide or filter (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--n", paramLabel = "N", defaultValue = "10",
            description = "Size: philosophers in the ring (2..32), grid side (1..1048576) or chain length (2..67108864)."
                    + " Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--plain", description = "philosophers, wide, filter: the plain form (records and a codec) instead of the packed one.")
    boolean plain;

    @Option(names = "--planted-bug", description = "philosophers: make eat(0) ignore its right neighbour.")
    boolean plantedBug;

    @Option(names = "--limit", paramLabel = "D", description = "grid: the invariant is x + y < D (default: never violated).")
    Integer limit;

    @Option(names = "--terminal-corner", description = "grid: the corner is a legitimate end, not a deadlock.")
    boolean terminalCorner;

    @Option(names = "--deadlock", negatable = true,
            description = "Report states without enabled actions as deadlocks (default: on for grid, off for"
                    + " philosophers, which deadlock by design).")
    Boolean deadlock;

    @Option(names = "--format", paramLabel = "text|json", completionCandidates = Names.TextJson.class, defaultValue = "text",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--action-stats", description = "Text output: list how often each action fired.")
    boolean actionStats;

    @Mixin
    ExplorationOptions exploration;

    @Override
    public Integer call() throws Exception {
        CheckOptions.requireFormat(spec, format, "text", "json");
        PackedModel packed;
        String title;
        if (plain && (model.equals("grid") || model.equals("chain"))) {
            throw new ParameterException(spec.commandLine(), "--plain applies to philosophers, wide and filter only");
        }
        boolean deadlocks = deadlock != null ? deadlock : !model.equals("philosophers");
        switch (model) {
            case "philosophers" -> {
                if (n < Philosophers.MIN_N || n > Philosophers.MAX_N) {
                    throw new ParameterException(spec.commandLine(), "--n " + n + " is out of range for philosophers (allowed: "
                            + Philosophers.MIN_N + " to " + Philosophers.MAX_N + ")");
                }
                if (plain && plantedBug) {
                    throw new ParameterException(spec.commandLine(), "--planted-bug is in the packed philosophers only");
                }
                packed = plain ? PackedModels.of(new dev.handoff.engine.reference.PhilosophersPlain(n)) : new Philosophers(n, plantedBug);
                title = "reference model: " + n + " dining philosophers" + (plantedBug ? " (planted bug)" : "")
                        + ", expected " + Philosophers.expectedStates(n) + " states" + (plantedBug ? " without the bug" : "");
            }
            case "grid" -> {
                if (n < 1 || n > 1 << 20) {
                    throw new ParameterException(spec.commandLine(), "--n " + n + " is out of range for grid (allowed: 1 to 1048576)");
                }
                int lim = limit == null ? Integer.MAX_VALUE : limit;
                packed = PackedModels.of(new GridWalk(n, n, lim, terminalCorner));
                title = "reference model: " + n + " x " + n + " grid walk";
            }
            case "chain" -> {
                if (n < 2 || n > 1 << 26) {
                    throw new ParameterException(spec.commandLine(), "--n " + n + " is out of range for chain (allowed: 2 to 67108864)");
                }
                packed = PackedModels.of(new dev.handoff.engine.reference.Counters(1, n));
                title = "reference model: a chain of " + n + " states";
            }
            case "wide", "filter" -> {
                dev.handoff.engine.reference.BenchModels.Bench b = dev.handoff.engine.reference.BenchModels.named(model);
                BenchCommand.requireSize(spec, b, n);
                packed = plain ? b.plain().apply(n) : b.packed().apply(n);
                title = "reference model: " + model + " " + n + (plain ? ", plain form" : "") + " (" + b.graph() + ")"
                        + (b.states().apply(n) >= 0 ? ", expected " + b.states().apply(n) + " states" : "");
            }
            default -> throw new ParameterException(spec.commandLine(),
                    "'" + model + "' is not a reference model (allowed: philosophers, grid, chain, wide, filter)");
        }
        ExplorationSettings settings = exploration.settings(ExplorationSettings.defaults()).withCheckDeadlock(deadlocks);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ExplorationResult r = Explorer.explore(packed, settings,
                Verbosity.search(spec, exploration.progress));
        if (format.equals("json")) {
            out.println(exploration.json(RunReport.json(model, packed, r)));
        } else {
            RunReport.text(out, title, packed, r, actionStats);
        }
        out.flush();
        if (r.internalError() != null) {
            // everything the run found is printed above; the path that did not replay is left out
            err.println("handoff: internal error: " + r.internalError());
            return ExitCode.INTERNAL;
        }
        return RunReport.exitCode(r);
    }
}
