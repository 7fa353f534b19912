package dev.handoff.engine;

import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.PackedModel;
import dev.handoff.engine.formalism.PropertyKind;
import dev.handoff.engine.formalism.PropertySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --check-determinism} ({@link ExplorationSettings#checkDeterminism}) catches a model
 * whose methods are not pure functions of the state where the impurity happens, even off every
 * reported path, for any worker count and either strategy; the run then reports what it knew as
 * an internal error and never says HOLDS. And a model that lists its enabled actions
 * ({@link PackedModel#enabledActions}) explores the same graph without the engine trying the
 * actions it left off.
 */
class ModelPurityTest {
    static Stream<Arguments> searches() {
        return Stream.of(
                Arguments.of(SearchStrategy.BFS, 1), Arguments.of(SearchStrategy.BFS, 2),
                Arguments.of(SearchStrategy.BFS, 4), Arguments.of(SearchStrategy.DFS, 1));
    }

    /** Where a walker's model misbehaves. */
    enum Fault { NONE, NEXT, EVALUATE, LIST, THROW, UNORDERED, EVALUATE_THROWS, TERMINAL_THROWS }

    /**
     * A walker on 0..n-1 with actions step (x+1) and back (x-1, from 1), and {@code extra}
     * actions that never fire; invariant {@code bounded} (x < n) always holds. With a fault, one
     * method misbehaves at one state, far from any path the run would report.
     */
    static class Walker implements PackedModel {
        final int n;
        final Fault fault;
        final boolean lists;
        final List<Action> actions = new ArrayList<>();
        final AtomicLong calls = new AtomicLong();
        final AtomicLong nextCalls = new AtomicLong();

        Walker(int n, Fault fault, boolean lists, int extra) {
            this.n = n;
            this.fault = fault;
            this.lists = lists;
            actions.add(new Action("step", ""));
            actions.add(new Action("back", ""));
            for (int i = 0; i < extra; i++) {
                actions.add(new Action("never(" + i + ")", ""));
            }
        }

        @Override
        public boolean next(long[] src, int srcOff, int action, long[] dst, int dstOff) {
            nextCalls.incrementAndGet();
            long x = src[srcOff];
            if (fault == Fault.THROW && action == 0 && x == n / 2) {
                throw new IllegalStateException("boom");
            }
            if (action == 0 && x + 1 < n) {
                long to = x + 1;
                if (fault == Fault.NEXT && x == n / 2 && calls.incrementAndGet() % 2 == 0) {
                    to = 0; // the second call from the middle goes elsewhere
                }
                dst[dstOff] = to;
                return true;
            }
            if (action == 1 && x > 0) {
                dst[dstOff] = x - 1;
                return true;
            }
            return false;
        }

        @Override
        public int enabledActions(long[] state, int off, int[] out) {
            if (!lists) {
                return -1;
            }
            long x = state[off];
            int k = 0;
            if (fault == Fault.UNORDERED && x == n / 2) {
                out[k++] = 1;
                out[k++] = 0;
                return k;
            }
            if (x + 1 < n && !(fault == Fault.LIST && x == n / 2)) {
                out[k++] = 0;
            }
            if (x > 0) {
                out[k++] = 1;
            }
            return k;
        }

        @Override
        public long evaluate(long[] state, int off) {
            if (fault == Fault.EVALUATE_THROWS && state[off] == n / 2) {
                throw new IllegalStateException("boom");
            }
            boolean holds = state[off] < n;
            if (fault == Fault.EVALUATE && state[off] == n / 2 && calls.incrementAndGet() % 2 == 0) {
                holds = !holds;
            }
            return holds ? 1 : 0;
        }

        public int stateWords() {
            return 1;
        }

        public List<Action> actions() {
            return actions;
        }

        public List<PropertySpec> properties() {
            return List.of(new PropertySpec("bounded", PropertyKind.ALWAYS));
        }

        public int initialStateCount() {
            return 1;
        }

        public void initialState(int index, long[] out, int off) {
            out[off] = 0;
        }

        public boolean isTerminal(long[] state, int off) {
            if (fault == Fault.TERMINAL_THROWS) {
                throw new IllegalStateException("boom");
            }
            return false;
        }

        public String describe(long[] state, int off) {
            return "x=" + state[off];
        }
    }

    /**
     * A model method that throws ends the run as an internal error naming the exception, the
     * state and the action, with everything found so far; the invariant is not HOLDS.
     */
    @ParameterizedTest
    @MethodSource("searches")
    void aModelThatThrowsIsAnInternalErrorNamingStateAndAction(SearchStrategy strategy, int workers) {
        Walker m = new Walker(40, Fault.THROW, false, 0);
        ExplorationResult r = Explorer.explore(m, settings(strategy, workers).withCheckDeadlock(false));
        assertTrue(r.internalError().startsWith("the model threw java.lang.IllegalStateException: boom at "), r.internalError());
        assertTrue(r.internalError().endsWith(" expanding state x=20, action 0 (step)"), r.internalError());
        assertEquals("internal error: the model failed", r.stopReason());
        assertEquals(Verdict.INCONCLUSIVE, r.properties().get(0).verdict());
        assertTrue(r.statistics().distinctStates() >= 21, "the states before it are counted");
    }

    /**
     * A property that throws, and an isTerminal that throws, are named the same way whatever the
     * strategy or worker count: the state, and no action (none was being taken).
     */
    @ParameterizedTest
    @MethodSource("searches")
    void failuresOutsideAnActionNameTheStateOnly(SearchStrategy strategy, int workers) {
        ExplorationResult p = Explorer.explore(new Walker(40, Fault.EVALUATE_THROWS, false, 0), settings(strategy, workers));
        assertTrue(p.internalError().startsWith("the model threw java.lang.IllegalStateException: boom at "), p.internalError());
        assertTrue(p.internalError().endsWith(" evaluating its properties in state x=20"), p.internalError());
        assertEquals("internal error: the model failed", p.stopReason());
        // n = 1: the only state has no successor, so isTerminal is asked (deadlock checking is on)
        ExplorationResult t = Explorer.explore(new Walker(1, Fault.TERMINAL_THROWS, false, 0), settings(strategy, workers));
        assertTrue(t.internalError().endsWith(" expanding state x=0"), t.internalError());
    }

    /**
     * A model that throws only while a found path is replayed (its initial state, asked again)
     * costs the path, not the run: the result keeps the verdict and counts the search reached and
     * names the failure as an internal error.
     */
    @ParameterizedTest
    @MethodSource("searches")
    void aModelThatThrowsDuringTheReplayKeepsTheResult(SearchStrategy strategy, int workers) {
        AtomicLong initials = new AtomicLong();
        PackedModel m = new dev.handoff.engine.formalism.ForwardingPackedModel(new dev.handoff.engine.reference.CountersPacked(2, 3, false)) {
            @Override
            public void initialState(int index, long[] out, int off) {
                if (initials.incrementAndGet() > 1) {
                    throw new ArrayIndexOutOfBoundsException("replay");
                }
                super.initialState(index, out, off);
            }
        };
        ExplorationResult r = Explorer.explore(m, settings(strategy, workers).withExhaustive(true));
        assertEquals(9, r.statistics().distinctStates());
        assertEquals(Verdict.VIOLATED, r.properties().get(0).verdict());
        assertTrue(r.properties().get(0).paths().isEmpty(), "the path that did not replay is left out");
        assertTrue(r.internalError().startsWith("replaying the path to property not-all-max failed:"
                + " java.lang.ArrayIndexOutOfBoundsException: replay"), r.internalError());
    }

    /**
     * A counter of {@link Box}es from {@code start} up to 5 with one action, {@code inc}, taken by
     * {@code next}; its codec writes a word past its one for values from {@code overrunFrom} on.
     */
    static dev.handoff.engine.formalism.Model<Box> counter(int start, java.util.function.UnaryOperator<Box> next, int overrunFrom) {
        return counter(start, next, overrunFrom, 1);
    }

    /** As above, the codec writing {@code past} words past its one. */
    static dev.handoff.engine.formalism.Model<Box> counter(int start, java.util.function.UnaryOperator<Box> next, int overrunFrom, int past) {
        return new dev.handoff.engine.formalism.Model<>() {
            public List<Box> initialStates() {
                return List.of(new Box(new int[] {start}));
            }

            public List<Action> actions() {
                return List.of(new Action("inc", ""));
            }

            public Box next(Box s, int action) {
                return next.apply(s);
            }

            public List<dev.handoff.engine.formalism.Property<Box>> properties() {
                return List.of(dev.handoff.engine.formalism.Property.always("small", b -> b.v()[0] < 10));
            }

            public dev.handoff.engine.formalism.StateCodec<Box> codec() {
                return new dev.handoff.engine.formalism.StateCodec<>() {
                    public int words() {
                        return 1;
                    }

                    public void encode(Box b, long[] out, int off) {
                        out[off] = b.v()[0];
                        if (b.v()[0] >= overrunFrom) {
                            out[off + past] = 7;
                        }
                    }

                    public Box decode(long[] in, int off) {
                        return new Box(new int[] {(int) in[off]});
                    }
                };
            }
        };
    }

    /** Counts from {@code start} to 5, and its codec writes a word past its one from 2 on. */
    static dev.handoff.engine.formalism.Model<Box> overrun(int start) {
        return counter(start, s -> s.v()[0] < 5 ? new Box(new int[] {s.v()[0] + 1}) : null, 2);
    }

    /** A record of one int, held in an array that a careless next changes in place. */
    record Box(int[] v) {
        @Override
        public String toString() {
            return java.util.Arrays.toString(v);
        }
    }

    /**
     * A next that changes its decoded source in place gives two different successors when asked
     * twice; the check says so and describes the source as its words say, not as changed.
     */
    @Test
    void aNextThatChangesItsSourceIsNamedWithTheSourceUnchanged() {
        dev.handoff.engine.formalism.Model<Box> careless = counter(0, s -> {
            s.v()[0]++;
            return s.v()[0] < 5 ? new Box(s.v().clone()) : null;
        }, Integer.MAX_VALUE);
        ExplorationResult r = Explorer.explore(dev.handoff.engine.formalism.PackedModels.of(careless),
                ExplorationSettings.defaults().withCheckDeterminism(true));
        assertTrue(r.internalError().startsWith("--check-determinism: the model gave two different successors under action inc ([1], then [2];"),
                r.internalError());
        assertTrue(r.internalError().contains("), in state [0] ("), r.internalError());
    }

    /**
     * A codec whose encode writes one word past the words it declares (into the engine's padding,
     * where a search would not notice) is caught by the check, for any search; when it does so
     * for an initial state, before the run.
     */
    @ParameterizedTest
    @MethodSource("searches")
    void anEncodeThatWritesPastItsWordsIsCaught(SearchStrategy strategy, int workers) {
        ExplorationResult r = Explorer.explore(dev.handoff.engine.formalism.PackedModels.of(overrun(0)),
                settings(strategy, workers).withCheckDeterminism(true).withCheckDeadlock(false));
        assertTrue(r.internalError() != null && r.internalError().contains("its codec's encode writes past the 1 word its words() declares, packing [2]"),
                String.valueOf(r.internalError()));
        assertNotEquals(Verdict.HOLDS, r.properties().get(0).verdict());
        IllegalArgumentException initial = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> dev.handoff.engine.formalism.PackedModels.of(overrun(3)));
        assertEquals("the codec's encode writes past the 1 word its words() declares, packing the initial state [3]", initial.getMessage());
        IllegalArgumentException further = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> dev.handoff.engine.formalism.PackedModels.of(counter(0, s -> null, 0, 2)));
        assertEquals("the codec's encode writes past the 1 word its words() declares, packing the initial state [0]", further.getMessage());
    }

    /** A record whose equals compares its array by identity, with a lossless codec, is no codec finding. */
    record Cells(int[] v) {
    }

    @Test
    void anIdentityEqualsIsNoCodecFinding() {
        dev.handoff.engine.formalism.Model<Cells> m = new dev.handoff.engine.formalism.Model<>() {
            public List<Cells> initialStates() {
                return List.of(new Cells(new int[] {0, 0}));
            }

            public List<Action> actions() {
                return List.of(new Action("inc0", ""), new Action("inc1", ""));
            }

            public Cells next(Cells c, int a) {
                if (c.v()[a] == 3) {
                    return null;
                }
                int[] v = c.v().clone();
                v[a]++;
                return new Cells(v);
            }

            public List<dev.handoff.engine.formalism.Property<Cells>> properties() {
                return List.of(dev.handoff.engine.formalism.Property.always("small", c -> c.v()[0] + c.v()[1] <= 6));
            }

            public dev.handoff.engine.formalism.StateCodec<Cells> codec() {
                return new dev.handoff.engine.formalism.StateCodec<>() {
                    public int words() {
                        return 1;
                    }

                    public void encode(Cells c, long[] out, int off) {
                        out[off] = c.v()[0] * 4L + c.v()[1];
                    }

                    public Cells decode(long[] in, int off) {
                        return new Cells(new int[] {(int) (in[off] / 4), (int) (in[off] % 4)});
                    }
                };
            }
        };
        ExplorationResult r = Explorer.explore(dev.handoff.engine.formalism.PackedModels.of(m),
                ExplorationSettings.defaults().withCheckDeadlock(false).withCheckDeterminism(true));
        assertNull(r.internalError());
        assertEquals(Verdict.HOLDS, r.properties().get(0).verdict());
        assertEquals(16, r.statistics().distinctStates());
        // and such a record is described with its array's contents, not the array's identity
        assertEquals("Cells[v=[3, 2]]", dev.handoff.engine.formalism.PackedModels.of(m).describe(new long[] {14}, 0));
    }

    /** A list of enabled actions out of order is a broken contract, named as such, with or without --check-determinism. */
    @ParameterizedTest
    @MethodSource("searches")
    void anUnorderedListIsAnInternalError(SearchStrategy strategy, int workers) {
        for (boolean check : new boolean[] {false, true}) {
            ExplorationResult r = Explorer.explore(new Walker(40, Fault.UNORDERED, true, 0),
                    settings(strategy, workers).withCheckDeadlock(false).withCheckDeterminism(check));
            assertEquals("enabledActions listed 0 at position 1, after 1 (the list must be ascending, without repeats)"
                    + " in state x=20", r.internalError(), "checkDeterminism " + check);
            assertNotEquals(Verdict.HOLDS, r.properties().get(0).verdict());
        }
    }

    /** A point on a 30 x 30 grid whose codec forgets y: every state with one x is one state to the search. */
    record Point(int x, int y) {
    }

    static dev.handoff.engine.formalism.Model<Point> lossyGrid() {
        return new dev.handoff.engine.formalism.Model<>() {
            public List<Point> initialStates() {
                return List.of(new Point(0, 0));
            }

            public List<Action> actions() {
                return List.of(new Action("right", ""), new Action("up", ""));
            }

            public Point next(Point p, int a) {
                return a == 0 ? p.x() < 29 ? new Point(p.x() + 1, p.y()) : null : p.y() < 29 ? new Point(p.x(), p.y() + 1) : null;
            }

            public List<dev.handoff.engine.formalism.Property<Point>> properties() {
                return List.of(dev.handoff.engine.formalism.Property.always("not-corner", p -> p.x() + p.y() < 58));
            }

            public dev.handoff.engine.formalism.StateCodec<Point> codec() {
                return new dev.handoff.engine.formalism.StateCodec<>() {
                    public int words() {
                        return 1;
                    }

                    public void encode(Point p, long[] out, int off) {
                        out[off] = p.x(); // y forgotten
                    }

                    public Point decode(long[] in, int off) {
                        return new Point((int) in[off], 0);
                    }
                };
            }
        };
    }

    /**
     * A codec that packs two states alike merges them: without the check the run says HOLDS over
     * 30 states (the corner is never seen); --check-determinism names the codec.
     */
    @ParameterizedTest
    @MethodSource("searches")
    void aLossyCodecIsCaughtByTheDeterminismCheck(SearchStrategy strategy, int workers) {
        ExplorationResult blind = Explorer.explore(dev.handoff.engine.formalism.PackedModels.of(lossyGrid()), settings(strategy, workers));
        assertEquals(Verdict.HOLDS, blind.properties().get(0).verdict(), "the merge is silent without the check");
        assertEquals(30, blind.statistics().distinctStates());
        ExplorationResult r = Explorer.explore(dev.handoff.engine.formalism.PackedModels.of(lossyGrid()),
                settings(strategy, workers).withCheckDeterminism(true));
        assertTrue(r.internalError().matches(".*does not survive its codec: its codec packs Point\\[x=(\\d+), y=1] as words that"
                + " decode to Point\\[x=\\1, y=0] \\(decode\\(encode\\(s\\)\\) must equal s.*"), r.internalError());
        assertNotEquals(Verdict.HOLDS, r.properties().get(0).verdict());
    }

    static ExplorationSettings settings(SearchStrategy strategy, int workers) {
        return ExplorationSettings.defaults().withStrategy(strategy).withWorkers(workers);
    }

    @ParameterizedTest(name = "{0} workers={1}")
    @MethodSource("searches")
    void anImpureSuccessorOffEveryPathIsCaughtOnlyWhenAsked(SearchStrategy strategy, int workers) {
        ExplorationResult unchecked = Explorer.explore(new Walker(400, Fault.NEXT, false, 0), settings(strategy, workers));
        assertNull(unchecked.internalError(), "without the check nothing notices");
        assertEquals(Verdict.HOLDS, unchecked.properties().get(0).verdict());

        ExplorationResult r = Explorer.explore(new Walker(400, Fault.NEXT, false, 0),
                settings(strategy, workers).withCheckDeterminism(true));
        assertTrue(r.internalError() != null && r.internalError().contains("two different successors under action step")
                && r.internalError().contains("x=200"), String.valueOf(r.internalError()));
        assertNotEquals(Verdict.HOLDS, r.properties().get(0).verdict(), "a run cut short by an impure model proves nothing");
        assertTrue(r.stopReason().contains("not deterministic"), r.stopReason());
        assertTrue(r.statistics().distinctStates() > 0, "what was known is still reported");
    }

    @ParameterizedTest(name = "{0} workers={1}")
    @MethodSource("searches")
    void anImpurePropertyIsCaught(SearchStrategy strategy, int workers) {
        ExplorationResult r = Explorer.explore(new Walker(400, Fault.EVALUATE, false, 0),
                settings(strategy, workers).withCheckDeterminism(true));
        assertTrue(r.internalError() != null && r.internalError().contains("evaluated property bounded twice"),
                String.valueOf(r.internalError()));
        assertNotEquals(Verdict.HOLDS, r.properties().get(0).verdict());
    }

    @ParameterizedTest(name = "{0} workers={1}")
    @MethodSource("searches")
    void aListThatLeavesOffAFiringActionIsCaught(SearchStrategy strategy, int workers) {
        ExplorationResult r = Explorer.explore(new Walker(400, Fault.LIST, true, 0),
                settings(strategy, workers).withCheckDeterminism(true));
        assertTrue(r.internalError() != null && r.internalError().contains("left action step off its list"),
                String.valueOf(r.internalError()));
    }

    @ParameterizedTest(name = "{0} workers={1}")
    @MethodSource("searches")
    void aPureModelPassesTheCheckWithTheSameResult(SearchStrategy strategy, int workers) {
        ExplorationResult plain = Explorer.explore(new Walker(400, Fault.NONE, true, 3), settings(strategy, workers));
        ExplorationResult checked = Explorer.explore(new Walker(400, Fault.NONE, true, 3),
                settings(strategy, workers).withCheckDeterminism(true));
        assertNull(checked.internalError());
        assertEquals(DeterminismTest.render(plain), DeterminismTest.render(checked));
    }

    /**
     * Listing the enabled actions: the same graph, counts and firings as trying every action, and
     * the engine calls {@code next} only for listed actions (two per state here, out of 5,002).
     */
    @ParameterizedTest(name = "{0} workers={1}")
    @MethodSource("searches")
    void listedActionsAreTheOnlyOnesTried(SearchStrategy strategy, int workers) {
        Walker all = new Walker(300, Fault.NONE, false, 5_000);
        Walker listed = new Walker(300, Fault.NONE, true, 5_000);
        ExplorationResult a = Explorer.explore(all, settings(strategy, workers));
        ExplorationResult l = Explorer.explore(listed, settings(strategy, workers));
        assertEquals(DeterminismTest.render(a), DeterminismTest.render(l));
        assertEquals(300, l.statistics().distinctStates());
        assertTrue(all.nextCalls.get() >= 300L * 5_002, "without a list every action is tried: " + all.nextCalls.get());
        assertTrue(listed.nextCalls.get() <= 4L * 300, "with a list only the listed ones: " + listed.nextCalls.get());
    }

    @Test
    void partialOrderReductionUsesTheListToo() {
        Walker listed = new Walker(300, Fault.NONE, true, 5_000) {
            @Override
            public List<dev.handoff.engine.formalism.Footprint> footprints() {
                // every action reads and writes the one variable: nothing commutes
                dev.handoff.engine.formalism.Footprint f = dev.handoff.engine.formalism.Footprint.of(
                        new int[] {0}, new int[] {0}, new int[] {0}, false, false);
                return java.util.Collections.nCopies(actions.size(), f);
            }

            @Override
            public boolean next(long[] src, int srcOff, int action, long[] dst, int dstOff) {
                return action != 1 && super.next(src, srcOff, action, dst, dstOff); // no way back: acyclic
            }

            @Override
            public boolean acyclic() {
                return true;
            }
        };
        ExplorationResult r = Explorer.explore(listed, ExplorationSettings.defaults()
                .withReduction(Reduction.POR));
        assertEquals(300, r.statistics().distinctStates());
        assertTrue(listed.nextCalls.get() <= 4L * 300, String.valueOf(listed.nextCalls.get()));
    }
}
