package dev.handoff.checker.engine;

/**
 * For every stored state, the state it was first reached from and the action that reached it:
 * enough to rebuild any path from an initial state by walking back, without keeping states.
 *
 * <p>Layout: state ids are dense ints; workers take ids in blocks of {@value #BLOCK} from a
 * shared counter, so id allocation costs one synchronized call per block. Ids index chunked
 * arrays of {@value #CHUNK} entries: an {@code int} parent id and the action's low byte, plus a
 * high byte only for models with more than 256 actions. A root's parent is
 * {@code -1 - initialStateIndex}. Memory: 5 bytes per state (6 above 256 actions).
 *
 * <p>Thread safety: each id is written once, by the worker that owns its block; entries are
 * read only after the workers have stopped (the search's join gives the happens-before edge).
 */
final class ParentLog {
    static final int BLOCK = 1 << 12;
    private static final int CHUNK_BITS = 16;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int MAX_CHUNKS = 1 << (31 - CHUNK_BITS);

    private final int[][] parents = new int[MAX_CHUNKS][];
    private final byte[][] actionLow = new byte[MAX_CHUNKS][];
    private final byte[][] actionHigh;
    private final MemoryBudget budget;
    private int nextBlock;
    private int chunks;

    ParentLog(int actionCount, MemoryBudget budget) {
        this.actionHigh = actionCount > 256 ? new byte[MAX_CHUNKS][] : null;
        this.budget = budget;
    }

    /**
     * Reserves a block of {@value #BLOCK} fresh ids and returns the first.
     *
     * @throws CapacityExceededException past 2^31 ids or past the memory budget
     */
    synchronized int allocateBlock() {
        long first = nextBlock;
        long end = first + BLOCK;
        if (end > Integer.MAX_VALUE) {
            throw new CapacityExceededException("more than " + Integer.MAX_VALUE + " states");
        }
        while ((long) chunks << CHUNK_BITS < end) {
            long bytes = (long) CHUNK * (Integer.BYTES + (actionHigh == null ? 1 : 2));
            if (!budget.tryReserve(bytes)) {
                throw new CapacityExceededException("the trace log is full within the memory budget ("
                        + budget.limit() / (1 << 20) + " MiB)");
            }
            parents[chunks] = new int[CHUNK];
            actionLow[chunks] = new byte[CHUNK];
            if (actionHigh != null) {
                actionHigh[chunks] = new byte[CHUNK];
            }
            chunks++;
        }
        nextBlock = (int) end;
        return (int) first;
    }

    /** Records how state {@code id} was first reached. */
    void set(int id, int parent, int action) {
        int c = id >>> CHUNK_BITS;
        int i = id & (CHUNK - 1);
        parents[c][i] = parent;
        actionLow[c][i] = (byte) action;
        if (actionHigh != null) {
            actionHigh[c][i] = (byte) (action >>> 8);
        }
    }

    /** The parent id, or {@code -1 - initialStateIndex} for a root. */
    int parent(int id) {
        return parents[id >>> CHUNK_BITS][id & (CHUNK - 1)];
    }

    /** The action that first reached {@code id} (meaningless for a root). */
    int action(int id) {
        int c = id >>> CHUNK_BITS;
        int i = id & (CHUNK - 1);
        int a = actionLow[c][i] & 0xff;
        return actionHigh == null ? a : a | (actionHigh[c][i] & 0xff) << 8;
    }

    /** Bytes allocated. */
    synchronized long bytes() {
        return (long) chunks * CHUNK * (Integer.BYTES + (actionHigh == null ? 1 : 2));
    }
}
