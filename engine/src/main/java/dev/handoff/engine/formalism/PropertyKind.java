package dev.handoff.engine.formalism;

/** What a {@link Property}'s predicate means and how a run decides it. */
public enum PropertyKind {
    /** An invariant: the predicate holds in every reachable state. A counterexample is a path to a state where it fails. */
    ALWAYS,
    /** A reachability witness: the predicate holds in some reachable state. The witness is a path to such a state. */
    SOMETIMES
}
