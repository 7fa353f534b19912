package dev.handoff.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes the engine's stores hold and refuses growth past a budget, so that a run
 * ends as INCONCLUSIVE before the heap runs out. Thread-safe.
 */
final class MemoryBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private volatile boolean exceeded;

    MemoryBudget(long limit) {
        this.limit = limit;
    }

    /** Reserves {@code bytes}; false (and the budget marked exceeded) if that would pass the limit. */
    boolean tryReserve(long bytes) {
        long now = used.addAndGet(bytes);
        if (now > limit) {
            used.addAndGet(-bytes);
            exceeded = true;
            return false;
        }
        return true;
    }

    /** Reserves {@code bytes} unconditionally (memory the run cannot do without); marks the budget exceeded if past it. */
    void reserve(long bytes) {
        if (used.addAndGet(bytes) > limit) {
            exceeded = true;
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    boolean exceeded() {
        return exceeded;
    }

    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }
}
