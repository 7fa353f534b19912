package dev.handoff.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The breadth-first search's barrier: crossings, its action, breaking. */
class PhaseBarrierTest {
    @Test
    void everyPartyPassesEachCrossingOnlyAfterAllArrivedAndTheActionRanOnce() throws Exception {
        int parties = 3;
        int crossings = 2_000;
        AtomicInteger actions = new AtomicInteger();
        AtomicInteger arrivals = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        PhaseBarrier barrier = new PhaseBarrier(parties, actions::incrementAndGet);
        Thread[] ts = new Thread[parties];
        for (int p = 0; p < parties; p++) {
            int me = p;
            ts[p] = new Thread(() -> {
                try {
                    for (int c = 1; c <= crossings; c++) {
                        arrivals.incrementAndGet();
                        if (me == 0 && c % 500 == 0) {
                            Thread.sleep(2); // longer than the spin: the others block and are woken
                        }
                        barrier.await();
                        // all parties arrived at crossing c before anyone passed it, and the action ran once for it
                        int seen = arrivals.get();
                        if (seen < c * parties || actions.get() < c) {
                            throw new AssertionError("crossing " + c + ": " + seen + " arrivals, " + actions.get() + " actions");
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            ts[p].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(crossings, actions.get());
    }

    @Test
    void anInterruptedWaiterBreaksTheBarrierForTheOthers() throws Exception {
        PhaseBarrier barrier = new PhaseBarrier(3, null);
        AtomicReference<Throwable> first = new AtomicReference<>();
        AtomicReference<Throwable> second = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread a = new Thread(() -> {
            try {
                waiting.countDown();
                barrier.await();
            } catch (Throwable t) {
                first.set(t);
            }
        });
        Thread b = new Thread(() -> {
            try {
                barrier.await();
            } catch (Throwable t) {
                second.set(t);
            }
        });
        a.start();
        b.start();
        waiting.await();
        Thread.sleep(20); // past the spin: both block
        a.interrupt();
        a.join(5_000);
        b.join(5_000);
        assertInstanceOf(InterruptedException.class, first.get());
        assertInstanceOf(BrokenBarrierException.class, second.get());
        assertThrows(BrokenBarrierException.class, barrier::await, "a broken barrier stays broken");
    }

    @Test
    void aFailingActionBreaksTheBarrierAndReachesTheLastParty() throws Exception {
        PhaseBarrier barrier = new PhaseBarrier(2, () -> {
            throw new IllegalStateException("action failed");
        });
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                barrier.await();
            } catch (Throwable e) {
                other.set(e);
            }
        });
        t.start();
        Throwable last = null;
        try {
            Thread.sleep(5);
            barrier.await();
        } catch (IllegalStateException | BrokenBarrierException e) {
            last = e;
        }
        t.join(5_000);
        assertTrue(last instanceof IllegalStateException || other.get() instanceof IllegalStateException,
                "the party that ran the action gets its exception");
        assertTrue(last instanceof BrokenBarrierException || other.get() instanceof BrokenBarrierException,
                "the other party is told the barrier broke");
    }
}
