package dev.handoff.checker.engine;

import dev.handoff.checker.reference.Counters;
import dev.handoff.model.formalism.Action;
import dev.handoff.model.formalism.Model;
import dev.handoff.model.formalism.PackedModels;
import dev.handoff.model.formalism.Property;
import dev.handoff.model.formalism.StateCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Levels too small to share (one chunk, or fewer than {@link BreadthFirstSearch#SERIAL_STATES}
 * states) are expanded on the calling thread: a deep, thin graph never pays a pool hand-off per
 * level, and wide levels still go to every worker. Counts and counterexample lengths do not depend
 * on it. (Its speed is measured by {@code handoff reference chain}, not here.)
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
}
