package dev.handoff.engine;

/**
 * A concurrent set of whole packed states: the exact store, with no false merges.
 *
 * <p>Same segmentation and probing as {@link FingerprintSet} (the fingerprint chooses segment
 * and home bucket and is kept beside the words to skip most comparisons), but every operation
 * takes its segment's lock, because a multi-word state cannot be published atomically.
 * Memory per state: {@code (1 + stateWords) * 8} bytes divided by the load factor.
 */
final class ExactStateSet implements VisitedSet {
    private static final int INITIAL_CAPACITY = 2 * FingerprintSet.BUCKET;

    private final Segment[] segments = new Segment[FingerprintSet.SEGMENTS];
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
        Segment seg = segments[(int) (fp >>> (64 - FingerprintSet.SEGMENT_BITS))];
        synchronized (seg) {
            return seg.insert(words, off, fp, stateWords, budget);
        }
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

    private static final class Segment {
        long[] fps;
        long[] words;
        int size;
        int threshold;

        Segment(int capacity, int stateWords) {
            fps = new long[capacity];
            words = new long[capacity * stateWords];
            threshold = (int) (capacity * FingerprintSet.MAX_LOAD);
        }

        boolean insert(long[] src, int off, long fp, int w, MemoryBudget budget) {
            int n = fps.length;
            int i = FingerprintSet.home(fp, n);
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
            int capacity = FingerprintSet.grownCapacity(fps.length);
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
                    int i = FingerprintSet.home(fp, capacity);
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
            threshold = (int) (capacity * FingerprintSet.MAX_LOAD);
        }
    }
}
