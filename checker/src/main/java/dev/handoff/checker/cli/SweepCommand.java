package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code handoff sweep}: the what-if matrix of policies by knob variants. */
@Command(name = "sweep",
        header = "Checks policies under every value of the varied knobs and prints the matrix.",
        mixinStandardHelpOptions = true,
        description = {
            "Checks every chosen policy (default: all) under every value of each --vary knob (default: "
                + "fw.mapping) and prints a matrix of policies by variants: 'ok' or the violated properties. A --vary "
                + "value overrides the policy's setting of that knob; --set overrides both. Exits 0 when every cell was "
                + "decided, 20 when a limit left a cell undecided; with --fail-on, 10 (11) when a cell violates a "
                + "property at that level.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCode.ROW_HOLDS, ExitCode.ROW_SAFETY, ExitCode.ROW_DEADLOCK, ExitCode.ROW_INCONCLUSIVE, ExitCode.ROW_USAGE,
            ExitCode.ROW_BAD_INPUT, ExitCode.ROW_INTERNAL, ExitCode.ROW_CANNOT_WRITE, ExitCode.ROW_INTERRUPTED,
        })
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ScenarioOptions scenario;

    @Option(names = "--policy", paramLabel = "POLICY", completionCandidates = Names.PolicyNames.class, description = "A policy to include; repeatable (default: all).")
    List<String> policies = new ArrayList<>();

    @Option(names = "--vary", paramLabel = "KNOB", completionCandidates = Names.KnobNames.class, description = "A knob whose every value is a column; repeatable (default: fw.mapping).")
    List<String> vary = new ArrayList<>();

    @Mixin
    CheckOptions check;

    @Option(names = "--format", paramLabel = "FORMAT", completionCandidates = Names.SweepFormats.class, defaultValue = "text",
            description = "text (matrix), json, markdown (matrix, then each violation explained with its chart and"
                    + " trace), junit (XML, a testcase per scenario and property). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--trace-out", paramLabel = "FILE",
            description = "Write each violation's trace to FILE with .POLICY.VARIANT.PROPERTY.json in place of .json.")
    java.nio.file.Path traceOut;

    @Mixin
    ReportFiles reports;

    @Mixin
    ExplorationOptions exploration;

    @Override
    public Integer call() throws Exception {
        ReportFiles.traceStem(spec, traceOut);
        CheckOptions.requireFormat(spec, format, "text", "json", "markdown", "junit");
        FailOn gate = check.failOn(spec, null);
        List<String> chosen = Names.policies(policies);
        List<String> knobs = vary.isEmpty() ? List.of("fw.mapping") : vary;
        for (String k : knobs) {
            if (scenario.overrides().containsKey(k)) {
                throw new InputException("knob \"" + k + "\" is both varied (--vary) and fixed (--set); choose one");
            }
        }
        List<String> names = Names.properties(check.properties);
        ExplorationSettings settings = exploration.settings(ExplorationSettings.defaults());
        PrintWriter err = spec.commandLine().getErr();
        CellProgress listener = Verbosity.cells(spec, exploration.progress);
        PrintWriter out = spec.commandLine().getOut();
        SweepRunner.Result result;
        // SIGINT/SIGTERM: the cells decided so far go to standard output (exit 130/143)
        try (Interruption ignored = Interruption.onSignal(() -> {
            java.util.List<String> done = listener.decided();
            out.println("sweep interrupted: " + done.size() + " of " + listener.total() + " cells decided");
            done.forEach(d -> out.println("  " + d));
            out.flush();
        })) {
            result = SweepRunner.run((p, v) -> scenario.scenario(p, v), chosen, knobs, names,
                    !check.noPruning, check.countSaved, check.maxCounterexamples(spec), settings, exploration.crossCheck, listener, (label, o) -> {
                        if (traceOut != null) {
                            HandoffReports.writeTraces(traceOut, label, o).forEach(f -> Verbosity.info(spec).println("handoff: wrote " + f));
                        }
                    });
        }
        List<HandoffCheck.Outcome> all = result.all();
        List<Map<String, String>> shown = result.shown();
        reports.write(() -> dev.handoff.counterexamples.Reports.junit(HandoffReports.entries(all, shown)),
                () -> text(all, chosen, result, names, shown, true), Verbosity.info(spec));
        if (format.equals("junit")) {
            out.print(dev.handoff.counterexamples.Reports.junit(HandoffReports.entries(all, shown)));
        } else if (format.equals("json")) {
            ObjectNode root = HandoffReports.sweepJson("handoff.sweep/2", result, knobs, names);
            out.println(exploration.json(root));
        } else {
            out.print(text(all, chosen, result, names, shown, format.equals("markdown")));
        }
        out.flush();
        if (gate != null) {
            int worst = all.stream().mapToInt(o -> o.exitCode(gate)).filter(c -> c != ExitCode.HOLDS).min().orElse(ExitCode.HOLDS);
            if (worst != ExitCode.HOLDS) {
                return worst;
            }
        }
        return all.stream().anyMatch(o -> o.verdict() == Verdict.INCONCLUSIVE) ? ExitCode.INCONCLUSIVE : ExitCode.HOLDS;
    }

    /** The matrix as text or as a markdown step summary (then each violation, within the size budget). */
    private static String text(List<HandoffCheck.Outcome> all, List<String> chosen, SweepRunner.Result result, List<String> names,
                               List<Map<String, String>> shown, boolean markdown) {
        java.io.StringWriter buffer = new java.io.StringWriter();
        PrintWriter w = new PrintWriter(buffer);
        String head = "sweep: platform " + all.get(0).scenario().platform().name() + ", " + chosen.size()
                + " policies x " + result.labels().size() + " variants, properties: " + String.join(", ", names);
        w.println(markdown ? "## handoff sweep\n\n" + head + "\n" : head);
        HandoffReports.sweepText(w, chosen, result.labels(), result.grid(), markdown);
        long states = all.stream().mapToLong(o -> o.stats().distinctStates()).sum();
        double seconds = all.stream().mapToDouble(o -> o.stats().seconds()).sum();
        if (markdown) {
            w.println(); // a line right after a table would be read as one more row
        }
        w.printf(java.util.Locale.ROOT, "%d checks, %,d states, %.1f s of search%n", all.size(), states, seconds);
        if (!all.get(0).reduced().reduction().equals("none")) {
            w.println("reduction: " + HandoffReports.reductionSummary(all));
        }
        w.flush();
        StringBuilder report = new StringBuilder(buffer.toString());
        if (markdown) {
            dev.handoff.counterexamples.Reports.details(report, HandoffReports.entries(all, shown),
                    dev.handoff.counterexamples.Reports.MARKDOWN_BUDGET);
        }
        return report.toString();
    }
}
