package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
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
        header = "Checks one scenario and prints each property's verdict and shortest counterexample.",
        mixinStandardHelpOptions = true,
        description = {
            "Checks one scenario (platform + firmware behaviour + kernel policy) and prints every property's "
                + "verdict with a shortest counterexample for each violated one.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCode.ROW_HOLDS, ExitCode.ROW_SAFETY, ExitCode.ROW_DEADLOCK, ExitCode.ROW_LIVENESS,
            ExitCode.ROW_INCONCLUSIVE, ExitCode.ROW_USAGE, ExitCode.ROW_BAD_INPUT, ExitCode.ROW_INTERNAL, ExitCode.ROW_CANNOT_WRITE, ExitCode.ROW_INTERRUPTED,
        })
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ScenarioOptions scenario;

    @Option(names = "--policy", paramLabel = "POLICY", completionCandidates = Names.PolicyNames.class, description = "Policy preset (see 'handoff list policies').")
    String policy;

    @Mixin
    CheckOptions check;

    @Option(names = "--format", paramLabel = "FORMAT", completionCandidates = Names.CheckFormats.class, defaultValue = "text",
            description = "text, json, markdown (CI step summary), junit (XML), mermaid or svg (one sequence chart"
                    + " holding every violation's counterexample; a chart saying so when none). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--trace-out", paramLabel = "FILE",
            description = "Write each violated property's trace (handoff.trace/1) to FILE with .PROPERTY.json"
                    + " in place of .json; replay it with 'handoff replay'.")
    java.nio.file.Path traceOut;

    @Option(names = "--fix", description = "Search for the cheapest changes (board facts, firmware, kernel) under which"
            + " every chosen property holds in every --vary variant, and prove them (see 'handoff board --fix').")
    boolean fix;

    @Option(names = "--vary", paramLabel = "KNOB", completionCandidates = Names.KnobNames.class,
            description = "With --fix: a knob the fix must hold under every value of; repeatable.")
    List<String> vary = new java.util.ArrayList<>();

    @Mixin
    FixOptions fixOptions;

    @Mixin
    ReportFiles reports;

    @Mixin
    ExplorationOptions exploration;

    @Override
    public Integer call() throws Exception {
        ReportFiles.traceStem(spec, traceOut);
        FixOptions.requireFix(spec, fix);
        if (fix) {
            return fix();
        }
        if (!vary.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--vary applies to --fix (use 'handoff sweep' for a matrix)");
        }
        CheckOptions.requireFormat(spec, format, "text", "json", "markdown", "junit", "mermaid", "svg");
        FailOn gate = check.failOn(spec, FailOn.ANY);
        Scenario s = scenario.scenario(policy, Map.of());
        List<String> names = Names.properties(check.properties);
        ExplorationSettings settings = exploration.settings(ExplorationSettings.defaults());
        PrintWriter out = spec.commandLine().getOut();
        HandoffCheck.Outcome o = HandoffCheck.run(s, names, !check.noPruning, check.countSaved, check.maxCounterexamples(spec), settings,
                Verbosity.search(spec, exploration.progress), exploration.crossCheck);
        if (traceOut != null) {
            for (java.nio.file.Path p : HandoffReports.writeTraces(traceOut, "", o)) {
                Verbosity.info(spec).println("handoff: wrote " + p);
            }
        }
        List<Map<String, String>> shown = List.of(scenario.overrides());
        reports.write(() -> dev.handoff.counterexamples.Reports.junit(HandoffReports.entries(List.of(o), shown)),
                () -> dev.handoff.counterexamples.Reports.markdown(HandoffReports.entries(List.of(o), shown)), Verbosity.info(spec));
        switch (format) {
            case "json" -> out.println(exploration.json(HandoffReports.checkJson(o)));
            case "markdown" -> out.print(dev.handoff.counterexamples.Reports.markdown(HandoffReports.entries(List.of(o), shown)));
            case "junit" -> out.print(dev.handoff.counterexamples.Reports.junit(HandoffReports.entries(List.of(o), shown)));
            case "mermaid" -> {
                // the explanations as comments inside the one diagram, after its type line
                String chart = dev.handoff.counterexamples.SequenceChart.mermaid(violations(o));
                int header = chart.indexOf('\n') + 1;
                out.print(chart.substring(0, header));
                o.properties().stream().filter(p -> p.file() != null)
                        .forEach(p -> out.println("    %% " + p.name() + ": " + p.file().explanation().replace('\n', ' ')));
                out.print(chart.substring(header));
            }
            case "svg" -> out.print(dev.handoff.counterexamples.SequenceChart.svg(violations(o)));
            default -> HandoffReports.checkText(out, o, true);
        }
        out.flush();
        return o.exitCode(gate);
    }

    /** Each violated property's shortest counterexample, in property order. */
    static List<dev.handoff.counterexamples.Trace> violations(HandoffCheck.Outcome o) {
        return o.properties().stream().filter(p -> p.file() != null).map(p -> p.file().trace()).toList();
    }

    private int fix() throws Exception {
        if (!format.equals("text") && !format.equals("json")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format " + format
                    + " does not apply to --fix (allowed with --fix: text, json)");
        }
        if (check.failOn(spec, null) != null || traceOut != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--fail-on and --trace-out do not apply to --fix");
        }
        Map<String, Integer> costs = fixOptions.costs(spec, false);
        java.util.Set<String> forbidden = fixOptions.forbidden(spec, false);
        FixOptions.refuseWithFix(spec, "--junit-out", "--markdown-out");
        FixOptions.checkVary(spec, vary, scenario.overrides().keySet());
        String p = policy != null ? Names.policy(policy) : scenario.file().policy();
        BoardFix.Options opt = new BoardFix.Options(p, vary, Names.properties(check.properties), !check.noPruning,
                exploration.settings(ExplorationSettings.defaults()), fixOptions.fixes, fixOptions.budget, costs, forbidden);
        PrintWriter err = Verbosity.info(spec);
        boolean talk = exploration.progress || Verbosity.verbose(spec) || ProgressPrinter.interactive();
        BoardFix.Outcome o = BoardFix.search(scenario.platform(scenario.file()), scenario, opt, line -> {
            if (talk) {
                err.println("handoff: " + line);
                err.flush();
            }
        });
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            com.fasterxml.jackson.databind.node.ObjectNode root = RunReport.JSON.createObjectNode();
            root.put("schema", "handoff.fix/1");
            root.putNull("file");
            root.put("model", o.display());
            com.fasterxml.jackson.databind.node.ArrayNode props = root.putArray("properties");
            opt.properties().forEach(props::add);
            root.putArray("displays").add(BoardFix.json(o));
            out.println(exploration.json(root));
        } else {
            out.println("properties: " + String.join(", ", opt.properties()));
            BoardFix.text(out, o);
        }
        out.flush();
        return BoardFix.exitCode(List.of(o));
    }
}
