package dev.handoff.engine;

import dev.handoff.engine.reference.GridWalk;
import dev.handoff.engine.reference.Philosophers;
import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.Model;
import dev.handoff.engine.formalism.PackedModel;
import dev.handoff.engine.formalism.PackedModels;
import dev.handoff.engine.formalism.Property;
import dev.handoff.engine.formalism.StateCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Planted violations at known depths, deadlocks, witnesses, and the replay check. */
class CounterexampleTest {
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> configurations() {
        return ReferenceModelsTest.configurations();
    }

    /** Replays a path through the model and asserts it visits exactly the recorded states. */
    static void assertReplays(PackedModel model, Path p) {
        long[] s = new long[model.stateWords()];
        model.initialState(p.initialState(), s, 0);
        assertArrayEquals(s, p.states().get(0));
        for (int i = 0; i < p.length(); i++) {
            long[] n = new long[model.stateWords()];
            assertTrue(model.next(s, 0, p.actions()[i], n, 0), "step " + (i + 1) + " is enabled");
            assertArrayEquals(n, p.states().get(i + 1), "state after step " + (i + 1));
            s = n;
        }
    }

    @ParameterizedTest(name = "{0} {1} workers={2}")
    @MethodSource("configurations")
    void plantedInvariantViolationAtKnownDepth(SearchStrategy strategy, StoreMode store, int workers) {
        int limit = 13;
        PackedModel model = PackedModels.of(new GridWalk(30, 30, limit, true));
        ExplorationResult r = Explorer.explore(model, ReferenceModelsTest.settings(strategy, store, workers));
        PropertyResult p = r.property("below-diagonal").orElseThrow();
        assertEquals(Verdict.VIOLATED, p.verdict());
        if (strategy == SearchStrategy.BFS) {
            assertEquals(limit, p.path().length(), "x + y reaches the limit after exactly limit steps");
        } else {
            assertTrue(p.path().length() >= limit);
        }
        assertReplays(model, p.path());
        assertEquals(0, model.evaluate(p.path().last(), 0) & 1, "the last state violates the invariant");
        for (int i = 0; i < p.path().length(); i++) {
            assertEquals(1, model.evaluate(p.path().states().get(i), 0) & 1, "only the last state violates it");
        }
    }

    @ParameterizedTest(name = "{0} {1} workers={2}")
    @MethodSource("configurations")
    void plantedPhilosopherBug(SearchStrategy strategy, StoreMode store, int workers) {
        Philosophers model = new Philosophers(7, true);
        ExplorationResult r = Explorer.explore(model,
                ReferenceModelsTest.settings(strategy, store, workers).withCheckDeadlock(false));
        Path p = r.properties().get(0).path();
        assertNotNull(p);
        if (strategy == SearchStrategy.BFS) {
            assertEquals(4, p.length(), "both take their left fork, both eat");
        }
        assertReplays(model, p);
    }

    @ParameterizedTest(name = "{0} {1} workers={2}")
    @MethodSource("configurations")
    void deadlockAtTheCornerUnlessTerminal(SearchStrategy strategy, StoreMode store, int workers) {
        PackedModel model = PackedModels.of(new GridWalk(6, 9, Integer.MAX_VALUE, false));
        ExplorationResult r = Explorer.explore(model, ReferenceModelsTest.settings(strategy, store, workers));
        assertNotNull(r.deadlock());
        assertEquals(6 + 9 - 2, r.deadlock().length());
        assertEquals((5L << 32) | 8, r.deadlock().last()[0], "the corner (5, 8)");
        assertReplays(model, r.deadlock());
    }

    @Test
    void stopAtFirstViolationGivesTheSameCountsForAnyWorkerCount() {
        Philosophers model = new Philosophers(12, true);
        long states = -1;
        for (int workers = 1; workers <= 4; workers++) {
            ExplorationResult r = Explorer.explore(model, ExplorationSettings.defaults().withWorkers(workers)
                    .withCheckDeadlock(false).withStopAtFirstViolation(true));
            assertEquals(4, r.properties().get(0).path().length());
            if (states < 0) {
                states = r.statistics().distinctStates();
            }
            assertEquals(states, r.statistics().distinctStates(), "workers=" + workers);
        }
        assertTrue(states < Philosophers.expectedStates(12), "the run stopped early");
        // a stop that leaves a question open says so (the deadlock check here): stopReason is never null then
        ExplorationResult g = Explorer.explore(PackedModels.of(new GridWalk(120, 120, 150, false)),
                ExplorationSettings.defaults().withStopAtFirstViolation(true));
        assertEquals(Verdict.VIOLATED, g.properties().get(0).verdict());
        assertEquals(null, g.deadlock());
        assertEquals("stopped at the first violation (stopAtFirstViolation): the other properties and whether the space has a deadlock are undecided",
                g.stopReason());
    }

    /** The grid walk with other properties. */
    static PackedModel grid(GridWalk grid, List<Property<GridWalk.Point>> properties) {
        return PackedModels.of(new Model<GridWalk.Point>() {
            @Override
            public List<GridWalk.Point> initialStates() {
                return grid.initialStates();
            }

            @Override
            public List<Action> actions() {
                return grid.actions();
            }

            @Override
            public GridWalk.Point next(GridWalk.Point p, int action) {
                return grid.next(p, action);
            }

            @Override
            public List<Property<GridWalk.Point>> properties() {
                return properties;
            }

            @Override
            public boolean isTerminal(GridWalk.Point p) {
                return grid.isTerminal(p);
            }

            @Override
            public StateCodec<GridWalk.Point> codec() {
                return grid.codec();
            }
        });
    }

