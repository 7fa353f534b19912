package dev.handoff.checker.engine;

/**
 * One worker's current block of state ids from the {@link ParentLog}: ids are taken one at a
 * time from the block and a new block is reserved when it runs out. Used by one thread.
 */
final class IdBlock {
    private final ParentLog log;
    private int next;
    private int end;

    IdBlock(ParentLog log) {
        this.log = log;
    }

    /** A fresh id, recorded in the log as reached from {@code parent} by {@code action}. */
    int record(int parent, int action) {
        if (next == end) {
            next = log.allocateBlock();
            end = next + ParentLog.BLOCK;
        }
        int id = next++;
        log.set(id, parent, action);
        return id;
    }
}
