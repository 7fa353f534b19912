package dev.handoff.checker.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a sweep or a board, cell by cell, on standard error (never standard output): with
 * {@code --progress} one line per finished cell, for CI logs; on an interactive terminal a single
 * live line rewritten in place and cleared at the end; otherwise nothing.
 */
final class CellProgress {
    /** No progress shown (a fresh one each time: it still records the decided cells). */
    static CellProgress none() {
        return new CellProgress(null, false, false);
    }

    private final PrintWriter err;
    private final boolean terminal;
    private final boolean lines;
    private int done;
    private volatile int total;
    private boolean drawn;
    /**
     * The cells decided, read without this object's lock: a signal's report asks for them while a
     * cell may hold the lock in a write to standard error that blocks (a pipe nobody drains), and
     * the report must not wait for it.
     */
    private final java.util.Queue<String> decided = new java.util.concurrent.ConcurrentLinkedQueue<>();

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
        decided.add(policy + " " + variant + ": " + HandoffReports.cell(o));
        if (err == null || !(terminal || lines)) {
            return;
        }
        String line = String.format(Locale.ROOT, "[%d/%d] %s %s: %s (%,d states, %.2f s)", done, total, policy, variant,
                HandoffReports.cell(o), o.stats().distinctStates(), o.stats().seconds());
        if (lines) {
            err.println(line);
        } else {
            TerminalWriter.control(err, "\r");
            err.print(line);
            TerminalWriter.control(err, "\u001b[K");
            drawn = true;
        }
        err.flush();
    }

    /** One line per cell decided so far ("POLICY VARIANT: CELL"), in the order they finished. */
    java.util.List<String> decided() {
        return java.util.List.copyOf(decided);
    }

    /** How many cells the run has. */
    int total() {
        return total;
    }

    /** The run ended: the live line, if any, is cleared. */
    synchronized void end() {
        if (drawn) {
            TerminalWriter.control(err, "\r\u001b[K");
            err.flush();
            drawn = false;
        }
    }
}
