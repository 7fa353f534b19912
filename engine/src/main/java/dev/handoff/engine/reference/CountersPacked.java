package dev.handoff.engine.reference;

/**
 * {@link Counters} packed by hand: k counters modulo m in one word, each in the fewest bits
 * that hold m−1; no allocation on the successor path. Same actions, same order, same graph. One
 * counter is the chain (m levels of one state each); several are the wide graph (levels of up to
 * thousands of states).
 */
public final class CountersPacked extends OneWordModel {
    private final int k;
    private final int m;
    private final int bits;
    private final long mask;
    private final long allMax;
    private final boolean inRange;

    /**
     * @param inRange the invariant is {@code in-range} (holds) instead of {@code not-all-max}
     * @throws IllegalArgumentException if the counters do not fit in one word
     */
    public CountersPacked(int k, int m, boolean inRange) {
        super(new Counters(k, m).actions(), inRange ? "in-range" : "not-all-max");
        this.inRange = inRange;
        this.bits = Math.max(1, 64 - Long.numberOfLeadingZeros(m - 1L));
        if ((long) k * bits > 64) {
            throw new IllegalArgumentException("counters: " + k + " counters modulo " + m + " do not fit in one word");
        }
        this.k = k;
        this.m = m;
        this.mask = bits == 64 ? -1L : (1L << bits) - 1;
        long all = 0;
        for (int i = 0; i < k; i++) {
            all |= (long) (m - 1) << (bits * i);
        }
        this.allMax = all;
    }

    @Override
    public boolean next(long[] src, int srcOff, int action, long[] dst, int dstOff) {
        long w = src[srcOff];
        int shift = bits * action;
        long v = (w >>> shift & mask) + 1;
        if (v == m) {
            v = 0;
        }
        dst[dstOff] = w & ~(mask << shift) | v << shift;
        return true;
    }

    @Override
    public long evaluate(long[] state, int off) {
        if (inRange) {
            long w = state[off];
            for (int i = 0; i < k; i++) {
                if ((w >>> (bits * i) & mask) >= m) {
                    return 0;
                }
            }
            return 1;
        }
        return state[off] != allMax ? 1 : 0;
    }

    @Override
    public String describe(long[] state, int off) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < k; i++) {
            b.append(i == 0 ? "" : ", ").append(state[off] >>> (bits * i) & mask);
        }
        return b.append(']').toString();
    }
}
