package dev.handoff.checker.engine;

/** How the search cuts the state space it explores. */
public enum Reduction {
    /** Every reachable state. */
    NONE,
    /**
     * One state per symmetry class of the model ({@link dev.handoff.model.formalism.PackedModel#canonicalize}):
     * the same verdicts when the model's symmetry is an automorphism, found among representatives
     * and lifted back to real runs.
     */
    SYMMETRY;

    /** The name the command line takes. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
