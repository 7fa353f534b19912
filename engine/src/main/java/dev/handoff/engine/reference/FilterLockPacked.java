package dev.handoff.engine.reference;

/**
 * {@link FilterLock} packed by hand: one word, per process a 3-bit level and a 2-bit status,
 * then a 3-bit victim per level (index 0 unused): 64 bits at n = 8; no allocation on the successor path. Same
 * actions, same order, same graph: the tests compare the two state for state.
 */
public final class FilterLockPacked extends OneWordModel {
    private final int n;

    public FilterLockPacked(int n) {
        super(new FilterLock(n).actions(), "mutex");
        this.n = n;
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
        int ls = lvlShift(i);
        int ss = stShift(n, i);
        long st = w >>> ss & 3;
        switch (action % 3) {
            case 0 -> {
                if (st != 0) {
                    return false;
                }
                int vs = victimShift(n, 1);
                w = w & ~(7L << ls) & ~(3L << ss) & ~(7L << vs) | 1L << ls | 1L << ss | (long) i << vs;
            }
            case 1 -> {
                if (st != 1) {
                    return false;
                }
                int lvl = (int) (w >>> ls & 7);
                if ((w >>> victimShift(n, lvl) & 7) == i) {
                    for (int k = 0; k < n; k++) {
                        if (k != i && (w >>> lvlShift(k) & 7) >= lvl) {
                            return false;
                        }
                    }
                }
                if (lvl == n - 1) {
                    w = w & ~(3L << ss) | 2L << ss;
                } else {
                    int vs = victimShift(n, lvl + 1);
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
            if ((w >>> stShift(n, i) & 3) == 2) {
                inside++;
            }
        }
        return inside <= 1 ? 1 : 0;
    }

    @Override
    public String describe(long[] state, int off) {
        long w = state[off];
        StringBuilder b = new StringBuilder("lvl=[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append(w >>> lvlShift(i) & 7);
        }
        b.append("] st=[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append(w >>> stShift(n, i) & 3);
        }
        b.append("] victim=[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ", ").append(w >>> victimShift(n, i) & 7);
        }
        return b.append(']').toString();
    }
}
