package dev.handoff.checker.cli;

/** An output file or standard output could not be written: exit {@link ExitCode#CANNOT_WRITE}, one line naming it. */
final class OutputException extends RuntimeException {
    OutputException(String message) {
        super(message);
    }
}
