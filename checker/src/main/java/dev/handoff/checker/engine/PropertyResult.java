package dev.handoff.checker.engine;

import dev.handoff.model.formalism.PropertySpec;

/**
 * The outcome for one property.
 *
 * @param property the property
 * @param verdict  holds, violated or undecided
 * @param path     for a violated invariant its counterexample; for a reached witness the path
 *                 to it; otherwise {@code null}
 */
public record PropertyResult(PropertySpec property, Verdict verdict, Path path) {
}
