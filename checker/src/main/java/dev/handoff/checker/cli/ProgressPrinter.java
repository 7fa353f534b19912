package dev.handoff.checker.cli;

import dev.handoff.engine.SearchListener;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows progress of runs longer than about two seconds: on a terminal one line rewritten in
 * place; otherwise (CI logs, with {@code --progress}) a line every ten seconds.
 */
final class ProgressPrinter implements SearchListener {
    private static final double QUIET_SECONDS = 2;
    private static final double LOG_EVERY_SECONDS = 10;

    private final PrintWriter err;
    private final boolean terminal;
    private final boolean enabled;
    private boolean drawn;
    private double lastLogged;

    ProgressPrinter(PrintWriter err, boolean terminal, boolean forced) {
        this.err = err;
        this.terminal = terminal;
        this.enabled = terminal || forced;
    }

    /** True when standard error is an interactive terminal and not a CI job. */
    static boolean interactive() {
        return System.console() != null && System.getenv("CI") == null;
    }

    @Override
    public synchronized void progress(Progress p) {
        if (!enabled || p.seconds() < QUIET_SECONDS) {
            return;
        }
        String line = line(p);
        if (terminal) {
            TerminalWriter.control(err, "\r");
            err.print(line);
            TerminalWriter.control(err, "\u001b[K");
            err.flush();
            drawn = true;
        } else if (p.seconds() - lastLogged >= LOG_EVERY_SECONDS) {
            lastLogged = p.seconds();
            err.println(line);
            err.flush();
        }
    }

    @Override
    public synchronized void finished(Progress last) {
        if (drawn) {
            TerminalWriter.control(err, "\r\u001b[K");
            err.flush();
        }
    }

    static String line(Progress p) {
        return String.format(Locale.ROOT, "progress: %,d states, %,d transitions, depth %d, queue %,d, %,.0f states/s, %.0fs",
                p.states(), p.transitions(), p.depth(), p.queue(), p.statesPerSecond(), p.seconds());
    }
}
