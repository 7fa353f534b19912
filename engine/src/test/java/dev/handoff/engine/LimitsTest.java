package dev.handoff.engine;

import dev.handoff.engine.reference.Philosophers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every limit ends a run cleanly as INCONCLUSIVE with the statistics so far. */
class LimitsTest {
    @ParameterizedTest
    @EnumSource(SearchStrategy.class)
    void stateLimit(SearchStrategy strategy) {
        ExplorationResult r = Explorer.explore(new Philosophers(14, false), ExplorationSettings.defaults()
                .withStrategy(strategy).withCheckDeadlock(false).withMaxStates(10_000));
        assertEquals(Verdict.INCONCLUSIVE, r.properties().get(0).verdict());
        assertTrue(r.stopReason().contains("state limit"), r.stopReason());
        assertTrue(r.statistics().distinctStates() >= 10_000);
        assertTrue(r.statistics().distinctStates() < Philosophers.expectedStates(14));
    }

    @ParameterizedTest
    @EnumSource(SearchStrategy.class)
    void timeLimit(SearchStrategy strategy) {
        ExplorationResult r = Explorer.explore(new Philosophers(24, false), ExplorationSettings.defaults()
                .withStrategy(strategy).withCheckDeadlock(false).withTimeLimit(Duration.ofMillis(200)));
        assertEquals(Verdict.INCONCLUSIVE, r.properties().get(0).verdict());
        assertEquals("time limit reached (200 ms)", r.stopReason(), "the limit as set, not rounded to seconds");
        assertTrue(r.statistics().distinctStates() > 0);
    }

