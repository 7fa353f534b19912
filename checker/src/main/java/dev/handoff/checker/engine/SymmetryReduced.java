package dev.handoff.checker.engine;

import dev.handoff.model.formalism.Action;
import dev.handoff.model.formalism.PackedModel;
import dev.handoff.model.formalism.PropertySpec;

import java.util.List;

/**
 * Symmetry reduction by canonicalisation: the search sees only each state's representative
 * ({@link PackedModel#canonicalize}), so the states a symmetry maps onto each other are stored
 * and expanded once. Sound for the properties when the model's symmetry is an automorphism (the
 * contract of {@code canonicalize}); the cross-check mode of the CLI runs reduced and unreduced
 * and compares the verdicts. Counterexamples are found among representatives and lifted back to
 * a real run of the model by {@link TraceRebuilder}.
 */
public final class SymmetryReduced implements PackedModel {
    private final PackedModel base;

    private SymmetryReduced(PackedModel base) {
        this.base = base;
    }

    /** {@code base} explored up to its symmetry. */
    public static PackedModel of(PackedModel base) {
        return base instanceof SymmetryReduced ? base : new SymmetryReduced(base);
    }

    /** The model whose runs counterexamples are lifted to. */
    public PackedModel base() {
        return base;
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
        base.canonicalize(out, off);
    }

    @Override
    public boolean next(long[] src, int srcOff, int action, long[] dst, int dstOff) {
        if (!base.next(src, srcOff, action, dst, dstOff)) {
            return false;
        }
        base.canonicalize(dst, dstOff);
        return true;
    }

    @Override
    public int enabledActions(long[] state, int off, int[] out) {
        return base.enabledActions(state, off, out);
    }

    @Override
    public void expanding(long[] state, int off) {
        base.expanding(state, off);
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
    public boolean canonicalize(long[] state, int off) {
        return base.canonicalize(state, off);
    }

    @Override
    public List<dev.handoff.model.formalism.Footprint> footprints() {
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
