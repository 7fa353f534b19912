package dev.handoff.engine;

import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.Footprint;
import dev.handoff.engine.formalism.Model;
import dev.handoff.engine.formalism.PackedModels;
import dev.handoff.engine.formalism.Property;
import dev.handoff.engine.formalism.StateCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's partial-order reduction on four counters that each count to m (one variable
 * each), plus an optional alarm that latches a failure when counter 0 reaches m. The properties
 * read counters 0 and 3, so increments 1 and 2 are invisible and the reduced search runs them
 * one after the other, ahead of the rest: 2m + (m+1)² states instead of (m+1)⁴, with the same
 * verdicts, the same deadlocks and real runs as counterexamples. A footprint that lies (a guard
 * read left out) makes the reduction miss a deadlock: what the command line's cross-check is
 * there to catch.
 */
class PartialOrderReductionTest {
    static final int K = 4;
    static final int M = 3;

    /**
     * @param terminalAtTop whether the all-at-m state is final (else it is a deadlock)
     * @param alarm         add the latching action
     * @param coupled       counter 1 moves only while counter 2 is 0 (it can be stranded)
     * @param lie           counter 1's footprint leaves out that its guard reads counter 2
     */
    static Model<int[]> counters(boolean terminalAtTop, boolean alarm, boolean coupled, boolean lie, boolean acyclic) {
        return new Model<>() {
            @Override
            public List<int[]> initialStates() {
                return List.of(new int[K + 1]);
            }

            @Override
            public List<Action> actions() {
                List<Action> a = new ArrayList<>();
                for (int i = 0; i < K; i++) {
                    a.add(new Action("inc(" + i + ")", "counter " + i));
                }
                a.add(new Action("alarm", "watchdog"));
                return a;
            }

            @Override
            public int[] next(int[] s, int a) {
                if (s[K] != 0) {
                    return null; // latched
                }
                int[] n = s.clone();
                if (a == K) {
                    if (!alarm || s[0] != M) {
                        return null;
                    }
                    n[K] = 1;
                    return n;
                }
                if (s[a] == M || coupled && a == 1 && s[2] != 0) {
                    return null;
                }
                n[a]++;
                return n;
            }

            @Override
            public List<Property<int[]>> properties() {
                return List.of(Property.always("counter-0-below-top", s -> s[0] < M),
                        Property.always("counter-3-below-top", s -> s[3] < M),
                        Property.always("no-alarm", s -> s[K] == 0));
            }

            @Override
            public boolean isTerminal(int[] s) {
                return s[K] != 0 || terminalAtTop && Arrays.stream(s, 0, K).allMatch(v -> v == M);
            }

            /** Variable i is counter i; variable K is the latch. */
            @Override
            public List<Footprint> footprints() {
                List<Footprint> f = new ArrayList<>();
                for (int i = 0; i < K; i++) {
                    boolean visible = i == 0 || i == 3; // what the properties read
                    int[] guard = i == 1 && coupled && !lie ? new int[]{1, 2, K} : new int[]{i, K};
                    f.add(Footprint.of(guard, new int[0], new int[]{i}, visible, false));
                }
                f.add(Footprint.of(new int[]{0, K}, new int[0], new int[]{K}, true, true));
                return f;
            }

            @Override
            public boolean retired(int[] s, int a) {
                return s[K] != 0 || a < K && s[a] == M || a == K && !alarm;
            }

            @Override
            public boolean acyclic() {
                return acyclic;
            }

            @Override
            public StateCodec<int[]> codec() {
                return new StateCodec<>() {
                    @Override
                    public int words() {
                        return 1;
                    }

                    @Override
                    public void encode(int[] s, long[] out, int off) {
                        long w = 0;
                        for (int i = K; i >= 0; i--) {
                            w = w * 8 + s[i];
                        }
                        out[off] = w;
                    }

                    @Override
                    public int[] decode(long[] in, int off) {
                        int[] s = new int[K + 1];
                        long w = in[off];
                        for (int i = 0; i <= K; i++) {
                            s[i] = (int) (w % 8);
                            w /= 8;
                        }
                        return s;
                    }
                };
            }
        };
    }

    static ExplorationResult explore(Model<int[]> m, Reduction r, SearchStrategy strategy) {
        return Explorer.explore(PackedModels.of(m), ExplorationSettings.defaults().withWorkers(1).withReduction(r)
                .withStrategy(strategy));
    }

