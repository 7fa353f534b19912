package dev.handoff.checker.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a sweep or a board, cell by cell, on standard error (never standard output): with
 * {@code --progress} one line per finished cell, for CI logs; on an interactive terminal a single
 * live line rewritten in place and cleared at the end; otherwise nothing.
 */
final class CellProgress {
    static final CellProgress NONE = new CellProgress(null, false, false);

    private final PrintWriter err;
    private final boolean terminal;
    private final boolean lines;
    private int done;
    private int total;
    private boolean drawn;

    CellProgress(PrintWriter err, boolean terminal, boolean lines) {
        this.err = err;
        this.terminal = terminal && !lines;
        this.lines = lines;
    }

    /** A run of {@code cells} cells starts. */
    synchronized void start(int cells) {
        done = 0;
        total = cells;
    }

    /** One cell finished. */
    synchronized void finished(String policy, String variant, HandoffCheck.Outcome o) {
        done++;
        if (err == null || !(terminal || lines)) {
            return;
        }
        String line = String.format(Locale.ROOT, "[%d/%d] %s %s: %s (%,d states, %.2f s)", done, total, policy, variant,
                HandoffReports.cell(o), o.stats().distinctStates(), o.stats().seconds());
        if (lines) {
            err.println(line);
        } else {
            err.print("\r" + line + "\u001b[K");
            drawn = true;
        }
        err.flush();
    }

    /** The run ended: the live line, if any, is cleared. */
    synchronized void end() {
        if (drawn) {
            err.print("\r\u001b[K");
            err.flush();
            drawn = false;
        }
    }
}
