package dev.handoff.counterexamples;

/** A trace file that cannot be read: malformed, truncated, hand-edited into nonsense, or of another schema. */
public final class TraceFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TraceFormatException(String message) {
        super(message);
    }
}
