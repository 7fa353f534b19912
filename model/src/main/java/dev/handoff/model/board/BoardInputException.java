package dev.handoff.model.board;

/** A device tree blob or IORT table that cannot be read: names the file offset and what was wrong. */
public final class BoardInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BoardInputException(String message) {
        super(message);
    }
}
