package dev.handoff.engine.formalism;

import java.util.BitSet;
import java.util.Objects;

/**
 * What one action touches, for partial-order reduction: the model's abstract variables (any
 * numbering the model chooses: a register file, a program counter, a flag) that the action's
 * enabling condition reads, that it reads at all, and that it may write.
 *
 * <p>The engine derives its independence relation from these sets alone, so they must be
 * over-approximations over every state: an action that reads a variable in some state lists it.
 * Two non-latching actions are independent when neither writes what the other reads or writes;
 * then in every state where both are enabled they commute and neither disables the other.
 *
 * @param guard    variables the enabling condition reads
 * @param reads    variables the guard or the effect reads (contains {@code guard})
 * @param writes   variables the action may change
 * @param visible  the action may change the value of some property's predicate or of
 *                 {@link Model#isTerminal}; a visible action is never deferred
 * @param latching the action's successor is always final: terminal, with no action enabled (a
 *                 failure latch). Such an action may disable every other one; the reduction
 *                 relies only on the others not changing what it reads (see the engine's
 *                 {@code StubbornSets})
 */
public record Footprint(BitSet guard, BitSet reads, BitSet writes, boolean visible, boolean latching) {
    public Footprint {
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(reads, "reads");
        Objects.requireNonNull(writes, "writes");
        BitSet g = (BitSet) guard.clone();
        g.andNot(reads);
        if (!g.isEmpty()) {
            throw new IllegalArgumentException("a footprint's reads must contain its guard, missing " + g);
        }
        guard = (BitSet) guard.clone();
        reads = (BitSet) reads.clone();
        writes = (BitSet) writes.clone();
    }

    /** A footprint from variable numbers: guard, then the effect's further reads, then writes. */
    public static Footprint of(int[] guard, int[] effectReads, int[] writes, boolean visible, boolean latching) {
        BitSet g = bits(guard);
        BitSet r = bits(effectReads);
        r.or(g);
        return new Footprint(g, r, bits(writes), visible, latching);
    }

    private static BitSet bits(int[] vars) {
        BitSet b = new BitSet();
        for (int v : vars) {
            b.set(v);
        }
        return b;
    }

    @Override
    public BitSet guard() {
        return (BitSet) guard.clone();
    }

    @Override
    public BitSet reads() {
        return (BitSet) reads.clone();
    }

    @Override
    public BitSet writes() {
        return (BitSet) writes.clone();
    }
}
