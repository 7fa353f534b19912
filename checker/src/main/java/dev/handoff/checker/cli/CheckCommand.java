package dev.handoff.checker.cli;

import dev.handoff.checker.engine.ExplorationSettings;
import dev.handoff.model.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code handoff check}: one scenario, every selected property, exit code by the table. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Checks one scenario (platform + firmware behaviour + kernel policy) and prints every property's",
            "verdict with a shortest counterexample for each violated one.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCode.ROW_HOLDS, ExitCode.ROW_SAFETY, ExitCode.ROW_DEADLOCK, ExitCode.ROW_LIVENESS,
            ExitCode.ROW_INCONCLUSIVE, ExitCode.ROW_USAGE, ExitCode.ROW_BAD_INPUT, ExitCode.ROW_INTERNAL,
        })
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ScenarioOptions scenario;

    @Option(names = "--policy", paramLabel = "NAME", description = "Policy preset (see 'handoff list policies').")
    String policy;

    @Mixin
    CheckOptions check;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin
    ExplorationOptions exploration;

    @Override
    public Integer call() throws Exception {
        CheckOptions.requireFormat(spec, format, "text", "json");
        Scenario s = scenario.scenario(policy, Map.of());
        List<String> names = Names.properties(check.properties);
        ExplorationSettings settings = exploration.settings(ExplorationSettings.defaults());
        PrintWriter out = spec.commandLine().getOut();
        HandoffCheck.Outcome o = HandoffCheck.run(s, names, !check.noPruning, settings,
                new ProgressPrinter(spec.commandLine().getErr(), ProgressPrinter.interactive(), exploration.progress));
        if (format.equals("json")) {
            out.println(RunReport.JSON.writeValueAsString(HandoffReports.checkJson(o)));
        } else {
            HandoffReports.checkText(out, o, true);
        }
        out.flush();
        return o.exitCode();
    }
}
