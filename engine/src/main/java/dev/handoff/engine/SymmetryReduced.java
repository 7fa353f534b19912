package dev.handoff.engine;

import dev.handoff.engine.formalism.ForwardingPackedModel;
import dev.handoff.engine.formalism.PackedModel;

/**
 * Symmetry reduction by canonicalisation: the search sees only each state's representative
 * ({@link PackedModel#canonicalize}), so the states a symmetry maps onto each other are stored
 * and expanded once. Sound for the properties when the model's symmetry is an automorphism (the
 * contract of {@code canonicalize}); the cross-check mode of the CLI runs reduced and unreduced
 * and compares the verdicts. Counterexamples are found among representatives and lifted back to
 * a real run of the model by {@link TraceRebuilder}.
 */
public final class SymmetryReduced extends ForwardingPackedModel {
    private SymmetryReduced(PackedModel base) {
        super(base);
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
}
