package dev.handoff.engine;

import dev.handoff.engine.formalism.ForwardingPackedModel;
import dev.handoff.engine.formalism.PackedModel;

import java.util.Arrays;

/**
 * A model wrapped so that every call the search makes is made twice and compared: each
 * transition is re-executed from a copy of its source state (which must come back unchanged), the
 * properties and {@link PackedModel#isTerminal} are re-evaluated, initial states re-made, a
 * state's symmetry representative re-computed, and where the model lists its enabled actions,
 * every action left off the list is tried and must not fire. The first difference ends the run
 * with a {@link ReplayDivergedException} naming the call, the action and the state.
 *
 * <p>This is {@code --check-determinism}: a model that is not a pure function of its state can
 * give a search that looks sound (the paths it reports may replay) and is not; checking every
 * call catches it where it happens, not only on the reported paths. It roughly doubles the cost of
 * a run. Thread-safe: each thread has its own buffers.
 */
final class DeterminismChecked extends ForwardingPackedModel {
    private final int words;
    private final ThreadLocal<Buffers> buffers;

    private final class Buffers {
        final long[] source = new long[words];
        final long[] again = new long[words];
        final long[] first = new long[words];
        final int[] listed = new int[base.actions().size()];
    }

    DeterminismChecked(PackedModel m) {
        super(m);
        this.words = m.stateWords();
        this.buffers = ThreadLocal.withInitial(Buffers::new);
    }

    @Override
    public boolean next(long[] src, int srcOff, int action, long[] dst, int dstOff) {
        Buffers b = buffers.get();
        System.arraycopy(src, srcOff, b.source, 0, words);
        boolean fired = base.next(src, srcOff, action, dst, dstOff);
        if (!Arrays.equals(src, srcOff, srcOff + words, b.source, 0, words)) {
            throw diverged("changed its source state while computing action " + name(action), b.source);
        }
        if (fired) {
            String codec = base.codecMismatch(dst, dstOff);
            if (codec != null) {
                throw new ReplayDivergedException("--check-determinism: the model's successor under action " + name(action)
                        + " from " + base.describe(b.source, 0) + " does not survive its codec: " + codec);
            }
            System.arraycopy(dst, dstOff, b.first, 0, words);
        }
        boolean again = base.next(b.source, 0, action, b.again, 0);
        if (again != fired) {
            throw diverged("said action " + name(action) + " is " + (fired ? "" : "not ") + "enabled, then that it is "
                    + (again ? "" : "not ") + "enabled", b.source);
        }
        if (fired && !Arrays.equals(b.first, b.again)) {
            throw diverged("gave two different successors under action " + name(action) + " ("
                    + base.describe(b.first, 0) + ", then " + base.describe(b.again, 0) + "; a next that changes the"
                    + " objects of its source state, such as a list or array in a record, does this)", b.source);
        }
        return fired;
    }

    @Override
    public int enabledActions(long[] state, int off, int[] out) {
        int n = base.enabledActions(state, off, out);
        if (n < 0) {
            return n;
        }
        // a list out of order or range first: the comparisons below assume an ascending list
        ModelFailureException.checkListed(base, out, n, state, off);
        Buffers b = buffers.get();
        int again = base.enabledActions(state, off, b.listed);
        if (again != n || !Arrays.equals(out, 0, n, b.listed, 0, n)) {
            throw diverged("listed different enabled actions twice", Arrays.copyOfRange(state, off, off + words));
        }
        int at = 0;
        for (int a = 0; a < b.listed.length; a++) {
            if (at < n && out[at] == a) {
                at++;
            } else if (base.next(state, off, a, b.again, 0)) {
                throw diverged("left action " + name(a) + " off its list of enabled actions, but it fires",
                        Arrays.copyOfRange(state, off, off + words));
            }
        }
        if (at != n) {
            throw diverged("listed enabled actions out of order or outside the universe",
                    Arrays.copyOfRange(state, off, off + words));
        }
        return n;
    }

    @Override
    public long evaluate(long[] state, int off) {
        long first = base.evaluate(state, off);
        long again = base.evaluate(state, off);
        if (first != again) {
            int bit = Long.numberOfTrailingZeros(first ^ again);
            throw diverged("evaluated property " + base.properties().get(bit).name() + " twice with different answers",
                    Arrays.copyOfRange(state, off, off + words));
        }
        return first;
    }

    @Override
    public boolean isTerminal(long[] state, int off) {
        boolean first = base.isTerminal(state, off);
        if (base.isTerminal(state, off) != first) {
            throw diverged("said twice with different answers whether a state is terminal",
                    Arrays.copyOfRange(state, off, off + words));
        }
        return first;
    }

    @Override
    public void initialState(int index, long[] out, int off) {
        Buffers b = buffers.get();
        base.initialState(index, out, off);
        base.initialState(index, b.again, 0);
        if (!Arrays.equals(out, off, off + words, b.again, 0, words)) {
            throw diverged("made initial state " + index + " twice differently", b.again);
        }
    }

    @Override
    public boolean canonicalize(long[] state, int off) {
        Buffers b = buffers.get();
        System.arraycopy(state, off, b.again, 0, words);
        boolean changed = base.canonicalize(state, off);
        base.canonicalize(b.again, 0);
        if (!Arrays.equals(state, off, off + words, b.again, 0, words)) {
            throw diverged("gave two different symmetry representatives", b.again);
        }
        return changed;
    }

    private ReplayDivergedException diverged(String what, long[] state) {
        return new ReplayDivergedException("--check-determinism: the model " + what + ", in state "
                + base.describe(state, 0) + " (a model's methods must be pure functions of the state)");
    }

    private String name(int action) {
        return base.actions().get(action).name();
    }
}
