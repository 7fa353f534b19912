package dev.handoff.engine;

import dev.handoff.engine.formalism.PropertySpec;

import java.util.List;

/**
 * The outcome for one property.
 *
 * @param property the property
 * @param verdict  holds, violated or undecided
 * @param paths    for a violated invariant its counterexamples, shortest first; for a reached
 *                 witness the path to it; otherwise empty
 */
public record PropertyResult(PropertySpec property, Verdict verdict, List<Path> paths) {
    public PropertyResult {
        paths = List.copyOf(paths);
    }

    /** The shortest counterexample or witness, or {@code null}. */
    public Path path() {
        return paths.isEmpty() ? null : paths.get(0);
    }
}
