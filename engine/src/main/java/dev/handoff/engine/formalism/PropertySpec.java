package dev.handoff.engine.formalism;

import java.util.Objects;

/** A property's identity as the engine sees it: its name and kind. */
public record PropertySpec(String name, PropertyKind kind) {
    public PropertySpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
