package dev.handoff.engine;

/** A fixed-size run of packed states with their ids: the unit of breadth-first work. */
final class StateChunk {
    static final int STATES = 1 << 10;

    final long[] words;
    final int[] ids;
    int count;

    StateChunk(int stateWords) {
        this.words = new long[STATES * stateWords];
        this.ids = new int[STATES];
    }

    static long bytes(int stateWords) {
        return (long) STATES * (stateWords * Long.BYTES + Integer.BYTES);
    }

    boolean full() {
        return count == STATES;
    }
}
