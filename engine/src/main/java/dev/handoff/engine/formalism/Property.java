package dev.handoff.engine.formalism;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A named property over a model's states. Names are values that the command line, traces and
 * tests all use, so they are stable and kebab-case by convention ({@code no-dma-fault}).
 *
 * @param name      stable identifier
 * @param kind      invariant or reachability witness
 * @param predicate for {@link PropertyKind#ALWAYS}: true where the invariant holds; for
 *                  {@link PropertyKind#SOMETIMES}: true where the witness is reached. Must be pure.
 * @param <S> the model's state type
 */
public record Property<S>(String name, PropertyKind kind, Predicate<? super S> predicate) {
    public Property {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(predicate, "predicate");
    }

    /** An invariant that must hold in every reachable state. */
    public static <S> Property<S> always(String name, Predicate<? super S> invariant) {
        return new Property<>(name, PropertyKind.ALWAYS, invariant);
    }

    /** A state that must be reachable; the run reports a shortest path to it. */
    public static <S> Property<S> sometimes(String name, Predicate<? super S> target) {
        return new Property<>(name, PropertyKind.SOMETIMES, target);
    }

    /** The name and kind, without the predicate: what the engine reports. */
    public PropertySpec spec() {
        return new PropertySpec(name, kind);
    }
}
