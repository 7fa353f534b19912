package dev.handoff.checker.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;

/** What to check in each scenario, shared by {@code check} and {@code sweep} (a picocli mixin). */
final class CheckOptions {
    @Option(names = "--property", paramLabel = "PROPERTY", completionCandidates = Names.PropertyNames.class, description = "Check only this property; repeatable (default: all).")
    List<String> properties = new ArrayList<>();

    @Option(names = "--no-pruning",
            description = "Enumerate every (stream ID, page) of a fetch instead of deciding it with constraints.")
    boolean noPruning;

    @Option(names = "--count-saved",
            description = "Count the states constraint pruning saved (naive enumeration of every (stream ID, page)"
                    + " of each failing fetch: most of a check's time, so off by default).")
    boolean countSaved;

    @Option(names = "--max-counterexamples", paramLabel = "N", defaultValue = "1",
            description = "Up to N counterexamples per property whose root causes differ (default: ${DEFAULT-VALUE}).")
    int maxCounterexamples;

    @Option(names = "--fail-on", paramLabel = "LEVEL", completionCandidates = Names.FailOnLevels.class,
            description = "The mildest violation that fails the run (exit 10/11): fatal, hang, fault, wrong-page"
                    + " (a display fetch failure of that severity or worse) or any (every violated property)."
                    + " Milder violations are still reported.")
    String failOn;

    /** The gate; {@code fallback} when {@code --fail-on} is not given. */
    FailOn failOn(CommandSpec spec, FailOn fallback) {
        if (failOn == null) {
            return fallback;
        }
        FailOn f = FailOn.parse(failOn);
        if (f == null) {
            throw new ParameterException(spec.commandLine(), "--fail-on '" + failOn
                    + "' is not a level (allowed: fatal, hang, fault, wrong-page, any)");
        }
        return f;
    }

    int maxCounterexamples(CommandSpec spec) {
        if (maxCounterexamples < 1 || maxCounterexamples > 20) {
            throw new ParameterException(spec.commandLine(), "--max-counterexamples " + maxCounterexamples
                    + " is out of range (allowed: 1 to 20)");
        }
        return maxCounterexamples;
    }

    /** Fails with a usage error unless {@code format} is one of {@code allowed}. */
    static void requireFormat(CommandSpec spec, String format, String... allowed) {
        if (!List.of(allowed).contains(format)) {
            throw new ParameterException(spec.commandLine(), "--format '" + format + "' is not a format (allowed: "
                    + String.join(", ", allowed) + ")");
        }
    }
}
