package dev.handoff.engine;

import dev.handoff.engine.internal.PaddedHead;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A concurrent set of 64-bit fingerprints: segmented, bucketed, ordered linear probing.
 *
 * <p>Layout: {@value #SEGMENTS} segments chosen by the top {@value #SEGMENT_BITS} bits of the
 * fingerprint (the breadth-first search's partitions, so that owners of disjoint partitions touch
 * disjoint segments). A segment is one {@code long[]}: slot 0 holds its number of home buckets B,
 * slots {@code 1 .. B·}{@value #BUCKET} are the home region, and a tail follows, into which the
 * last clusters run (probing never wraps). A fingerprint's home is the start of a bucket chosen
 * by multiply-shift range reduction of its remaining bits (Lemire's "fastrange"), so bucket
 * counts need not be powers of two, and the home is monotone in the fingerprint.
 *
 * <p>Order (Amble and Knuth's ordered hash table): the fingerprints of a segment sit in
 * increasing unsigned order, each at or after its home with no empty slot in between. A lookup
 * walks forward from the home and stops at the fingerprint, at an empty slot or at a larger
 * fingerprint, so a miss costs what a hit costs (about {@code (1 + 1/(1 − load)) / 2} slots, under
 * one cache line at the loads kept here) instead of the rest of the cluster; an insertion shifts
 * the larger rest of its cluster right by one slot (a copy within cache lines the lookup just
 * read). Growing is one sequential merge: the old table read in order, each fingerprint placed
 * at its new home or just after the one before, no probing.
 *
 * <p>Concurrency: a segment's writes take its lock; a lookup first runs without it on the table
 * it read. Every slot holds zero or a fingerprint of the set at every moment (shifts copy slots
 * right to left with opaque writes, a 64-bit write is never torn), so a fingerprint a lock-free
 * lookup finds is truly in the set; one it does not find (or finds past a concurrent shift) is
 * looked up again under the lock before being inserted. Most lookups in a model checker are hits,
 * so the lock is taken about once per distinct state.
 *
 * <p>Memory: a segment grows by {@value #GROWTH} when its load over the home region passes
 * {@value #MAX_LOAD}, so that load stays between about 0.8 and 0.9; the tails (a few hundred
 * slots in all at a million states) add well under one percent, and a stored state costs about
 * 9 to 10 bytes. {@code FingerprintSetBenchmark} measures lookups.
 */
final class FingerprintSet implements VisitedSet {
    static final int SEGMENT_BITS = 6;
    static final int SEGMENTS = 1 << SEGMENT_BITS;
    static final int BUCKET = 8;
    static final double MAX_LOAD = 0.9;
    static final double GROWTH = 1.125;
    /** Home buckets of a new segment, and the least tail a segment has (slots). */
    static final int INITIAL_BUCKETS = 2;
    static final int MIN_TAIL = BUCKET;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final Segment[] segments = new Segment[SEGMENTS];
    private final MemoryBudget budget;

    FingerprintSet(MemoryBudget budget) {
        this.budget = budget;
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment(INITIAL_BUCKETS);
        }
        budget.reserve((long) SEGMENTS * length(INITIAL_BUCKETS, MIN_TAIL) * Long.BYTES);
    }

    @Override
    public boolean add(long[] words, int off, long fp) {
        return add(fp);
    }

    /** Adds a fingerprint (never zero); true if it was new. */
    boolean add(long fp) {
        Segment seg = segments[(int) (fp >>> (64 - SEGMENT_BITS))];
        long[] t = seg.table;
        int n = t.length;
        for (int i = home(fp, (int) t[0]); i < n; i++) {
            long v = (long) SLOT.getOpaque(t, i);
            if (v == fp) {
                return false;
            }
            if (v == 0 || Long.compareUnsigned(v, fp) > 0) {
                break;
            }
        }
        synchronized (seg) {
            return seg.insert(fp, budget);
        }
    }

    /** Reads the first slot of {@code fp}'s home bucket, where its look-up starts (no lock: any table the segment has had will do). */
    @Override
    public long prefetch(long fp) {
        long[] t = segments[(int) (fp >>> (64 - SEGMENT_BITS))].table;
        return t[home(fp, (int) t[0])];
    }

    /** True if the fingerprint is in the set. */
    boolean contains(long fp) {
        Segment seg = segments[(int) (fp >>> (64 - SEGMENT_BITS))];
        synchronized (seg) {
            long[] t = seg.table;
            int i = seg.find(t, fp);
            return i < t.length && t[i] == fp;
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
            n += (long) s.table.length * Long.BYTES;
        }
        return n;
    }

    /** Slots past the home regions, in all segments (the tails the last clusters run into). */
    long tailSlots() {
        long n = 0;
        for (Segment s : segments) {
            n += Segment.tail(s.table);
        }
        return n;
    }

    /** The first slot of {@code fp}'s home bucket in a segment of {@code buckets} home buckets. */
    static int home(long fp, int buckets) {
        long bucket = Math.unsignedMultiplyHigh(fp << SEGMENT_BITS, buckets);
        return 1 + (int) bucket * BUCKET;
    }

    /** Home buckets after growing a segment of {@code buckets}: about {@value #GROWTH} times, at least one more. */
    static int grownBuckets(int buckets) {
        long grown = Math.max(buckets + 1L, (long) Math.ceil(buckets * GROWTH));
        if (length(grown, MIN_TAIL) > Integer.MAX_VALUE - 64) {
            throw new CapacityExceededException("a visited-set segment cannot grow past " + buckets + " buckets");
        }
        return (int) grown;
    }

    /** Slots of a segment's array: the bucket count, the home region, the tail. */
    private static long length(long buckets, int tail) {
        return 1 + buckets * BUCKET + tail;
    }

    /** A segment's state, between the paddings of {@link PaddedHead}: its lock and fields are touched on every look-up and insertion. */
    private abstract static class SegmentFields extends PaddedHead {
        volatile long[] table;
        int size;
        int threshold;
    }

    @SuppressWarnings("unused")
    private static final class Segment extends SegmentFields {
        private long t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15, t16;

        Segment(int buckets) {
            long[] t = new long[(int) length(buckets, MIN_TAIL)];
            t[0] = buckets;
            table = t;
            threshold = (int) (buckets * BUCKET * MAX_LOAD);
        }

        /** Where {@code fp} is or belongs in {@code t}: its slot, the first empty or larger slot from its home, or the end. */
        int find(long[] t, long fp) {
            int n = t.length;
            int i = home(fp, (int) t[0]);
            while (i < n) {
                long v = t[i];
                if (v == fp || v == 0 || Long.compareUnsigned(v, fp) > 0) {
                    break;
                }
                i++;
            }
            return i;
        }

        /** Inserts under the segment's lock; false if already present. */
        boolean insert(long fp, MemoryBudget budget) {
            long[] t = table;
            int i = find(t, fp);
            if (i < t.length && t[i] == fp) {
                return false;
            }
            if (size >= threshold) {
                // grown before the fingerprint goes in: a growth that fails leaves it out, uncounted
                grow(budget);
                t = table;
                i = find(t, fp);
            }
            int end = i;
            while (end < t.length && t[end] != 0) {
                end++;
            }
            if (end == t.length) {
                // the cluster runs to the end of the tail: a longer tail, same places
                t = longer(t, Math.max(MIN_TAIL, tail(t)), budget);
                table = t;
            }
            for (int k = end; k > i; k--) {
                SLOT.setOpaque(t, k, t[k - 1]);
            }
            SLOT.setRelease(t, i, fp);
            size++;
            return true;
        }

        private static int tail(long[] t) {
            return t.length - 1 - (int) t[0] * BUCKET;
        }

        /** A copy of {@code t} with {@code extra} more slots at its end, or the set is full within the budget. */
        private static long[] longer(long[] t, int extra, MemoryBudget budget) {
            if ((long) t.length + extra > Integer.MAX_VALUE - 64 || !budget.tryReserve((long) extra * Long.BYTES)) {
                throw new CapacityExceededException("the fingerprint set is full within the memory budget ("
                        + SearchContext.bytes(budget.limit()) + ")");
            }
            return Arrays.copyOf(t, t.length + extra);
        }

        /** Grows the home region by {@value #GROWTH}: one ordered merge of the old table into the new. */
        private void grow(MemoryBudget budget) {
            long[] old = table;
            int buckets = (int) old[0];
            int nb = grownBuckets(buckets);
            int tail = Math.max(MIN_TAIL, tail(old));
            long slots = length(nb, tail);
            if (slots > Integer.MAX_VALUE - 64) {
                throw new CapacityExceededException("a visited-set segment cannot grow past " + old.length + " slots");
            }
            if (!budget.tryReserve(slots * Long.BYTES)) {
                // no room to grow: fill this table (clusters lengthen) until its tail cannot grow either
                threshold = Integer.MAX_VALUE;
                return;
            }
            long[] t;
            try {
                t = new long[(int) slots];
            } catch (OutOfMemoryError e) {
                budget.release(slots * Long.BYTES);
                throw e;
            }
            t[0] = nb;
            // sequential merge; it cannot run past the end: the home region only grows and the tail
            // is kept, so no fingerprint lands nearer the end than it sat in the old table
            int cursor = 1;
            for (int k = 1; k < old.length; k++) {
                long v = old[k];
                if (v != 0) {
                    int p = Math.max(home(v, nb), cursor);
                    t[p] = v;
                    cursor = p + 1;
                }
            }
            threshold = (int) (nb * BUCKET * MAX_LOAD);
            table = t;
            budget.release((long) old.length * Long.BYTES);
        }
    }
}
