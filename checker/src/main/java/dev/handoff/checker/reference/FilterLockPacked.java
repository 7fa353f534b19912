package dev.handoff.checker.reference;

import dev.handoff.model.formalism.Action;
import dev.handoff.model.formalism.PackedModel;
import dev.handoff.model.formalism.PropertyKind;
import dev.handoff.model.formalism.PropertySpec;

import java.util.List;

/**
 * {@link FilterLock} packed by hand: one word, per process a 3-bit level and a 2-bit status,
 * then a 3-bit victim per level (index 0 unused): 64 bits at n = 8; no allocation on the successor path. Same
 * actions, same order, same graph: the tests compare the two state for state.
 */
public final class FilterLockPacked implements PackedModel {
    private final int n;
    private final List<Action> actions;

    public FilterLockPacked(int n) {
        FilterLock plain = new FilterLock(n);
        this.n = n;
        this.actions = plain.actions();
    }

    static int lvlShift(int i) {
        return 3 * i;
    }

    static int stShift(int n, int i) {
        return 3 * n + 2 * i;
    }

    static int victimShift(int n, int level) {
        return 5 * n + 3 * level;
    }

    @Override
    public boolean next(long[] src, int srcOff, int action, long[] dst, int dstOff) {
        long w = src[srcOff];
        int i = action / 3;
        int ls = 3 * i;
        int ss = 3 * n + 2 * i;
        long st = w >>> ss & 3;
        switch (action % 3) {
            case 0 -> {
                if (st != 0) {
                    return false;
                }
                int vs = 5 * n + 3;
                w = w & ~(7L << ls) & ~(3L << ss) & ~(7L << vs) | 1L << ls | 1L << ss | (long) i << vs;
            }
            case 1 -> {
                if (st != 1) {
                    return false;
                }
                int lvl = (int) (w >>> ls & 7);
                if ((w >>> (5 * n + 3 * lvl) & 7) == i) {
                    for (int k = 0; k < n; k++) {
                        if (k != i && (w >>> (3 * k) & 7) >= lvl) {
                            return false;
                        }
                    }
                }
                if (lvl == n - 1) {
                    w = w & ~(3L << ss) | 2L << ss;
                } else {
                    int vs = 5 * n + 3 * (lvl + 1);
                    w = w & ~(7L << ls) & ~(7L << vs) | (long) (lvl + 1) << ls | (long) i << vs;
                }
            }
            default -> {
                if (st != 2) {
                    return false;
                }
                w = w & ~(7L << ls) & ~(3L << ss);
            }
        }
        dst[dstOff] = w;
        return true;
    }

    @Override
    public long evaluate(long[] state, int off) {
        long w = state[off];
        int inside = 0;
        for (int i = 0; i < n; i++) {
            if ((w >>> (3 * n + 2 * i) & 3) == 2) {
                inside++;
            }
        }
        return inside <= 1 ? 1 : 0;
    }

    @Override
    public int stateWords() {
        return 1;
    }

    @Override
    public List<Action> actions() {
        return actions;
    }

    @Override
    public List<PropertySpec> properties() {
        return List.of(new PropertySpec("mutex", PropertyKind.ALWAYS));
    }

    @Override
    public int initialStateCount() {
        return 1;
    }

    @Override
    public void initialState(int index, long[] out, int off) {
        out[off] = 0;
    }

    @Override
    public boolean isTerminal(long[] state, int off) {
        return false;
    }

    @Override
    public String describe(long[] state, int off) {
        long w = state[off];
        StringBuilder b = new StringBuilder("lvl=[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append(w >>> (3 * i) & 7);
        }
        b.append("] st=[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append(w >>> (3 * n + 2 * i) & 3);
        }
        b.append("] victim=[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append(w >>> (5 * n + 3 * i) & 7);
        }
        return b.append(']').toString();
    }
}
