package dev.handoff.engine;

import dev.handoff.engine.reference.Counters;
import dev.handoff.engine.reference.CountersPacked;
import dev.handoff.engine.reference.GridWalk;
import dev.handoff.engine.reference.Philosophers;
import dev.handoff.engine.formalism.ForwardingPackedModel;
import dev.handoff.engine.formalism.PackedModel;
import dev.handoff.engine.formalism.PackedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A breadth-first run gives the same result whatever the worker count: the same counterexample
 * and witness paths step by step (not just their lengths), the same deadlock path, the same
 * counts and per-action firings. Each model here has many shortest paths to what it reports (a
 * counter state is reached by every interleaving of its increments), and each successor is made
 * slow enough that every wide level goes to the pool, so the workers really race.
 */
class DeterminismTest {
    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("4 counters mod 9, 3 counterexamples", (ModelMaker) () -> PackedModels.of(new Counters(4, 9)), 3, StoreMode.FINGERPRINT),
                Arguments.of("4 counters mod 9, exact store", (ModelMaker) () -> PackedModels.of(new Counters(4, 9)), 1, StoreMode.EXACT),
                Arguments.of("grid 120, invariant, witness and deadlock", (ModelMaker) () -> PackedModels.of(new GridWalk(120, 120, 150, false)), 2, StoreMode.FINGERPRINT),
                Arguments.of("10 philosophers, planted bug, deadlock", (ModelMaker) () -> new Philosophers(10, true), 40, StoreMode.FINGERPRINT));
    }

    interface ModelMaker {
        PackedModel make();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyWorkerCountGivesTheSameResult(String name, ModelMaker maker, int counterexamples, StoreMode store) {
        ExplorationSettings base = ExplorationSettings.defaults().withCounterexamples(counterexamples).withStore(store);
        String one = render(Explorer.explore(new Slow(maker.make(), 2_000), base.withWorkers(1)));
        assertTrue(one.contains("VIOLATED"), one);
        for (int workers : new int[] {2, 3, 4}) {
            for (int run = 0; run < 3; run++) {
                Slow slow = new Slow(maker.make(), 2_000);
                String many = render(Explorer.explore(slow, base.withWorkers(workers)));
                assertEquals(one, many, workers + " workers, run " + run);
                assertTrue(slow.threads.size() >= 2 && slow.threads.stream().anyMatch(t -> t.startsWith("handoff-bfs")),
                        "the workers shared levels: " + slow.threads);
            }
        }
    }

    /**
     * Levels wide enough for many windows (12 counters mod 3: 531,441 states, up to 73,789 a
     * level, cut into some 70 slices and 8 windows with 2 workers), so that the pipeline stores,
     * looks up and generates three windows in one phase, through all three buffer sets.
     */
    @Test
    void wideLevelsPipelinedOverManyWindowsGiveTheSameResult() {
        ExplorationSettings base = ExplorationSettings.defaults().withCounterexamples(2);
        ExplorationResult first = Explorer.explore(new CountersPacked(12, 3, false), base.withWorkers(1));
        assertEquals(531_441, first.statistics().distinctStates());
        String one = render(first);
        for (int workers : new int[] {2, 3, 4}) {
            for (int run = 0; run < 2; run++) {
                Slow counted = new Slow(new CountersPacked(12, 3, false), 0);
                assertEquals(one, render(Explorer.explore(counted, base.withWorkers(workers))), workers + " workers, run " + run);
                assertTrue(counted.threads.stream().anyMatch(t -> t.startsWith("handoff-bfs")), "the workers shared levels: " + counted.threads);
            }
        }
    }

    /**
     * One worker expands a large level as a shared level of one (buffered, looked up with
     * prefetching, then stored): it must give what the state-by-state path gives.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void oneWorkerGivesTheSameResultBufferedOrStateByState(String name, ModelMaker maker, int counterexamples, StoreMode store) {
        ExplorationSettings one = ExplorationSettings.defaults().withCounterexamples(counterexamples).withStore(store).withWorkers(1);
        assertEquals(render(runStateByState(new Slow(maker.make(), 2_000), one)), render(Explorer.explore(new Slow(maker.make(), 2_000), one)));
    }

    /**
     * The two paths of the test above really differ: buffered, a window of successors is
     * generated before the first of them is evaluated; state by state, a few (4 counters mod 9,
     * whose properties stay undecided to the end).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(StoreMode.class)
    void oneWorkerBuffersLargeLevels(StoreMode store) {
        ExplorationSettings one = ExplorationSettings.defaults().withStore(store).withWorkers(1).withCounterexamples(3);
        Slow buffered = new Slow(PackedModels.of(new Counters(4, 9, true)), 2_000);
        Slow unbuffered = new Slow(PackedModels.of(new Counters(4, 9, true)), 2_000);
        assertEquals(render(runStateByState(unbuffered, one)), render(Explorer.explore(buffered, one)));
        assertTrue(buffered.longestRun > 200, "buffered: " + buffered.longestRun + " successors before an evaluation");
        assertTrue(unbuffered.longestRun <= 4 * 4,
                "state by state: " + unbuffered.longestRun + " successors before an evaluation, buffered " + buffered.longestRun);
    }

    private static ExplorationResult runStateByState(PackedModel model, ExplorationSettings settings) {
        boolean was = BreadthFirstSearch.oneWorkerBuffers;
        BreadthFirstSearch.oneWorkerBuffers = false;
        try {
            return Explorer.explore(model, settings);
        } finally {
            BreadthFirstSearch.oneWorkerBuffers = was;
        }
    }

    /**
     * Under a small memory budget one worker expands state by state: the buffers would take the
     * room the states need (1 MiB: some 20,000 states reached buffered against 50,000 without).
     */
    @Test
    void aSmallBudgetGoesToStatesNotBuffers() {
        ExplorationSettings small = ExplorationSettings.defaults().withWorkers(1).withMemoryBudget(1L << 20);
        ExplorationResult buffered = Explorer.explore(new CountersPacked(12, 3, true), small);
        ExplorationResult stateByState = runStateByState(new CountersPacked(12, 3, true), small);
        assertEquals(Verdict.INCONCLUSIVE, buffered.properties().get(0).verdict(), "the budget ends the run");
        assertEquals(stateByState.statistics().distinctStates(), buffered.statistics().distinctStates());
    }

    /** Everything of a result that must not depend on the worker count (not the time, not the bytes). */
    static String render(ExplorationResult r) {
        StringBuilder b = new StringBuilder();
        Statistics s = r.statistics();
        b.append("states ").append(s.distinctStates()).append(" transitions ").append(s.transitions())
                .append(" depth ").append(s.maxDepth()).append(" firings ").append(Arrays.toString(s.actionFirings()))
                .append(" stop ").append(r.stopReason()).append('\n');
        for (PropertyResult p : r.properties()) {
            b.append(p.property().name()).append(' ').append(p.verdict()).append('\n');
            for (Path path : p.paths()) {
                b.append("  ").append(render(path)).append('\n');
            }
        }
        b.append("deadlock ").append(r.deadlock() == null ? "none" : render(r.deadlock())).append('\n');
        return b.toString();
    }

    private static String render(Path p) {
        StringBuilder b = new StringBuilder("from " + p.initialState() + ":");
        for (int i = 0; i < p.length(); i++) {
            b.append(' ').append(p.actions()[i]).append("->").append(Arrays.toString(p.states().get(i + 1)));
        }
        return b.toString();
    }

    /** A model whose successors cost {@code nanos} of busy work, so that levels are worth sharing. */
    static final class Slow extends ForwardingPackedModel {
        private final long nanos;
        /** The threads that computed a successor (the calling thread is worker 0 of a shared level, the pool the others). */
        final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Slow(PackedModel m, long nanos) {
            super(m);
            this.nanos = nanos;
        }

        /** Successors generated since a property was last evaluated, and the most of them there were (one worker). */
        private int run;
        int longestRun;

        @Override
        public long evaluate(long[] state, int off) {
            run = 0;
            return super.evaluate(state, off);
        }

        @Override
        public boolean next(long[] src, int srcOff, int action, long[] dst, int dstOff) {
            longestRun = Math.max(longestRun, ++run);
            threads.add(Thread.currentThread().getName());
            long until = System.nanoTime() + nanos;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return base.next(src, srcOff, action, dst, dstOff);
        }
    }
}
