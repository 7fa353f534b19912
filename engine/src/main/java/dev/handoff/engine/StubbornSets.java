package dev.handoff.engine;

import dev.handoff.engine.formalism.Footprint;
import dev.handoff.engine.formalism.PackedModel;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Partial-order reduction by strong stubborn sets (Valmari), built from the footprints the
 * model declares ({@link PackedModel#footprints()}): from each state the search follows only
 * the enabled actions of one stubborn set, and every other enabled action is as if disabled.
 * Generic: it knows actions only as footprints over the model's abstract variables. The searches
 * call {@link #expand} once per state with their own {@link Scratch}.
 *
 * <p><b>Independence.</b> Two non-latching actions are dependent when one writes a variable the
 * other reads or writes (guards included, so neither can enable or disable the other, and both
 * orders reach one state). A latching action f (its successor is final: a failure latch)
 * disables everything, which the reduction may ignore: f is dependent on t only when t writes a
 * variable f reads, so that deferring t changes neither whether f fires nor what it latches.
 *
 * <p><b>The set.</b> From an enabled, invisible, non-latching action a, the set T is closed
 * under: (D1) an enabled t in T brings in every action dependent on t; (D2) a disabled t in T
 * brings in every non-latching action that writes a variable t's guard reads (t cannot become
 * enabled before one of them fires: a necessary enabling set). Actions the model calls
 * {@linkplain PackedModel#retired retired} in this state never fire again and are left out. (V)
 * If T's enabled part holds a visible or latching action, a is given up. Of the candidates, the
 * one with the fewest enabled actions is followed; with none, every enabled action is.
 *
 * <p><b>What is preserved.</b> D1, D2 and a non-empty enabled part make T a strong stubborn set,
 * which keeps every reachable deadlock (Valmari 1991). With V, the actions taken ahead of others
 * never change a property's value, so every reachable state violating an invariant has a
 * reachable counterpart with the same property values (the action deferred by one step is still
 * enabled and commutes with what ran first). The ignoring problem (an action deferred forever
 * around a cycle) cannot arise in an acyclic state graph, so instead of a cycle proviso the
 * reduction requires the model to declare itself {@linkplain PackedModel#acyclic() acyclic}; a
 * model with cycles is refused. With symmetry, the sets are computed on each class
 * representative over the canonicalising model. Liveness beyond deadlock freedom is not preserved, and
 * counterexamples are real runs but need not be the shortest.
 *
 * <p><b>Cost.</b> The successors of all actions are computed once per state (the search would
 * compute them anyway) into the caller's scratch; each closure costs O(|T| · actions / 64) word
 * operations and one {@link PackedModel#retired} call per disabled action it meets.
 */
final class StubbornSets {
    private final PackedModel model;
    private final int actions;
    private final int words;
    private final int maskWords;
    /** For an enabled member t: the actions dependent on t. */
    private final long[][] dependent;
    /** For a disabled member t: the non-latching actions that write what t's guard reads. */
    private final long[][] enabling;
    /** Visible or latching: never taken ahead of the others. */
    private final boolean[] unsafe;
    private final long[] unsafeMask;

    /**
     * @throws IllegalArgumentException if the model gives no footprints or is not acyclic
     */
    StubbornSets(PackedModel model) {
        List<Footprint> fp = model.footprints();
        if (fp.isEmpty()) {
            throw new IllegalArgumentException("partial-order reduction needs the model's action footprints,"
                    + " and this model declares none");
        }
        if (fp.size() != model.actions().size()) {
            throw new IllegalArgumentException("partial-order reduction needs one footprint per action: "
                    + fp.size() + " footprints for " + model.actions().size() + " actions");
        }
        if (!model.acyclic()) {
            throw new IllegalArgumentException("partial-order reduction here needs an acyclic model (it has no cycle"
                    + " proviso), and this model does not declare itself acyclic");
        }
        this.model = model;
        this.actions = model.actions().size();
        this.words = model.stateWords();
        this.maskWords = (actions + 63) >>> 6;
        this.dependent = new long[actions][maskWords];
        this.enabling = new long[actions][maskWords];
        this.unsafe = new boolean[actions];
        this.unsafeMask = new long[maskWords];
        BitSet[] reads = new BitSet[actions];
        BitSet[] writes = new BitSet[actions];
        BitSet[] guards = new BitSet[actions];
        for (int a = 0; a < actions; a++) {
            reads[a] = fp.get(a).reads();
            writes[a] = fp.get(a).writes();
            guards[a] = fp.get(a).guard();
            unsafe[a] = fp.get(a).visible() || fp.get(a).latching();
            if (unsafe[a]) {
                unsafeMask[a >>> 6] |= 1L << a;
            }
        }
        for (int a = 0; a < actions; a++) {
            for (int b = 0; b < actions; b++) {
                if (b == a) {
                    continue;
                }
                boolean latching = fp.get(b).latching();
                boolean dep = latching ? writes[a].intersects(reads[b])
                        : writes[a].intersects(reads[b]) || writes[a].intersects(writes[b]) || writes[b].intersects(reads[a]);
                if (dep) {
                    dependent[a][b >>> 6] |= 1L << b;
                }
                if (!latching && writes[b].intersects(guards[a])) {
                    enabling[a][b >>> 6] |= 1L << b;
                }
            }
        }
    }

    /** One search thread's buffers: every successor of the state last expanded, and the masks. */
    final class Scratch {
        /** Action a's successor at {@code a * words}, where a is enabled. */
        final long[] succ = new long[Math.max(1, actions) * words];
        /** The actions the model lists as enabled ({@link PackedModel#enabledActions}). */
        final int[] listed = new int[actions];
        final long[] enabled = new long[maskWords];
        /** The actions to follow. */
        final long[] followed = new long[maskWords];
        private final long[] inSet = new long[maskWords];
        private final byte[] retired = new byte[actions];
        private final int[] stack = new int[actions];

        boolean follows(int action) {
            return (followed[action >>> 6] >>> action & 1) != 0;
        }
    }

    Scratch scratch() {
        return new Scratch();
    }

    /**
     * Computes every successor of the state at {@code src[off ..]} into {@code e.succ}, and the
     * stubborn set to follow into {@code e.followed}.
     *
     * @return how many actions are enabled (0: none, a deadlock or a final state)
     */
    int expand(long[] src, int off, Scratch e) {
        Arrays.fill(e.enabled, 0);
        Arrays.fill(e.retired, (byte) 0);
        int count = 0;
        int listedCount = model.enabledActions(src, off, e.listed);
        for (int i = 0, tried = listedCount < 0 ? actions : listedCount; i < tried; i++) {
            int a = listedCount < 0 ? i : e.listed[i];
            if (model.next(src, off, a, e.succ, a * words)) {
                e.enabled[a >>> 6] |= 1L << a;
                count++;
            }
        }
        System.arraycopy(e.enabled, 0, e.followed, 0, maskWords);
        if (count <= 1) {
            return count;
        }
        int best = count;
        for (int a = 0; a < actions && best > 1; a++) {
            if ((e.enabled[a >>> 6] >>> a & 1) == 0 || unsafe[a]) {
                continue;
            }
            int n = close(e, src, off, a, best);
            if (n > 0 && n < best) {
                best = n;
                for (int i = 0; i < maskWords; i++) {
                    e.followed[i] = e.inSet[i] & e.enabled[i];
                }
            }
        }
        return count;
    }

    /**
     * Closes {@code {a}} under D1 and D2 into {@code e.inSet}: the number of enabled actions in it,
     * or -1 if it takes in a visible or latching enabled action or reaches {@code bound} of them.
     */
    private int close(Scratch e, long[] src, int off, int a, int bound) {
        long[] in = e.inSet;
        Arrays.fill(in, 0);
        in[a >>> 6] |= 1L << a;
        int sp = 0;
        e.stack[sp++] = a;
        int enabledIn = 1;
        while (sp > 0) {
            int t = e.stack[--sp];
            long[] next = (e.enabled[t >>> 6] >>> t & 1) != 0 ? dependent[t] : enabling[t];
            for (int i = 0; i < maskWords; i++) {
                if ((next[i] & ~in[i] & e.enabled[i] & unsafeMask[i]) != 0) {
                    return -1; // an enabled visible or latching action joins: give up before any retirement check
                }
            }
            for (int i = 0; i < maskWords; i++) {
                long bits = next[i] & ~in[i];
                while (bits != 0) {
                    int b = (i << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    boolean on = (e.enabled[i] >>> b & 1) != 0;
                    if (on) {
                        if (unsafe[b] || ++enabledIn >= bound) {
                            return -1;
                        }
                    } else if (retired(e, src, off, b)) {
                        continue;
                    }
                    in[i] |= 1L << b;
                    e.stack[sp++] = b;
                }
            }
        }
        return enabledIn;
    }

    private boolean retired(Scratch e, long[] src, int off, int b) {
        if (e.retired[b] == 0) {
            e.retired[b] = model.retired(src, off, b) ? (byte) 2 : (byte) 1;
        }
        return e.retired[b] == 2;
    }

}
