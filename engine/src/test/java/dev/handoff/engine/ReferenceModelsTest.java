package dev.handoff.engine;

import dev.handoff.engine.reference.Counters;
import dev.handoff.engine.reference.GridWalk;
import dev.handoff.engine.reference.Philosophers;
import dev.handoff.engine.formalism.PackedModel;
import dev.handoff.engine.formalism.PackedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Pinned state and transition counts of the reference models, for every search strategy,
 * store and worker count (the engine's contract test).
 */
class ReferenceModelsTest {
    static Stream<Arguments> configurations() {
        List<Arguments> out = new ArrayList<>();
        for (SearchStrategy strategy : SearchStrategy.values()) {
            for (StoreMode store : StoreMode.values()) {
                for (int workers : strategy == SearchStrategy.DFS ? new int[] {1} : new int[] {1, 2, 3}) {
                    out.add(Arguments.of(strategy, store, workers));
                }
            }
        }
        return out.stream();
    }

    static ExplorationSettings settings(SearchStrategy strategy, StoreMode store, int workers) {
        return ExplorationSettings.defaults().withStrategy(strategy).withStore(store).withWorkers(workers)
                .withMemoryBudget(1L << 30);
    }

    @Test
    void closedFormMatchesTheBenchmarkTable() {
        // shared/bench/README.md: N=10 6,726 / 43,481 and N=18 7,761,798 / 90,316,585, where the
        // transition column is SPIN's stored+matched: the edges plus the one initial state.
        assertEquals(6_726, PhilosophersClosedForm.states(10));
        assertEquals(43_481, PhilosophersClosedForm.edges(10) + 1);
        assertEquals(7_761_798, PhilosophersClosedForm.states(18));
        assertEquals(90_316_585, PhilosophersClosedForm.edges(18) + 1);
        for (int n = 2; n <= 20; n++) {
            assertEquals(PhilosophersClosedForm.states(n), Philosophers.expectedStates(n), "Pell number, n=" + n);
        }
    }

    @ParameterizedTest(name = "{0} {1} workers={2}")
    @MethodSource("configurations")
    void philosophersTwoToTwelve(SearchStrategy strategy, StoreMode store, int workers) {
        for (int n = 2; n <= 12; n++) {
            ExplorationResult r = Explorer.explore(new Philosophers(n, false),
                    settings(strategy, store, workers).withCheckDeadlock(false));
            assertEquals(PhilosophersClosedForm.states(n), r.statistics().distinctStates(), "states, n=" + n);
            assertEquals(PhilosophersClosedForm.edges(n) + 1, r.statistics().transitions(), "transitions, n=" + n);
            assertEquals(Verdict.HOLDS, r.properties().get(0).verdict());
            assertNull(r.stopReason());
            long firings = 0;
            for (long f : r.statistics().actionFirings()) {
                firings += f;
            }
            assertEquals(PhilosophersClosedForm.edges(n), firings, "per-action firings sum to the edges, n=" + n);
        }
    }

    @ParameterizedTest(name = "{0} {1} workers={2}")
    @MethodSource("configurations")
    void philosophersDeadlockWhenEveryoneHoldsALeftFork(SearchStrategy strategy, StoreMode store, int workers) {
        ExplorationResult r = Explorer.explore(new Philosophers(5, false), settings(strategy, store, workers));
        Path d = r.deadlock();
        assertEquals(0b0101010101L, d.last()[0], "every philosopher holds its left fork");
        if (strategy == SearchStrategy.BFS) {
            assertEquals(5, d.length(), "five takes, the shortest way there");
        }
    }

    @ParameterizedTest(name = "{0} {1} workers={2}")
    @MethodSource("configurations")
    void countersOfManyWords(SearchStrategy strategy, StoreMode store, int workers) {
        int k = 4;
        int m = 9;
        ExplorationResult r = Explorer.explore(PackedModels.of(new Counters(k, m)), settings(strategy, store, workers));
        long states = (long) Math.pow(m, k);
        assertEquals(states, r.statistics().distinctStates());
        assertEquals(k * states + 1, r.statistics().transitions());
        assertNull(r.deadlock(), "every increment is always enabled");
        PropertyResult p = r.properties().get(0);
        assertEquals(Verdict.VIOLATED, p.verdict());
        if (strategy == SearchStrategy.BFS) {
            assertEquals(k * (m - 1), p.path().length(), "every counter must climb to m-1");
        }
    }

    @ParameterizedTest(name = "{0} {1} workers={2}")
    @MethodSource("configurations")
    void gridWithTerminalCorner(SearchStrategy strategy, StoreMode store, int workers) {
        int w = 37;
        int h = 23;
        ExplorationResult r = Explorer.explore(PackedModels.of(new GridWalk(w, h, Integer.MAX_VALUE, true)),
                settings(strategy, store, workers));
        assertEquals((long) w * h, r.statistics().distinctStates());
        assertEquals((long) (w - 1) * h + (long) w * (h - 1) + 1, r.statistics().transitions());
        assertNull(r.deadlock());
        assertEquals(Verdict.HOLDS, r.property("below-diagonal").orElseThrow().verdict());
        PropertyResult corner = r.property("corner").orElseThrow();
        assertEquals(Verdict.HOLDS, corner.verdict());
        assertEquals(w + h - 2, corner.path().length(), "every path to the corner has the same length");
        if (strategy == SearchStrategy.BFS) {
            assertEquals(w + h - 2, r.statistics().maxDepth());
        }
    }

    @Test
    void readableAndPackedPhilosophersAgree() {
        for (int n = 2; n <= 9; n++) {
            ExplorationSettings s = settings(SearchStrategy.BFS, StoreMode.EXACT, 2).withCheckDeadlock(false);
            PackedModel readable = PackedModels.of(new dev.handoff.engine.reference.PhilosophersPlain(n));
            ExplorationResult a = Explorer.explore(readable, s);
            ExplorationResult b = Explorer.explore(new Philosophers(n, false), s);
            assertEquals(b.statistics().distinctStates(), a.statistics().distinctStates(), "n=" + n);
            assertEquals(b.statistics().transitions(), a.statistics().transitions(), "n=" + n);
        }
    }
}
