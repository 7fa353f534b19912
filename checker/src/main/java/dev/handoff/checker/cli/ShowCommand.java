package dev.handoff.checker.cli;

import dev.handoff.counterexamples.SequenceChart;
import dev.handoff.counterexamples.TextRenderer;
import dev.handoff.counterexamples.TraceFile;
import dev.handoff.counterexamples.TraceJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code handoff show FILE}: render a saved trace without replaying it. */
@Command(name = "show",
        header = "Renders a trace file without replaying it.", mixinStandardHelpOptions = true,
        description = "Renders a trace file: text (default), json, mermaid, svg, explanation, or original (the steps as first found).")
final class ShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A trace file written by --trace-out; - reads standard input.")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", completionCandidates = Names.TraceFormats.class, defaultValue = "text",
            description = "text, json, mermaid, svg, explanation, original. Default: ${DEFAULT-VALUE}.")
    String format;

    @Override
    public Integer call() throws Exception {
        CheckOptions.requireFormat(spec, format, "text", "json", "mermaid", "svg", "explanation", "original");
        TraceFile f = ReplayCommand.load(file);
        print(spec.commandLine().getOut(), format, f);
        return ExitCode.HOLDS;
    }

    static void print(PrintWriter out, String format, TraceFile f) throws Exception {
        switch (format) {
            case "json" -> out.println(TraceJson.JSON.writeValueAsString(TraceJson.toJson(f)));
            case "mermaid" -> out.print(SequenceChart.mermaid(f.trace()));
            case "svg" -> out.print(SequenceChart.svg(f.trace()));
            case "explanation" -> out.println(f.explanation());
            case "original" -> out.print(TextRenderer.render(new dev.handoff.counterexamples.Trace(f.trace().property(),
                    f.original(), f.trace().witness()), null));
            default -> out.print(TextRenderer.render(f.trace(), f.explanation()));
        }
        out.flush();
    }
}
