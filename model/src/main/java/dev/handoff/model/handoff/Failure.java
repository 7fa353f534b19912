package dev.handoff.model.handoff;

import dev.handoff.model.smmu.Witness;

/**
 * A latched fetch failure: the first display transaction that went wrong on a path, with its
 * witness. A state with a failure is final: the property it refutes is decided, and the same
 * kernel steps without the failing fetch are explored on other paths (a fetch is never forced).
 *
 * @param kind    what happened
 * @param witness the failing transaction
 */
public record Failure(Kind kind, Witness witness) {
    public enum Kind {
        /** A display fetch raised a global fault that the firmware answers with a reset. */
        FETCH_FATAL,
        /** A display fetch was aborted and reported. */
        FETCH_FAULT,
        /** A display fetch hung the bus. */
        FETCH_HANG,
        /** A display read landed outside the framebuffer. */
        FETCH_WRONG_PAGE,
        /** A write-capable master's write landed outside its buffer. */
        WRITE_WRONG_PAGE
    }
}
