package dev.handoff.engine;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reusable barrier for the few workers of a breadth-first level: {@code parties} threads meet,
 * the last to arrive runs the action, then all go on. When there is a processor for every party,
 * a waiter first spins for up to {@value #SPIN_MICROS} µs (the phases it separates take tens of
 * microseconds to milliseconds, and waking a parked thread costs tens of microseconds, which
 * {@link java.util.concurrent.CyclicBarrier} pays at every crossing); then, or at once, it blocks. A party interrupted before or while it waits breaks the
 * barrier: it gets {@link InterruptedException}, every waiting and later party
 * {@link BrokenBarrierException}, as with {@code CyclicBarrier}.
 */
final class PhaseBarrier {
    static final long SPIN_MICROS = 50;

    private final int parties;
    private final Runnable action;
    private final AtomicInteger arrived = new AtomicInteger();
    private final Object lock = new Object();
    /** Crossings so far; a waiter goes on when it changes. */
    private volatile int generation;
    private volatile boolean broken;

    /** How long a waiter spins: not at all when the parties outnumber the processors (a spinner would take a party's CPU). */
    private final long spinNanos;

    PhaseBarrier(int parties, Runnable action) {
        this.parties = parties;
        this.action = action;
        this.spinNanos = parties <= Runtime.getRuntime().availableProcessors() ? TimeUnit.MICROSECONDS.toNanos(SPIN_MICROS) : 0;
    }

    /** Waits for every party; the last to arrive runs the action first (an exception from it breaks the barrier and is thrown to that party). */
    void await() throws InterruptedException, BrokenBarrierException {
        int g = generation;
        if (Thread.interrupted()) {
            breakBarrier();
            throw new InterruptedException();
        }
        if (broken) {
            throw new BrokenBarrierException();
        }
        if (arrived.incrementAndGet() == parties) {
            arrived.set(0);
            boolean ran = false;
            try {
                if (action != null) {
                    action.run();
                }
                ran = true;
            } finally {
                if (!ran) {
                    broken = true;
                }
                generation = g + 1;
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
            return;
        }
        long deadline = System.nanoTime() + spinNanos;
        for (int spins = 0; generation == g && !broken; spins++) {
            if ((spins & 63) != 63 && spinNanos > 0) {
                Thread.onSpinWait();
                continue;
            }
            if (Thread.interrupted()) {
                breakBarrier();
                throw new InterruptedException();
            }
            if (System.nanoTime() < deadline) {
                continue;
            }
            synchronized (lock) {
                try {
                    while (generation == g && !broken) {
                        lock.wait();
                    }
                } catch (InterruptedException e) {
                    broken = true;
                    lock.notifyAll();
                    throw e;
                }
            }
        }
        if (broken) {
            throw new BrokenBarrierException();
        }
    }

    /** Breaks the barrier: every waiting and later party gets {@link BrokenBarrierException}. */
    void breakBarrier() {
        broken = true;
        synchronized (lock) {
            lock.notifyAll();
        }
    }
}
