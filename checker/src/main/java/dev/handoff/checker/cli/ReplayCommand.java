package dev.handoff.checker.cli;

import dev.handoff.counterexamples.Replayer;
import dev.handoff.counterexamples.TraceFile;
import dev.handoff.counterexamples.TraceFormatException;
import dev.handoff.counterexamples.TraceJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code handoff replay FILE}: re-execute a saved trace and check every recorded change. */
@Command(name = "replay",
        header = "Replays a trace file against the model, checking every recorded change.",
        mixinStandardHelpOptions = true,
        description = {
            "Re-executes a trace file (handoff.trace/1) against the model rebuilt from the scenario it records, "
                + "checking every step's changes. Exit 10 (11 for a deadlock) when the violation reproduces, 0 when the "
                + "trace is a valid run that violates nothing, 65 when it diverges (the step, action and field are "
                + "named).",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the trace replays and violates nothing", ExitCode.ROW_SAFETY, ExitCode.ROW_DEADLOCK,
            ExitCode.ROW_USAGE, "65:the file is malformed, or the replay diverges from it", ExitCode.ROW_INTERNAL, ExitCode.ROW_CANNOT_WRITE, ExitCode.ROW_INTERRUPTED,
        })
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A trace file written by --trace-out; - reads standard input.")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", completionCandidates = Names.TraceFormats.class, defaultValue = "text",
            description = "How to show the trace once replayed: text, json, mermaid, svg, explanation. Default: ${DEFAULT-VALUE}.")
    String format;

    @Override
    public Integer call() throws Exception {
        CheckOptions.requireFormat(spec, format, "text", "json", "mermaid", "svg", "explanation");
        TraceFile f = load(file);
        Replayer.Result r = Replayer.replay(f);
        PrintWriter out = spec.commandLine().getOut();
        if (r instanceof Replayer.Result.Diverged d) {
            throw new InputException(file + ": replay diverges at step " + d.step() + " (" + d.action() + "): " + d.detail());
        }
        // what is shown is what the model derives from the steps, never the file's own text
        ShowCommand.print(out, format, switch (r) {
            case Replayer.Result.Reproduced p -> p.derived();
            case Replayer.Result.NoViolation n -> n.derived();
            case Replayer.Result.Diverged d -> throw new IllegalStateException("handled above");
        });
        // a machine format owns standard output; the verdict line goes with the human ones
        PrintWriter verdict = format.equals("text") || format.equals("explanation") ? out : spec.commandLine().getErr();
        switch (r) {
            case Replayer.Result.Reproduced p -> {
                verdict.println("replay: the trace reproduces the violation of " + p.property());
                verdict.flush();
                return p.kind().equals("liveness") ? ExitCode.DEADLOCK : ExitCode.SAFETY_VIOLATED;
            }
            case Replayer.Result.NoViolation n -> {
                verdict.println("replay: the trace is a valid run, but its last state does not violate " + n.property());
                verdict.flush();
                return ExitCode.HOLDS;
            }
            case Replayer.Result.Diverged d -> throw new IllegalStateException("handled above");
        }
    }

    /** Reads a trace file; {@code -} is standard input. */
    static TraceFile load(Path file) {
        try {
            if (file.toString().equals("-")) {
                byte[] bytes = System.in.readNBytes(256 << 20);
                if (System.in.read() >= 0) {
                    throw new InputException("trace on standard input: larger than any trace (256 MiB)");
                }
                return TraceJson.parse("<stdin>", new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            }
            return TraceJson.read(file);
        } catch (TraceFormatException e) {
            throw new InputException(e.getMessage());
        } catch (java.io.IOException e) {
            throw new InputException("trace on standard input: " + e.getMessage());
        }
    }
}
