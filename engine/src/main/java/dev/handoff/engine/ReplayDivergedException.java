package dev.handoff.engine;

/**
 * A path rebuilt from parent links did not replay to the state the search recorded: the model
 * is probably nondeterministic (its successor or property functions are not pure), or, with
 * fingerprints, two states were merged.
 */
public final class ReplayDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ReplayDivergedException(String message) {
        super(message);
    }
}
