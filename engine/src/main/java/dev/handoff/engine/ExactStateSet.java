package dev.handoff.engine;

import dev.handoff.engine.internal.PaddedHead;

/**
 * A concurrent set of whole packed states: the exact store, with no false merges.
 *
 * <p>Segmented, bucketed linear probing: the fingerprint's top bits choose the segment, its
 * other bits the home bucket (multiply-shift range reduction, Lemire's "fastrange", so
 * capacities need not be powers of two), probing walks forward slot by slot and wraps; the
 * fingerprint is kept beside the words to skip most comparisons. Every operation takes its
 * segment's lock, because a multi-word state cannot be published atomically.
 * Memory per state: {@code (1 + stateWords) * 8} bytes divided by the load factor.
 */
final class ExactStateSet implements VisitedSet {
    static final int SEGMENT_BITS = 9;
    static final int BUCKET = 8;
    static final double MAX_LOAD = 0.9;
    static final double GROWTH = 1.125;
    private static final int INITIAL_CAPACITY = 2 * BUCKET;

    private final Segment[] segments = new Segment[1 << SEGMENT_BITS];
    private final int stateWords;
    private final MemoryBudget budget;

    ExactStateSet(int stateWords, MemoryBudget budget) {
        this.stateWords = stateWords;
        this.budget = budget;
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Segment(INITIAL_CAPACITY, stateWords);
        }
        budget.reserve((long) segments.length * INITIAL_CAPACITY * (1 + stateWords) * Long.BYTES);
    }

    @Override
    public boolean add(long[] words, int off, long fp) {
        Segment seg = segments[(int) (fp >>> (64 - SEGMENT_BITS))];
        synchronized (seg) {
            return seg.insert(words, off, fp, stateWords, budget);
        }
    }

    /**
     * Reads {@code fp}'s home slot and the first word of the state there, where an insertion
     * starts (no lock: a hint, read from whatever arrays the segment holds; a growth racing with
     * it makes the words array the older one, hence the bound check).
     */
    @Override
    public long prefetch(long fp) {
        Segment seg = segments[(int) (fp >>> (64 - SEGMENT_BITS))];
        long[] f = seg.fps;
        long[] w = seg.words;
        int h = home(fp, f.length);
        long j = (long) h * stateWords;
        return f[h] + (j < w.length ? w[(int) j] : 0);
    }

    @Override
    public long size() {
        long n = 0;
        for (Segment s : segments) {
            synchronized (s) {
                n += s.size;
            }
        }
        return n;
    }

    @Override
    public long bytes() {
        long n = 0;
        for (Segment s : segments) {
            synchronized (s) {
                n += ((long) s.fps.length + s.words.length) * Long.BYTES;
            }
        }
        return n;
    }

    /** A segment's state, between the paddings of {@link PaddedHead}: its lock and fields are touched on every look-up. */
    private abstract static class SegmentFields extends PaddedHead {
        long[] fps;
        long[] words;
        int size;
        int threshold;
    }

    @SuppressWarnings("unused")
    private static final class Segment extends SegmentFields {
        private long t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15, t16;

        Segment(int capacity, int stateWords) {
            fps = new long[capacity];
            words = new long[capacity * stateWords];
            threshold = (int) (capacity * MAX_LOAD);
        }

        boolean insert(long[] src, int off, long fp, int w, MemoryBudget budget) {
            int n = fps.length;
            int i = home(fp, n);
            while (true) {
                long v = fps[i];
                if (v == 0) {
                    break;
                }
                if (v == fp && java.util.Arrays.equals(words, i * w, i * w + w, src, off, off + w)) {
                    return false;
                }
                if (++i == n) {
                    i = 0;
                }
            }
            if (size + 1 >= n) {
                throw new CapacityExceededException("the exact state set is full within the memory budget ("
                        + SearchContext.bytes(budget.limit()) + ")");
            }
            fps[i] = fp;
            System.arraycopy(src, off, words, i * w, w);
            size++;
            if (size > threshold) {
                grow(w, budget);
            }
            return true;
        }

        private void grow(int w, MemoryBudget budget) {
            int capacity = grownCapacity(fps.length);
            if ((long) capacity * w > Integer.MAX_VALUE - 8
                    || !budget.tryReserve((long) capacity * (1 + w) * Long.BYTES)) {
                threshold = fps.length - 2;
                return;
            }
            long[] nf = new long[capacity];
            long[] nw = new long[capacity * w];
            for (int j = 0; j < fps.length; j++) {
                long fp = fps[j];
                if (fp != 0) {
                    int i = home(fp, capacity);
                    while (nf[i] != 0) {
                        if (++i == capacity) {
                            i = 0;
                        }
                    }
                    nf[i] = fp;
                    System.arraycopy(words, j * w, nw, i * w, w);
                }
            }
            budget.release((long) fps.length * (1 + w) * Long.BYTES);
            fps = nf;
            words = nw;
            threshold = (int) (capacity * MAX_LOAD);
        }
    }

    /** The first slot of {@code fp}'s home bucket in a table of {@code length} slots (a multiple of {@value #BUCKET}). */
    static int home(long fp, int length) {
        long bucket = Math.unsignedMultiplyHigh(fp << SEGMENT_BITS, length / BUCKET);
        return (int) bucket * BUCKET;
    }

    /** Capacity after growing a table of {@code length} slots: about {@value #GROWTH} times, in whole buckets. */
    static int grownCapacity(int length) {
        long target = (long) Math.ceil(length * GROWTH / BUCKET) * BUCKET;
        long grown = Math.max(length + BUCKET, target);
        if (grown > Integer.MAX_VALUE - BUCKET) {
            throw new CapacityExceededException("a visited-set segment cannot grow past " + length + " slots");
        }
        return (int) grown;
    }
}
