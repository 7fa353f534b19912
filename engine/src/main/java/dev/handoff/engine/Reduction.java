package dev.handoff.engine;

/** How the search cuts the state space it explores. */
public enum Reduction {
    /** Every reachable state. */
    NONE("none", false, false),
    /**
     * Partial-order reduction (stubborn sets, the engine's {@code StubbornSets}): from each state only a stubborn set
     * of its enabled actions, built from the model's footprints; the same verdicts, with
     * counterexamples that are real runs but need not be the shortest.
     */
    POR("por", true, false),
    /**
     * One state per symmetry class of the model ({@link dev.handoff.engine.formalism.PackedModel#canonicalize}):
     * the same verdicts when the model's symmetry is an automorphism, found among representatives
     * and lifted back to real runs.
     */
    SYMMETRY("symmetry", false, true),
    /** Both: stubborn sets computed on each class representative. */
    POR_SYMMETRY("por+symmetry", true, true);

    private final String label;
    private final boolean partialOrder;
    private final boolean symmetry;

    Reduction(String label, boolean partialOrder, boolean symmetry) {
        this.label = label;
        this.partialOrder = partialOrder;
        this.symmetry = symmetry;
    }

    /** The name the command line takes. */
    public String label() {
        return label;
    }

    /** Uses partial-order reduction. */
    public boolean partialOrder() {
        return partialOrder;
    }

    /** Uses symmetry reduction. */
    public boolean symmetry() {
        return symmetry;
    }
}
