package dev.handoff.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A concurrent set of 64-bit fingerprints: segmented, bucketed linear probing.
 *
 * <p>Layout: {@value #SEGMENTS} segments chosen by the top bits of the fingerprint; each
 * segment is one {@code long[]} whose length is a multiple of {@value #BUCKET} (one 64-byte
 * cache line). A fingerprint's home is the start of a bucket chosen by multiply-shift range
 * reduction of its remaining bits (Lemire's "fastrange"), so capacities need not be powers of
 * two; probing walks forward slot by slot from there, wrapping at the end. Zero marks an empty
 * slot (fingerprints are never zero).
 *
 * <p>Invariants: a slot, once written, never changes (no deletion, no reordering); growing a
 * segment copies every fingerprint into a new table before publishing it. Hence a lookup may
 * run without a lock on any table it has read: a fingerprint it finds is truly in the set, and
 * one it misses is looked up again under the segment's lock before being inserted. Most
 * lookups in a model checker are hits, so the lock is taken about once per distinct state.
 *
 * <p>Memory: segments grow by {@value #GROWTH} when their load passes {@value #MAX_LOAD}, so
 * the load stays between about 0.8 and 0.9 and a stored state costs 8.9 to 10 bytes. Linear
 * probing at that load is affordable because probes walk cache lines sequentially; a lookup costs
 * about one DRAM miss: {@code FingerprintSetBenchmark} measures 85 ns per miss and 100 ns per hit
 * at a million fingerprints (see the README for the run).
 */
final class FingerprintSet implements VisitedSet {
    static final int SEGMENT_BITS = 9;
    static final int SEGMENTS = 1 << SEGMENT_BITS;
    static final int BUCKET = 8;
    static final double MAX_LOAD = 0.9;
    static final double GROWTH = 1.125;
    private static final int INITIAL_CAPACITY = 2 * BUCKET;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final Segment[] segments = new Segment[SEGMENTS];
    private final MemoryBudget budget;

    FingerprintSet(MemoryBudget budget) {
        this.budget = budget;
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment(INITIAL_CAPACITY);
        }
        budget.reserve((long) SEGMENTS * INITIAL_CAPACITY * Long.BYTES);
    }

    @Override
    public boolean add(long[] words, int off, long fp) {
        return add(fp);
    }

    /** Adds a fingerprint (never zero); true if it was new. */
    boolean add(long fp) {
        Segment seg = segments[(int) (fp >>> (64 - SEGMENT_BITS))];
        long[] t = seg.table;
        int i = home(fp, t.length);
        for (int probes = t.length; probes > 0; probes--) {
            long v = (long) SLOT.getOpaque(t, i);
            if (v == fp) {
                return false;
            }
            if (v == 0) {
                break;
            }
            if (++i == t.length) {
                i = 0;
            }
        }
        synchronized (seg) {
            return seg.insert(fp, budget);
        }
    }

    /** True if the fingerprint is in the set. */
    boolean contains(long fp) {
        Segment seg = segments[(int) (fp >>> (64 - SEGMENT_BITS))];
        synchronized (seg) {
            long[] t = seg.table;
            int i = home(fp, t.length);
            for (int probes = t.length; probes > 0; probes--) {
                long v = t[i];
                if (v == fp) {
                    return true;
                }
                if (v == 0) {
                    return false;
                }
                if (++i == t.length) {
                    i = 0;
                }
            }
            return false;
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

    /** The first slot of {@code fp}'s home bucket in a table of {@code length} slots. */
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

    private static final class Segment {
        volatile long[] table;
        int size;
        int threshold;

        Segment(int capacity) {
            table = new long[capacity];
            threshold = (int) (capacity * MAX_LOAD);
        }

        /** Inserts under the segment's lock; false if already present. */
        boolean insert(long fp, MemoryBudget budget) {
            long[] t = table;
            int i = home(fp, t.length);
            while (true) {
                long v = t[i];
                if (v == fp) {
                    return false;
                }
                if (v == 0) {
                    break;
                }
                if (++i == t.length) {
                    i = 0;
                }
            }
            if (size + 1 >= t.length) {
                throw new CapacityExceededException("the fingerprint set is full within the memory budget ("
                        + SearchContext.bytes(budget.limit()) + ")");
            }
            SLOT.setRelease(t, i, fp);
            size++;
            if (size > threshold) {
                grow(budget);
            }
            return true;
        }

        private void grow(MemoryBudget budget) {
            long[] old = table;
            int capacity = grownCapacity(old.length);
            if (!budget.tryReserve((long) capacity * Long.BYTES)) {
                threshold = old.length - 2;
                return;
            }
            long[] t = new long[capacity];
            for (long fp : old) {
                if (fp != 0) {
                    int i = home(fp, capacity);
                    while (t[i] != 0) {
                        if (++i == capacity) {
                            i = 0;
                        }
                    }
                    t[i] = fp;
                }
            }
            threshold = (int) (capacity * MAX_LOAD);
            table = t;
            budget.release((long) old.length * Long.BYTES);
        }
    }
}
