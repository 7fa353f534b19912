package dev.handoff.engine;

import dev.handoff.engine.internal.PaddedHead;

/** A fixed-size run of packed states with their ids: the unit of breadth-first work. */
@SuppressWarnings("unused")
final class StateChunk extends StateChunkFields {
    static final int STATES = 1 << 10;

    /** The tail padding of {@link PaddedHead}: a worker's output chunk's count is written on every new state. */
    private long t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15, t16;

    StateChunk(int stateWords) {
        super(new long[STATES * stateWords], new int[STATES]);
    }

    static long bytes(int stateWords) {
        return (long) STATES * (stateWords * Long.BYTES + Integer.BYTES);
    }

    boolean full() {
        return count == STATES;
    }
}

/** A {@link StateChunk}'s fields, between the paddings of {@link PaddedHead}. */
abstract class StateChunkFields extends PaddedHead {
    final long[] words;
    final int[] ids;
    int count;

    StateChunkFields(long[] words, int[] ids) {
        this.words = words;
        this.ids = ids;
    }
}
