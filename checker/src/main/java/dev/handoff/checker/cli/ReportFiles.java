package dev.handoff.checker.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * CI report files written beside whatever --format prints, so that one run feeds a dashboard
 * (JUnit) and a step summary (markdown) at once (a picocli mixin). Each file is written to a
 * temporary sibling and renamed into place: never half-written.
 */
final class ReportFiles {
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--junit-out", paramLabel = "FILE", description = "Also write the JUnit XML report to FILE.")
    Path junit;

    @Option(names = "--markdown-out", paramLabel = "FILE", description = "Also write the markdown report (CI step summary) to FILE.")
    Path markdown;

    boolean any() {
        return junit != null || markdown != null;
    }

    /**
     * Writes {@code text} to {@code file} atomically, its text neutralised ({@link
     * dev.handoff.counterexamples.Printable}: a DTB's model string reaches reports too); a failure
     * is exit 74 naming the file.
     */
    static void write(Path file, String text) {
        try {
            dev.handoff.counterexamples.AtomicFiles.write(file, dev.handoff.counterexamples.Printable.neutralise(text));
        } catch (IOException e) {
            throw new OutputException("cannot write " + file + ": " + reason(e));
        }
    }

    /**
     * Refuses (exit 64) an output path that is one of the command's input files (a positional or
     * option value of type Path or a list of them, other than the outputs): writing the report
     * would destroy the input (catalogue x.dtb -o x.dtb).
     */
    static void notAnInput(picocli.CommandLine.Model.CommandSpec spec, Path out, String option) {
        if (out == null || spec == null) {
            return;
        }
        Path o = out.toAbsolutePath().normalize();
        java.util.List<picocli.CommandLine.Model.ArgSpec> args = new java.util.ArrayList<>(spec.positionalParameters());
        for (picocli.CommandLine.Model.OptionSpec opt : spec.options()) {
            if (!java.util.List.of("--junit-out", "--markdown-out", "-o", "--output", "--trace-out", "--fix-out", "--export")
                    .contains(opt.longestName()) && !opt.longestName().endsWith("-out")) {
                args.add(opt);
            }
        }
        for (picocli.CommandLine.Model.ArgSpec a : args) {
            Object v = a.getValue();
            java.util.List<?> values = v instanceof java.util.List<?> l ? l : java.util.Collections.singletonList(v);
            for (Object x : values) {
                if (x instanceof Path p && p.toAbsolutePath().normalize().equals(o)) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), option + " " + out
                            + " is also an input of this command; writing it would destroy the input");
                }
            }
        }
    }

    /**
     * Refuses (exit 64) a {@code --trace-out} stem that names an existing directory, device or FIFO:
     * the traces go beside it as {@code STEM.PROPERTY.json}, so {@code --trace-out /dev/null} would
     * create {@code /dev/null.no-dma-fault.json} rather than discard them.
     */
    static void traceStem(picocli.CommandLine.Model.CommandSpec spec, Path stem) {
        if (stem != null && java.nio.file.Files.exists(stem) && !java.nio.file.Files.isRegularFile(stem)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--trace-out " + stem + " is "
                    + (java.nio.file.Files.isDirectory(stem) ? "a directory" : "not a regular file") + "; it names a stem"
                    + " (each trace is written beside it as STEM.PROPERTY.json): give a file name, for example"
                    + " --trace-out traces/run.json");
        }
    }

    /** Writes a trace file atomically; a failure is exit 74 naming the file. */
    static void trace(dev.handoff.counterexamples.TraceFile trace, Path file) {
        try {
            dev.handoff.counterexamples.TraceJson.write(trace, file);
        } catch (IOException e) {
            throw new OutputException("cannot write trace file " + file + ": " + reason(e));
        }
    }

    /** What went wrong, in words (a NoSuchFileException's message is only the path). */
    static String reason(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such directory"
                : e instanceof java.nio.file.FileAlreadyExistsException f ? f.getFile() + " is in the way (not a directory)"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : String.valueOf(e.getMessage());
    }

    /** Writes the reports asked for; each supplier is only called when its file is. */
    void write(java.util.function.Supplier<String> junitText, java.util.function.Supplier<String> markdownText,
               java.io.PrintWriter err) {
        notAnInput(spec, junit, "--junit-out");
        notAnInput(spec, markdown, "--markdown-out");
        if (junit != null && markdown != null && junit.toAbsolutePath().normalize().equals(markdown.toAbsolutePath().normalize())) {
            // the second would silently replace the first
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--junit-out and --markdown-out name one file ("
                    + junit + "); give two");
        }
        if (junit != null) {
            write(junit, junitText.get());
            err.println("handoff: wrote " + junit);
        }
        if (markdown != null) {
            write(markdown, markdownText.get());
            err.println("handoff: wrote " + markdown);
        }
    }
}