    /** An interrupted run returns, says so, and is not HOLDS; its workers have stopped before the result is built. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"BFS, 1", "BFS, 2", "DFS, 1"})
    void anInterruptedRunEndsCleanly(SearchStrategy strategy, int workers) throws Exception {
        java.util.concurrent.atomic.AtomicReference<ExplorationResult> out = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stillInterrupted = new java.util.concurrent.atomic.AtomicBoolean();
        Thread t = new Thread(() -> {
            out.set(Explorer.explore(new Philosophers(20, false),
                    ExplorationSettings.defaults().withStrategy(strategy).withWorkers(workers).withCheckDeadlock(false)));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        t.start();
        Thread.sleep(500);
        t.interrupt();
        t.join(60_000);
        assertTrue(!t.isAlive(), "explore returned");
        assertEquals("interrupted", out.get().stopReason());
        assertTrue(stillInterrupted.get(), "the caller's interrupt status is kept");
        assertEquals(Verdict.INCONCLUSIVE, out.get().properties().get(0).verdict());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(x -> x.getName().startsWith("handoff-bfs-") && x.isAlive()
                && java.util.Arrays.stream(x.getStackTrace()).anyMatch(f -> f.getMethodName().equals("expandChunk"))),
                "no worker still expanding");
    }

    /**
     * Interrupted twice while the pool's workers are still in a slow slice: the run waits for
     * them all the same, so that nothing it reports is read while a worker still writes.
     */
    @Test
    void aSecondInterruptDoesNotCutTheWaitForTheWorkersShort() throws Exception {
        dev.handoff.engine.formalism.PackedModel slowOnThePool = new dev.handoff.engine.formalism.ForwardingPackedModel(new Philosophers(20, false)) {
            @Override
            public boolean next(long[] src, int srcOff, int action, long[] dst, int dstOff) {
                if (Thread.currentThread().getName().startsWith("handoff-bfs")) {
                    long until = System.nanoTime() + 50_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
                return base.next(src, srcOff, action, dst, dstOff);
            }
        };
        java.util.concurrent.atomic.AtomicReference<ExplorationResult> out = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> out.set(Explorer.explore(slowOnThePool,
                ExplorationSettings.defaults().withWorkers(2).withCheckDeadlock(false))));
        t.start();
        Thread.sleep(700);
        t.interrupt();
        Thread.sleep(20);
        t.interrupt();
        t.join(60_000);
        assertTrue(!t.isAlive(), "explore returned");
        assertEquals("interrupted", out.get().stopReason());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(x -> x.getName().startsWith("handoff-bfs-") && x.isAlive()
                && java.util.Arrays.stream(x.getStackTrace()).anyMatch(f -> f.getMethodName().equals("expandChunk"))),
                "no worker still expanding when the result was built");
    }

    /** A deadline without a time limit (a library caller's own clock) ends the run, and says which limit it was. */
    @ParameterizedTest
    @EnumSource(SearchStrategy.class)
    void deadlineWithoutATimeLimit(SearchStrategy strategy) {
        java.time.Instant at = java.time.Instant.now().plusMillis(200);
        ExplorationResult r = Explorer.explore(new Philosophers(24, false), ExplorationSettings.defaults()
                .withStrategy(strategy).withCheckDeadlock(false).withDeadline(at));
        assertEquals(Verdict.INCONCLUSIVE, r.properties().get(0).verdict());
        assertEquals("time limit reached (the deadline " + at + ")", r.stopReason());
    }

    /** Limits are named as set: bytes when the budget is not a whole number of MiB, the states with separators. */
    @Test
    void limitsAreQuotedAsSet() {
        ExplorationResult m = Explorer.explore(new Philosophers(20, false), ExplorationSettings.defaults()
                .withCheckDeadlock(false).withMemoryBudget(2_000_000));
        assertTrue(m.stopReason().contains("2,000,000 bytes"), m.stopReason());
        ExplorationResult s = Explorer.explore(new Philosophers(14, false), ExplorationSettings.defaults()
                .withCheckDeadlock(false).withMaxStates(10_000));
        assertEquals("state limit reached (10,000 states)", s.stopReason());
        assertEquals("90 s", SearchContext.human(Duration.ofSeconds(90)));
        assertEquals("1500 ms", SearchContext.human(Duration.ofMillis(1500)));
        assertEquals("2 h 5 min", SearchContext.human(Duration.ofMinutes(125)));
        assertEquals("10.5 s", SearchContext.human(Duration.ofMillis(10_500)), "not truncated");
        assertEquals("3601 s", SearchContext.human(Duration.ofSeconds(3601)), "not rounded to minutes");
        // a limit and a deadline from it (the CLI's --time-limit): named as the limit; one past
        // Long.MAX_VALUE nanoseconds is no limit in practice, not an overflow
        ExplorationResult both = Explorer.explore(new Philosophers(24, false), ExplorationSettings.defaults()
                .withCheckDeadlock(false).withTimeLimit(Duration.ofMillis(200)).withDeadline(java.time.Instant.now().plusMillis(200)));
        assertEquals("time limit reached (200 ms)", both.stopReason());
        ExplorationResult forever = Explorer.explore(new Philosophers(4, false), ExplorationSettings.defaults()
                .withTimeLimit(Duration.ofDays(365_000)));
        assertEquals(null, forever.stopReason());
    }

    @ParameterizedTest
    @EnumSource(StoreMode.class)
    void memoryBudgetEndsTheRunInsteadOfTheHeap(StoreMode store) {
        ExplorationResult r = Explorer.explore(new Philosophers(20, false), ExplorationSettings.defaults()
                .withStore(store).withCheckDeadlock(false).withMemoryBudget(8L << 20));
        assertEquals(Verdict.INCONCLUSIVE, r.properties().get(0).verdict());
        assertNotNull(r.stopReason());
        assertTrue(r.stopReason().contains("memory") || r.stopReason().contains("full"), r.stopReason());
        assertTrue(r.statistics().storeBytes() + r.statistics().logBytes() < 16L << 20,
                "the stores stayed near the budget");
    }

    @Test
    void violationFoundBeforeALimitIsStillReported() {
        ExplorationResult r = Explorer.explore(new Philosophers(16, true), ExplorationSettings.defaults()
                .withCheckDeadlock(false).withMaxStates(5_000));
        assertEquals(Verdict.VIOLATED, r.properties().get(0).verdict());
        assertEquals(4, r.properties().get(0).path().length());
    }
}
