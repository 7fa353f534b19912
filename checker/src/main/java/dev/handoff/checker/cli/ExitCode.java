package dev.handoff.checker.cli;

/** The one exit-code table of the {@code handoff} command, shown in {@code --help} and the README. */
public final class ExitCode {
    /** Every property holds. */
    public static final int HOLDS = 0;
    /** A safety property (invariant) is violated. */
    public static final int SAFETY_VIOLATED = 10;
    /** A deadlock was found. */
    public static final int DEADLOCK = 11;
    /** A liveness or reachability property is violated. */
    public static final int LIVENESS_VIOLATED = 12;
    /** Inconclusive: a limit was reached before every property was decided. */
    public static final int INCONCLUSIVE = 20;
    /** Usage error: unknown option, bad option value. */
    public static final int USAGE = 64;
    /** Bad input data: scenario, device tree, IORT table, trace file. */
    public static final int BAD_INPUT = 65;
    /** Internal error: a bug in handoff. */
    public static final int INTERNAL = 70;
    /** An output (standard output, a report or trace file) could not be written (sysexits EX_IOERR). */
    public static final int CANNOT_WRITE = 74;
    /** Standard output's reader closed the pipe ({@code handoff ... | head}): 128 + SIGPIPE, as a C program ends. */
    public static final int BROKEN_PIPE = 141;
    /** Interrupted by SIGINT (128 + 2): what was decided so far is printed. */
    public static final int INTERRUPTED = 130;
    /** Terminated by SIGTERM (128 + 15): as for SIGINT. */
    public static final int TERMINATED = 143;

    /** The table as picocli prints it under "Exit codes:"; every exploring command lists it. */
    static final String ROW_HOLDS = HOLDS + ":every property holds";
    static final String ROW_SAFETY = SAFETY_VIOLATED + ":a safety property is violated";
    static final String ROW_DEADLOCK = DEADLOCK + ":deadlock";
    static final String ROW_LIVENESS = LIVENESS_VIOLATED + ":a liveness property is violated";
    static final String ROW_INCONCLUSIVE = INCONCLUSIVE + ":inconclusive (a limit was reached first)";
    static final String ROW_USAGE = USAGE + ":usage error";
    static final String ROW_BAD_INPUT = BAD_INPUT + ":bad input data (scenario, device tree, IORT, trace)";
    static final String ROW_INTERNAL = INTERNAL + ":internal error";
    static final String ROW_CANNOT_WRITE = CANNOT_WRITE + ":an output could not be written (full disk, closed pipe)";
    static final String ROW_INTERRUPTED = INTERRUPTED + ":interrupted (SIGINT; 143 for SIGTERM)";

    private ExitCode() {
    }
}
