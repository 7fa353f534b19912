package dev.handoff.engine.formalism;

import java.util.List;
import java.util.Objects;

/**
 * A {@link PackedModel} that hands every call to another: the base of wrappers (symmetry
 * reduction, the determinism check, test instruments), which override only what they change.
 * Extending it, rather than implementing the interface, means a method added to the interface
 * (a hint, a listing) reaches the wrapped model instead of falling back to its default.
 */
public abstract class ForwardingPackedModel implements PackedModel {
    protected final PackedModel base;

    protected ForwardingPackedModel(PackedModel base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    @Override
    public int stateWords() {
        return base.stateWords();
    }

    @Override
    public List<Action> actions() {
        return base.actions();
    }

    @Override
    public List<PropertySpec> properties() {
        return base.properties();
    }

    @Override
    public int initialStateCount() {
        return base.initialStateCount();
    }

    @Override
    public void initialState(int index, long[] out, int off) {
        base.initialState(index, out, off);
    }

    @Override
    public boolean next(long[] src, int srcOff, int action, long[] dst, int dstOff) {
        return base.next(src, srcOff, action, dst, dstOff);
    }

    @Override
    public int enabledActions(long[] state, int off, int[] out) {
        return base.enabledActions(state, off, out);
    }

    @Override
    public long evaluate(long[] state, int off) {
        return base.evaluate(state, off);
    }

    @Override
    public boolean isTerminal(long[] state, int off) {
        return base.isTerminal(state, off);
    }

    @Override
    public void expanding(long[] state, int off) {
        base.expanding(state, off);
    }

    @Override
    public String codecMismatch(long[] state, int off) {
        return base.codecMismatch(state, off);
    }

    @Override
    public boolean canonicalize(long[] state, int off) {
        return base.canonicalize(state, off);
    }

    @Override
    public List<Footprint> footprints() {
        return base.footprints();
    }

    @Override
    public boolean retired(long[] state, int off, int action) {
        return base.retired(state, off, action);
    }

    @Override
    public boolean acyclic() {
        return base.acyclic();
    }

    @Override
    public String describe(long[] state, int off) {
        return base.describe(state, off);
    }
}
