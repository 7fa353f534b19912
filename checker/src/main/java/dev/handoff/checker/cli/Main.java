package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.ReplayDivergedException;
import picocli.CommandLine;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point of the {@code handoff} command; the only place that calls {@link System#exit}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Watched stdout = new Watched(new FileOutputStream(FileDescriptor.out));
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8)), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int code = run(args, out, err);
        out.flush();
        code = outputChecked(code, stdout.failure, err);
        err.flush();
        System.exit(code);
    }

    /**
     * {@code code}, or {@link ExitCode#CANNOT_WRITE} with one line saying why when standard output
     * could not be written (a full disk, {@code /dev/full}): a verdict nobody received is not
     * given; {@link ExitCode#BROKEN_PIPE}, silently, when its reader closed the pipe.
     */
    static int outputChecked(int code, IOException failure, PrintWriter err) {
        if (failure == null) {
            return code;
        }
        if ("Broken pipe".equals(failure.getMessage())) {
            // the reader went away (handoff ... | head): end as a process SIGPIPE ends, silently
            return ExitCode.BROKEN_PIPE;
        }
        err.println("handoff: cannot write standard output: " + failure.getMessage());
        return ExitCode.CANNOT_WRITE;
    }

    /** An output stream that remembers its first failure (PrintWriter swallows it). */
    static final class Watched extends FilterOutputStream {
        volatile IOException failure;

        Watched(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failed(e);
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                failed(e);
                throw e;
            }
        }

        private void failed(IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    /** Runs the command in-process with the given writers and returns its exit code (tests use this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        STARTED.set(java.time.Instant.now());
        try {
            return commandLine(out, err).execute(args);
        } finally {
            STARTED.remove();
        }
    }

    /**
     * When this thread's command began, before its inputs were read: {@code --time-limit} counts
     * from here, so reading a board and building its models spend the same budget as the search.
     */
    private static final ThreadLocal<java.time.Instant> STARTED = new ThreadLocal<>();

    static java.time.Instant started() {
        java.time.Instant t = STARTED.get();
        return t == null ? java.time.Instant.now() : t;
    }

    /** The configured command line: handlers map every failure to the exit-code table. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        System.setProperty("handoff.cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        System.setProperty("handoff.budget", ExplorationSettings.defaultMemoryBudget() / (1 << 20) + "m");
        CommandLine cl = new CommandLine(new HandoffCommand());
        cl.setOut(new TerminalWriter(out));
        cl.setErr(new TerminalWriter(err));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // every subcommand's --version says what the top-level one says (picocli prints nothing
        // for a subcommand without a version provider)
        versionEverywhere(cl, new VersionProvider());
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("handoff: " + clip(ex.getMessage()));
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
            c.getErr().flush();
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean debug = HandoffCommand.debugRequested(parsed);
            PrintWriter e = c.getErr();
            int code;
            if (ex instanceof InputException) {
                e.println("handoff: " + clip(ex.getMessage()));
                code = ExitCode.BAD_INPUT;
            } else if (ex instanceof OutputException) {
                e.println("handoff: " + clip(ex.getMessage()));
                code = ExitCode.CANNOT_WRITE;
            } else if (ex instanceof CommandLine.ParameterException pe) {
                e.println("handoff: " + clip(pe.getMessage()));
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

    /** The longest error message printed: input echoed in it (a 3 MB platform name) is cut, the cut said. */
    static final int MESSAGE_LIMIT = 2000;

    static String clip(String message) {
        if (message == null) {
            return null;
        }
        // one line: a newline echoed from input (a trace field) must not forge a second one
        String m = message.replace("\r\n", "\u2424").replace('\n', '\u2424').replace('\r', '\u240d');
        if (m.length() <= MESSAGE_LIMIT) {
            return m;
        }
        return m.substring(0, MESSAGE_LIMIT) + "… (" + (m.length() - MESSAGE_LIMIT) + " more characters)";
    }

    private static void versionEverywhere(CommandLine cl, CommandLine.IVersionProvider provider) {
        cl.getCommandSpec().versionProvider(provider);
        for (CommandLine sub : cl.getSubcommands().values()) {
            versionEverywhere(sub, provider);
        }
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