    @ParameterizedTest
    @EnumSource(SearchStrategy.class)
    void independentInvisibleCountersRunOneAfterTheOther(SearchStrategy strategy) {
        Model<int[]> m = counters(true, false, false, false, true);
        ExplorationResult full = explore(m, Reduction.NONE, strategy);
        ExplorationResult por = explore(m, Reduction.POR, strategy);
        assertEquals((long) Math.pow(M + 1, K), full.statistics().distinctStates());
        assertEquals(2L * M + (M + 1) * (M + 1), por.statistics().distinctStates(),
                "counter 1 to the top, then counter 2, then every interleaving of 0 and 3");
        for (String p : List.of("counter-0-below-top", "counter-3-below-top", "no-alarm")) {
            assertEquals(full.property(p).orElseThrow().verdict(), por.property(p).orElseThrow().verdict(), p);
        }
        assertEquals(Verdict.VIOLATED, por.property("counter-0-below-top").orElseThrow().verdict());
        assertNull(por.deadlock());
    }

    @Test
    void porWithSymmetryOnAModelWithoutSymmetryIsPor() {
        Model<int[]> m = counters(true, false, false, false, true);
        assertEquals(explore(m, Reduction.POR, SearchStrategy.BFS).statistics().distinctStates(),
                explore(m, Reduction.POR_SYMMETRY, SearchStrategy.BFS).statistics().distinctStates());
    }

    @Test
    void deadlocksAreKept() {
        Model<int[]> m = counters(false, false, false, false, true);
        assertNotNull(explore(m, Reduction.NONE, SearchStrategy.BFS).deadlock());
        Path d = explore(m, Reduction.POR, SearchStrategy.BFS).deadlock();
        assertNotNull(d, "the all-at-top state is still reached");
        assertEquals(Long.parseLong("3333", 8), d.last()[0], "and it is the one dead state");
    }

    @Test
    void aStrandedCounterIsFoundWhenTheFootprintSaysWhatTheGuardReads() {
        Model<int[]> honest = counters(true, false, true, false, true);
        assertNotNull(explore(honest, Reduction.NONE, SearchStrategy.BFS).deadlock(), "counter 2 first strands counter 1");
        assertNotNull(explore(honest, Reduction.POR, SearchStrategy.BFS).deadlock(),
                "inc(1) and inc(2) are dependent, both orders are followed");
        assertNotNull(explore(honest, Reduction.POR, SearchStrategy.DFS).deadlock());
    }

    @Test
    void aLyingFootprintHidesADeadlockTheUnreducedSearchFinds() {
        Model<int[]> liar = counters(true, false, true, true, true);
        assertNotNull(explore(liar, Reduction.NONE, SearchStrategy.BFS).deadlock());
        assertNull(explore(liar, Reduction.POR, SearchStrategy.BFS).deadlock(),
                "inc(1) alone was followed while it could move, so counter 2 never moved first");
    }

    @Test
    void aLatchingActionIsNotLostBehindADeferredOne() {
        Model<int[]> m = counters(true, true, false, false, true);
        ExplorationResult full = explore(m, Reduction.NONE, SearchStrategy.BFS);
        ExplorationResult por = explore(m, Reduction.POR, SearchStrategy.BFS);
        assertEquals(Verdict.VIOLATED, full.property("no-alarm").orElseThrow().verdict());
        assertEquals(Verdict.VIOLATED, por.property("no-alarm").orElseThrow().verdict());
        assertTrue(por.statistics().distinctStates() < full.statistics().distinctStates());
        assertNull(por.deadlock());
        Path p = por.property("no-alarm").orElseThrow().paths().get(0);
        long[] s = new long[1];
        PackedModels.of(m).initialState(0, s, 0);
        for (int a : p.actions()) {
            long[] n = new long[1];
            assertTrue(PackedModels.of(m).next(s, 0, a, n, 0), "every step of the counterexample is a real step");
            s = n;
        }
    }

    @Test
    void aModelWithoutFootprintsOrAcyclicityIsRefused() {
        IllegalArgumentException cyclic = assertThrows(IllegalArgumentException.class,
                () -> explore(counters(true, false, false, false, false), Reduction.POR, SearchStrategy.BFS));
        assertTrue(cyclic.getMessage().contains("acyclic"), cyclic.getMessage());
        Model<int[]> bare = counters(true, false, false, false, true);
        Model<int[]> noFootprints = new Model<>() {
            @Override
            public List<int[]> initialStates() {
                return bare.initialStates();
            }

            @Override
            public List<Action> actions() {
                return bare.actions();
            }

            @Override
            public int[] next(int[] s, int a) {
                return bare.next(s, a);
            }

            @Override
            public List<Property<int[]>> properties() {
                return bare.properties();
            }

            @Override
            public StateCodec<int[]> codec() {
                return bare.codec();
            }
        };
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> explore(noFootprints, Reduction.POR, SearchStrategy.BFS));
        assertTrue(none.getMessage().contains("footprints"), none.getMessage());
    }
}
