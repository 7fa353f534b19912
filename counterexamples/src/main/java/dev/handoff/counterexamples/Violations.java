package dev.handoff.counterexamples;

import dev.handoff.engine.formalism.Property;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.properties.HandoffProperties;

import java.util.List;

/** Whether a state violates a named property of a handoff model. */
public final class Violations {
    private Violations() {
    }

    /** {@code safety} or {@code liveness}. */
    public static String kind(String property) {
        return property.equals(HandoffProperties.HANDOFF_COMPLETES) ? "liveness" : "safety";
    }

    /**
     * True when {@code last} refutes {@code property}: an invariant that fails there, or, for
     * {@code handoff-completes}, a state where no actor can move although the run is not over, or
     * where every kernel step has run without the display driver's first modeset.
     */
    public static boolean violated(HandoffModel model, String property, HandoffState last) {
        if (property.equals(HandoffProperties.HANDOFF_COMPLETES)) {
            return !model.isTerminal(last) && !model.hasSuccessor(last)
                    || !HandoffProperties.finishesWithModeset(model).predicate().test(last);
        }
        List<Property<HandoffState>> p = HandoffProperties.invariants(model, List.of(property));
        return !p.get(0).predicate().test(last);
    }
}