    @Test
    void unreachableWitnessIsViolated() {
        PackedModel model = grid(new GridWalk(4, 4, Integer.MAX_VALUE, true), List.of(Property.sometimes("off-grid", p -> p.x() > 10)));
        ExplorationResult r = Explorer.explore(model, ExplorationSettings.defaults());
        assertEquals(Verdict.VIOLATED, r.properties().get(0).verdict());
        assertNull(r.properties().get(0).path());
    }

    @ParameterizedTest(name = "{0} {1} workers={2}")
    @MethodSource("configurations")
    void exhaustiveExploresPastEveryDecision(SearchStrategy strategy, StoreMode store, int workers) {
        // x + y < 13 fails at depth 13, the only question once deadlocks are not checked
        PackedModel model = grid(new GridWalk(200, 150, Integer.MAX_VALUE, true), List.of(Property.always("below-13", p -> p.x() + p.y() < 13)));
        ExplorationSettings settings = ReferenceModelsTest.settings(strategy, store, workers).withCheckDeadlock(false);
        ExplorationResult early = Explorer.explore(model, settings);
        ExplorationResult all = Explorer.explore(model, settings.withExhaustive(true));
        assertTrue(early.statistics().distinctStates() < 200 * 150, "decided, the run stops: " + early.statistics().distinctStates());
        assertEquals(200 * 150, all.statistics().distinctStates());
        assertEquals(199 * 150 + 200 * 149 + 1, all.statistics().transitions(), "the edges and the initial state");
        assertEquals(200 + 150 - 2, all.statistics().maxDepth());
        assertNull(all.stopReason());
        assertEquals(Verdict.VIOLATED, all.properties().get(0).verdict());
        assertEquals(early.properties().get(0).path(), all.properties().get(0).path(), "the same counterexample");
        assertThrows(IllegalArgumentException.class, () -> settings.withExhaustive(true).withStopAtFirstViolation(true));
    }

    /**
     * {@code counterexamples} = 3 on a 30 x 30 grid, where x + y = 57 holds in two states and
     * x + y = 58 in one: an invariant stays open past the first level that violates it until it
     * has three; a {@code sometimes} is decided by its first witness and keeps that level's.
     */
    @ParameterizedTest(name = "{0} {1} workers={2}")
    @MethodSource("configurations")
    void counterexamplesPerProperty(SearchStrategy strategy, StoreMode store, int workers) {
        PackedModel model = grid(new GridWalk(30, 30, Integer.MAX_VALUE, true), List.of(
                Property.always("below-57", p -> p.x() + p.y() < 57),
                Property.sometimes("reaches-57", p -> p.x() + p.y() >= 57)));
        ExplorationResult r = Explorer.explore(model,
                ReferenceModelsTest.settings(strategy, store, workers).withCheckDeadlock(false).withCounterexamples(3));
        List<Integer> invariant = r.property("below-57").orElseThrow().paths().stream().map(Path::length).toList();
        List<Integer> witness = r.property("reaches-57").orElseThrow().paths().stream().map(Path::length).toList();
        assertEquals(Verdict.VIOLATED, r.property("below-57").orElseThrow().verdict());
        assertEquals(Verdict.HOLDS, r.property("reaches-57").orElseThrow().verdict());
        if (strategy == SearchStrategy.BFS) {
            assertEquals(List.of(57, 57, 58), invariant);
            assertEquals(List.of(57, 57), witness);
        } else {
            // depth-first: the order the stack met them; the witness closes at the first
            assertEquals(3, invariant.size());
            assertEquals(1, witness.size());
        }
    }

    /** A model whose successor depends on hidden mutable state: the replay must notice. */
    @Test
    void nondeterministicModelIsCaughtByReplay() {
        AtomicInteger calls = new AtomicInteger();
        Model<Integer> flaky = new Model<>() {
            @Override
            public List<Integer> initialStates() {
                return List.of(0);
            }

            @Override
            public List<Action> actions() {
                return List.of(new Action("step", "flaky"));
            }

            @Override
            public Integer next(Integer s, int action) {
                if (s >= 5) {
                    return null;
                }
                return calls.incrementAndGet() > 5 ? s + 2 : s + 1;
            }

            @Override
            public List<Property<Integer>> properties() {
                return List.of(Property.always("below-five", s -> s < 5));
            }

            @Override
            public boolean isTerminal(Integer s) {
                return true;
            }

            @Override
            public StateCodec<Integer> codec() {
                return new StateCodec<>() {
                    @Override
                    public int words() {
                        return 1;
                    }

                    @Override
                    public void encode(Integer s, long[] out, int off) {
                        out[off] = s;
                    }

                    @Override
                    public Integer decode(long[] in, int off) {
                        return (int) in[off];
                    }
                };
            }
        };
        // the path that does not replay is named and left out; everything else the run found stays
        ExplorationResult r = Explorer.explore(PackedModels.of(flaky), ExplorationSettings.defaults().withWorkers(1));
        assertTrue(r.internalError() != null && r.internalError().contains("nondeterministic"), String.valueOf(r.internalError()));
        assertTrue(r.statistics().distinctStates() > 0);
        assertEquals(Verdict.VIOLATED, r.property("below-five").orElseThrow().verdict(), "the search saw the violation");
        assertNull(r.property("below-five").orElseThrow().path(), "its path did not replay and is left out");
    }

    @Test
    void pathRejectsMismatchedStates() {
        assertThrows(IllegalArgumentException.class, () -> new Path(0, new int[] {0}, List.of(new long[] {0})));
        assertFalse(new Path(0, new int[0], List.of(new long[] {0})).length() != 0);
    }
}
