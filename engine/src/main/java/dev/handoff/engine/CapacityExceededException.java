package dev.handoff.engine;

/** Thrown when a store cannot take another state within the memory budget. */
final class CapacityExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CapacityExceededException(String message) {
        super(message, null, false, false);
    }
}
