package dev.handoff.checker.cli;

/** Bad input data named by the user: the CLI prints the message and exits 65. */
public final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
