package dev.handoff.engine;

import dev.handoff.engine.reference.Counters;
import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.Model;
import dev.handoff.engine.formalism.PackedModels;
import dev.handoff.engine.formalism.Property;
import dev.handoff.engine.formalism.StateCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Levels with little work (fewer than {@link BreadthFirstSearch#SERIAL_STATES} states, or less
 * expected work than {@link BreadthFirstSearch#PARALLEL_NANOS}) are expanded on the calling
 * thread: a deep, thin graph never pays a pool hand-off per level, and wide levels still go to
 * every worker, cut into slices. Counts and counterexample lengths do not depend on it. (Its speed
 * is measured by {@code handoff reference chain}, not here.)
 */
class ThinLevelsTest {
    /** A model that records which threads expanded it. */
    static final class Recording<S> implements Model<S> {
        final Model<S> m;
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        Recording(Model<S> m) {
            this.m = m;
        }

        public List<S> initialStates() {
            return m.initialStates();
        }

        public List<Action> actions() {
            return m.actions();
        }

        public S next(S state, int action) {
            threads.add(Thread.currentThread().getName());
            return m.next(state, action);
        }

        public List<Property<S>> properties() {
            return m.properties();
        }

        public boolean isTerminal(S state) {
            return m.isTerminal(state);
        }

        public StateCodec<S> codec() {
            return m.codec();
        }
    }

    @Test
    void aChainIsExpandedOnTheCallingThreadWithTwoWorkers() {
        Recording<Counters.Values> chain = new Recording<>(new Counters(1, 5_000));
        ExplorationResult r = Explorer.explore(PackedModels.of(chain), ExplorationSettings.defaults().withWorkers(2));
        assertEquals(5_000, r.statistics().distinctStates());
        assertEquals(4_999, r.properties().get(0).path().length(), "the shortest counterexample");
        assertTrue(chain.threads.stream().noneMatch(t -> t.startsWith("handoff-bfs")), "no level went to the pool: " + chain.threads);
        ExplorationResult one = Explorer.explore(PackedModels.of(new Counters(1, 5_000)), ExplorationSettings.defaults().withWorkers(1));
        assertEquals(one.statistics().distinctStates(), r.statistics().distinctStates());
        assertEquals(one.statistics().transitions(), r.statistics().transitions());
    }

    /** A wide graph still uses the pool: five counters modulo 12 have levels of thousands of states. */
    @Test
    void wideLevelsStillGoToThePool() {
        Recording<Counters.Values> wide = new Recording<>(new Counters(5, 12));
        ExplorationResult r = Explorer.explore(PackedModels.of(wide), ExplorationSettings.defaults().withWorkers(2)
                .withStopAtFirstViolation(false));
        assertEquals(248_832, r.statistics().distinctStates());
        assertTrue(wide.threads.stream().anyMatch(t -> t.startsWith("handoff-bfs")), wide.threads.toString());
    }

    /** Slices cover every state of a level once, a chunk at a time, whatever their size. */
    @Test
    void slicesCoverEveryStateOnce() {
        StateChunk a = new StateChunk(1);
        a.count = 1000;
        StateChunk b = new StateChunk(1);
        b.count = 70;
        for (int size : new int[] {32, 51, 1024}) {
            BreadthFirstSearch.Slices s = BreadthFirstSearch.Slices.of(List.of(a, b), size);
            int[] seen = new int[2];
            int last = -1;
            for (int k = 0; k < s.chunk().length; k++) {
                assertTrue(s.to()[k] - s.from()[k] <= size && s.to()[k] > s.from()[k]);
                assertTrue(s.chunk()[k] >= last, "chunk order");
                last = s.chunk()[k];
                seen[s.chunk()[k]] += s.to()[k] - s.from()[k];
            }
            assertEquals(1000, seen[0]);
            assertEquals(70, seen[1]);
        }
    }
}
