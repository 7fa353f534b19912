package dev.handoff.engine.reference;

import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.PackedModel;
import dev.handoff.engine.formalism.PropertyKind;
import dev.handoff.engine.formalism.PropertySpec;

import java.util.List;

/**
 * What the hand-packed reference models share: a state is one word, the one initial state is 0,
 * no state is a legitimate end, and one invariant is checked. A subclass gives the successor
 * function, the invariant's evaluation and the rendering.
 */
public abstract class OneWordModel implements PackedModel {
    private final List<Action> actions;
    private final List<PropertySpec> properties;

    protected OneWordModel(List<Action> actions, String invariant) {
        this.actions = List.copyOf(actions);
        this.properties = List.of(new PropertySpec(invariant, PropertyKind.ALWAYS));
    }

    @Override
    public final int stateWords() {
        return 1;
    }

    @Override
    public final List<Action> actions() {
        return actions;
    }

    @Override
    public final List<PropertySpec> properties() {
        return properties;
    }

    @Override
    public final int initialStateCount() {
        return 1;
    }

    @Override
    public final void initialState(int index, long[] out, int off) {
        out[off] = 0;
    }

    @Override
    public final boolean isTerminal(long[] state, int off) {
        return false;
    }
}
