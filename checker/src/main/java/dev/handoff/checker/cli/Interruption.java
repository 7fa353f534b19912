package dev.handoff.checker.cli;

/**
 * What a long command does when SIGINT or SIGTERM ends it: the JVM runs its shutdown hooks and
 * exits 130 or 143, and a hook registered here prints what was decided so far. The hook is
 * removed when the work ends normally, so a normal exit prints nothing more.
 */
final class Interruption implements AutoCloseable {
    private final Thread hook;

    private Interruption(Runnable report) {
        this.hook = new Thread(report, "handoff-interrupted");
    }

    /** Runs {@code report} if the process is interrupted before {@link #close}. */
    static Interruption onSignal(Runnable report) {
        Interruption i = new Interruption(report);
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the process is already ending: the hook runs (or ran)
        }
    }
}
