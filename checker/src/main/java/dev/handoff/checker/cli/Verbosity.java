package dev.handoff.checker.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.io.OutputStream;
import java.io.PrintWriter;

/**
 * How much a command says on standard error besides errors: {@code -q} nothing (no progress, no
 * "wrote FILE" lines), {@code -v} progress lines as with {@code --progress}. Errors and the exit
 * code are the same either way; standard output is never affected.
 */
final class Verbosity {
    private static final PrintWriter NOWHERE = new PrintWriter(OutputStream.nullOutputStream());

    private Verbosity() {
    }

    private static HandoffCommand root(CommandSpec spec) {
        CommandSpec s = spec;
        while (s.parent() != null) {
            s = s.parent();
        }
        return s.userObject() instanceof HandoffCommand h ? h : null;
    }

    static boolean quiet(CommandSpec spec) {
        HandoffCommand h = root(spec);
        return h != null && h.quiet;
    }

    static boolean verbose(CommandSpec spec) {
        HandoffCommand h = root(spec);
        return h != null && h.verbose;
    }

    /** Where informational lines go: standard error, or nowhere under -q. */
    static PrintWriter info(CommandSpec spec) {
        return quiet(spec) ? NOWHERE : spec.commandLine().getErr();
    }

    /** Sweep and board progress under the verbosity and --progress. */
    static CellProgress cells(CommandSpec spec, boolean progressOption) {
        if (quiet(spec)) {
            return CellProgress.none();
        }
        return new CellProgress(spec.commandLine().getErr(), ProgressPrinter.interactive(), progressOption || verbose(spec));
    }

    /** Engine progress of one check under the verbosity and --progress. */
    static ProgressPrinter search(CommandSpec spec, boolean progressOption) {
        return quiet(spec) ? new ProgressPrinter(NOWHERE, false, false)
                : new ProgressPrinter(spec.commandLine().getErr(), ProgressPrinter.interactive(), progressOption || verbose(spec));
    }
}
