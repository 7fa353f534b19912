package dev.handoff.engine;

/** The decision on one property. */
public enum Verdict {
    /** Proved over the whole reachable state space (or, for a witness, a state was reached). */
    HOLDS,
    /** Refuted: a counterexample exists (for a witness: the whole space holds no such state). */
    VIOLATED,
    /** A limit ended the run before the property was decided. */
    INCONCLUSIVE
}
