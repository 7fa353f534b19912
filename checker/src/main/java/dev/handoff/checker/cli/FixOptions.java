package dev.handoff.checker.cli;

import dev.handoff.model.fix.FixSpace;
import dev.handoff.model.scenario.KernelVersions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The options of the fix search ({@code board --fix}, {@code check --fix}), a picocli mixin. */
final class FixOptions {
    @Option(names = "--fixes", paramLabel = "N", defaultValue = "3",
            description = "With --fix: report up to N fixes, the cheapest first, then each next cheapest that changes no"
                    + " superset of what an earlier one changes (1 to 100). Default: ${DEFAULT-VALUE}.")
    int fixes;

    @Option(names = "--fix-budget", paramLabel = "N", defaultValue = "300",
            description = "With --fix: stop after model checking N candidates (exit 20 if no fix was found by then). Default: ${DEFAULT-VALUE}.")
    int budget;

    @Option(names = "--cost", paramLabel = "CHANGE=N", description = "With --fix: the cost of a change, 1 to 1000 (repeatable;"
            + " ids as the search lists them; kernel.version for every version).")
    List<String> costs = new ArrayList<>();

    @Option(names = "--forbid", paramLabel = "CHANGE", description = "With --fix: leave a change out of the space (repeatable;"
            + " a change id, kernel.version for every version, or kernel.version=V for one).")
    List<String> forbid = new ArrayList<>();

    static final List<String> NAMES = List.of("--fixes", "--fix-budget", "--cost", "--forbid");

    /** Refuses a fix option given without --fix (it would be ignored). */
    static void requireFix(CommandSpec spec, boolean fix, String... more) {
        if (fix) {
            return;
        }
        List<String> names = new ArrayList<>(NAMES);
        names.addAll(List.of(more));
        for (String n : names) {
            if (spec.commandLine().getParseResult().hasMatchedOption(n)) {
                throw new ParameterException(spec.commandLine(), n + " applies to --fix" + (more.length > 0 ? " and --fix-for" : "")
                        + "; without it the command does not search for fixes");
            }
        }
    }

    /** Refuses options the fix search does not write (the matrix's report files). */
    static void refuseWithFix(CommandSpec spec, String... names) {
        for (String n : names) {
            if (spec.commandLine().getParseResult().hasMatchedOption(n)) {
                throw new ParameterException(spec.commandLine(), n + " does not apply to --fix (its reports: --format text or json,"
                        + " --fix-out for overlays)");
            }
        }
    }

    /** Every --vary knob is a knob, and none is also fixed by --set. */
    static void checkVary(CommandSpec spec, List<String> vary, Set<String> set) {
        for (String k : vary) {
            try {
                dev.handoff.model.scenario.Knobs.get(k, "--vary: ");
            } catch (dev.handoff.model.scenario.ScenarioException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (set.contains(k)) {
                throw new ParameterException(spec.commandLine(), "knob \"" + k + "\" is both varied (--vary) and fixed (--set); choose one");
            }
        }
    }

    /** The change ids this command's space can hold: a DTB board's device-tree changes, or a preset's board facts. */
    private static Set<String> ids(boolean board) {
        Set<String> out = new LinkedHashSet<>();
        for (String id : FixSpace.DEFAULT_COSTS.keySet()) {
            if (board ? !id.startsWith("board.") : !id.startsWith("dt.")) {
                out.add(id);
            }
        }
        return out;
    }

    Map<String, Integer> costs(CommandSpec spec, boolean board) {
        validateCounts(spec);
        Set<String> known = ids(board);
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String kv : costs) {
            int eq = kv.lastIndexOf('=');
            if (eq <= 0 || eq == kv.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--cost: \"" + kv + "\" is not CHANGE=N (for example fw.quiesce=10)");
            }
            String id = kv.substring(0, eq);
            if (id.startsWith("kernel.version=")) {
                throw new ParameterException(spec.commandLine(), "--cost: \"" + kv + "\": a cost is set for every kernel version at"
                        + " once (kernel.version=N; newer versions cost one less)");
            }
            if (!known.contains(id)) {
                throw new ParameterException(spec.commandLine(), "--cost: \"" + id + "\" is not a change " + (board ? "of a board"
                        : "on a platform preset or scenario") + " (known: " + String.join(", ", known) + ")");
            }
            int n;
            try {
                n = Integer.parseInt(kv.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "--cost: " + kv + ": \"" + kv.substring(eq + 1)
                        + "\" is not a number (allowed: 1 to 1000)");
            }
            if (n < 1 || n > 1000) {
                throw new ParameterException(spec.commandLine(), "--cost: " + kv + " is out of range (allowed: 1 to 1000)");
            }
            out.put(id, n);
        }
        return out;
    }

    Set<String> forbidden(CommandSpec spec, boolean board) {
        Set<String> known = ids(board);
        KernelVersions.VERSIONS.forEach(v -> known.add("kernel.version=" + v));
        Set<String> out = new LinkedHashSet<>();
        for (String id : forbid) {
            if (!known.contains(id)) {
                throw new ParameterException(spec.commandLine(), "--forbid: \"" + id + "\" is not a change (known: "
                        + String.join(", ", known) + ")");
            }
            out.add(id);
        }
        return out;
    }

    private void validateCounts(CommandSpec spec) {
        if (fixes < 1 || fixes > 100) {
            throw new ParameterException(spec.commandLine(), "--fixes: " + fixes + " is out of range (allowed: 1 to 100)");
        }
        if (budget < 1) {
            throw new ParameterException(spec.commandLine(), "--fix-budget: " + budget + " is out of range (at least 1)");
        }
    }
}
