package dev.handoff.checker.cli;

import dev.handoff.checker.engine.ExplorationSettings;
import dev.handoff.checker.engine.ReplayDivergedException;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point of the {@code handoff} command; the only place that calls {@link System#exit}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command in-process with the given writers and returns its exit code (tests use this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    /** The configured command line: handlers map every failure to the exit-code table. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        System.setProperty("handoff.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        System.setProperty("handoff.budget", ExplorationSettings.defaultMemoryBudget() / (1 << 20) + "m");
        CommandLine cl = new CommandLine(new HandoffCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("handoff: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
            c.getErr().flush();
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean debug = HandoffCommand.debugRequested(parsed);
            PrintWriter e = c.getErr();
            int code;
            if (ex instanceof InputException) {
                e.println("handoff: " + ex.getMessage());
                code = ExitCode.BAD_INPUT;
            } else if (ex instanceof CommandLine.ParameterException pe) {
                e.println("handoff: " + pe.getMessage());
                code = ExitCode.USAGE;
            } else if (crossCheck(ex) != null) {
                e.println("handoff: " + crossCheck(ex).getMessage());
                code = ExitCode.INTERNAL;
            } else if (ex instanceof ReplayDivergedException) {
                e.println("handoff: internal error: " + ex.getMessage());
                code = ExitCode.INTERNAL;
            } else {
                e.println("handoff: internal error: " + ex + (debug ? "" : " (run with --debug for the stack trace)"));
                code = ExitCode.INTERNAL;
            }
            if (debug) {
                ex.printStackTrace(e);
            }
            e.flush();
            return code;
        });
        return cl;
    }

    /** The cross-check failure {@code ex} is or wraps (a sweep's cells run on an executor), or null. */
    private static Throwable crossCheck(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof HandoffCheck.CrossCheckException) {
                return t;
            }
        }
        return null;
    }
}
