package dev.handoff.engine;

import java.util.Arrays;

/**
 * For every stored state, the state it was first reached from and the action that reached it:
 * enough to rebuild any path from an initial state by walking back, without keeping states.
 *
 * <p>Layout: state ids are dense ints; workers take ids in blocks of {@value #BLOCK} from a
 * shared counter, so id allocation costs one synchronized call per block, and a block's ids are
 * recorded in order by the one worker that took it ({@link IdBlock}, which writes it). A block
 * is one byte stream: per state, the change of its parent from the previous state's parent and its action, each a variable-length
 * integer (7 bits a byte; the parent change zigzag-coded). Parents in a block move slowly: a
 * breadth-first level stores its states in the order of their parents, so the change is the
 * number of parents in between (usually under 64: one byte), and a depth-first search's parent
 * is the state just stored or one a few frames back. A root's parent is
 * {@code -1 - initialStateIndex}.
 *
 * <p>Memory: about 2 bytes per state (parent change and action of one byte each; a model with
 * more than 128 actions pays a second byte for the higher ones), against 5 for the fixed-width
 * layout this replaced. The price is the read: {@link #parent} decodes its block from the start
 * (at most {@value #BLOCK} entries, a few microseconds), which only path rebuilding does, once
 * per step of a reported path.
 *
 * <p>Thread safety: a block is written only by the worker that reserved it, and entries are
 * read only after the workers have stopped (the search's join gives the happens-before edge).
 */
final class ParentLog {
    static final int BLOCK = 1 << 12;
    private static final int BLOCK_BITS = 12;
    private static final int PAGE_BITS = 10;
    private static final int PAGE = 1 << PAGE_BITS;
    private static final int MAX_BLOCKS = 1 << (31 - BLOCK_BITS);
    /** A fresh block's stream: two bytes per entry, the common case; it grows by half when full. */
    static final int INITIAL = 2 * BLOCK;
    /** The longest entry: a parent change of 34 bits and an action of 32, 7 bits a byte. */
    static final int LONGEST_ENTRY = 10;

    private final byte[][][] pages = new byte[MAX_BLOCKS / PAGE][][];
    private final MemoryBudget budget;
    private int nextBlock;
    private long bytes;

    ParentLog(MemoryBudget budget) {
        this.budget = budget;
    }

    /**
     * Reserves a block of {@value #BLOCK} fresh ids and returns the first.
     *
     * @throws CapacityExceededException past 2^31 ids or past the memory budget
     */
    synchronized int allocateBlock() {
        long first = (long) nextBlock << BLOCK_BITS;
        if (nextBlock == MAX_BLOCKS) {
            throw new CapacityExceededException("more than " + Integer.MAX_VALUE + " states");
        }
        reserve(INITIAL);
        int b = nextBlock++;
        byte[][] page = pages[b >>> PAGE_BITS];
        if (page == null) {
            page = new byte[PAGE][];
            pages[b >>> PAGE_BITS] = page;
        }
        page[b & (PAGE - 1)] = new byte[INITIAL];
        return (int) first;
    }

    private void reserve(long n) {
        if (!budget.tryReserve(n)) {
            throw new CapacityExceededException("the trace log is full within the memory budget ("
                    + SearchContext.bytes(budget.limit()) + ")");
        }
        synchronized (this) {
            bytes += n;
        }
    }

    /** The stream of the block holding {@code id}, as {@link IdBlock} writes it. */
    byte[] stream(int id) {
        int b = id >>> BLOCK_BITS;
        return pages[b >>> PAGE_BITS][b & (PAGE - 1)];
    }

    /**
     * Replaces the stream of the block holding {@code id} with a copy of {@code s} of
     * {@code length} bytes (longer to grow it, as long as its entries to give back the slack of a
     * full block), within the budget.
     *
     * @throws CapacityExceededException if it cannot grow within the budget
     */
    byte[] resize(int id, byte[] s, int length) {
        if (length > s.length) {
            reserve(length - s.length);
        } else {
            budget.release(s.length - length);
            synchronized (this) {
                bytes -= s.length - length;
            }
        }
        byte[] t = Arrays.copyOf(s, length);
        int b = id >>> BLOCK_BITS;
        pages[b >>> PAGE_BITS][b & (PAGE - 1)] = t;
        return t;
    }

    /** The parent id, or {@code -1 - initialStateIndex} for a root. */
    int parent(int id) {
        return (int) entry(id)[0];
    }

    /** The action that first reached {@code id} (meaningless for a root). */
    int action(int id) {
        return (int) entry(id)[1];
    }

    /** {@code id}'s parent and action, decoded together (its block is read from the start once). */
    long[] entry(int id) {
        int b = id >>> BLOCK_BITS;
        byte[] s = pages[b >>> PAGE_BITS][b & (PAGE - 1)];
        int n = id & (BLOCK - 1);
        long parent = 0;
        long action = 0;
        int[] pos = {0};
        for (int i = 0; i <= n; i++) {
            long z = getVar(s, pos);
            parent += z >>> 1 ^ -(z & 1);
            action = getVar(s, pos);
        }
        return new long[] {parent, action};
    }

    /** Bytes allocated. */
    synchronized long bytes() {
        return bytes;
    }

    static int putVar(byte[] s, int pos, long v) {
        while ((v & ~0x7fL) != 0) {
            s[pos++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        s[pos++] = (byte) v;
        return pos;
    }

    private static long getVar(byte[] s, int[] pos) {
        long v = 0;
        int shift = 0;
        byte x;
        do {
            x = s[pos[0]++];
            v |= (long) (x & 0x7f) << shift;
            shift += 7;
        } while (x < 0);
        return v;
    }
}
