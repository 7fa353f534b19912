package dev.handoff.engine;

import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.Model;
import dev.handoff.engine.formalism.PackedModels;
import dev.handoff.engine.formalism.Property;
import dev.handoff.engine.formalism.StateCodec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's symmetry reduction on two counters that count to 3, independently: swapping them
 * is a symmetry of the runs. With a property that is symmetric too, the reduced search stores
 * 10 of the 16 states and gives the same verdict, with a counterexample that is a real run;
 * with a property that is not, the reduction is unsound and the verdicts differ: what the
 * command line's cross-check catches.
 */
class SymmetryReducedTest {
    record Pair(int x, int y) {
    }

    static Model<Pair> counters(Property<Pair> property) {
        return new Model<>() {
            @Override
            public List<Pair> initialStates() {
                return List.of(new Pair(0, 0));
            }

            @Override
            public List<Action> actions() {
                return List.of(new Action("inc-x", "x"), new Action("inc-y", "y"));
            }

            @Override
            public Pair next(Pair s, int a) {
                if (a == 0) {
                    return s.x() < 3 ? new Pair(s.x() + 1, s.y()) : null;
                }
                return s.y() < 3 ? new Pair(s.x(), s.y() + 1) : null;
            }

            @Override
            public List<Property<Pair>> properties() {
                return List.of(property);
            }

            @Override
            public boolean isTerminal(Pair s) {
                return s.x() == 3 && s.y() == 3;
            }

            @Override
            public Pair canonical(Pair s) {
                return s.x() <= s.y() ? s : new Pair(s.y(), s.x());
            }

            @Override
            public StateCodec<Pair> codec() {
                return new StateCodec<>() {
                    @Override
                    public int words() {
                        return 1;
                    }

                    @Override
                    public void encode(Pair s, long[] out, int off) {
                        out[off] = s.x() * 4L + s.y();
                    }

                    @Override
                    public Pair decode(long[] in, int off) {
                        return new Pair((int) (in[off] / 4), (int) (in[off] % 4));
                    }
                };
            }
        };
    }

    static ExplorationResult explore(Model<Pair> m, Reduction r) {
        return Explorer.explore(PackedModels.of(m), ExplorationSettings.defaults().withWorkers(1).withReduction(r));
    }

    @Test
    void aSymmetricPropertyKeepsItsVerdictOnFewerStates() {
        Model<Pair> m = counters(Property.always("not-both-at-3", p -> !(p.x() == 3 && p.y() == 3)));
        ExplorationResult full = explore(m, Reduction.NONE);
        ExplorationResult reduced = explore(m, Reduction.SYMMETRY);
        assertEquals(16, full.statistics().distinctStates());
        assertEquals(10, reduced.statistics().distinctStates(), "pairs x <= y");
        PropertyResult p = reduced.property("not-both-at-3").orElseThrow();
        assertEquals(Verdict.VIOLATED, p.verdict());
        assertEquals(full.property("not-both-at-3").orElseThrow().verdict(), p.verdict());
        Path path = p.paths().get(0);
        assertEquals(6, path.length(), "a shortest run");
        long[] s = {0};
        for (int a : path.actions()) {
            long[] n = new long[1];
            assertTrue(PackedModels.of(m).next(s, 0, a, n, 0), "each lifted step is a real step");
            s = n;
        }
        assertEquals(15, s[0], "the real run ends in (3, 3)");
    }

    @Test
    void anAsymmetricPropertyIsWhatTheCrossCheckCatches() {
        Model<Pair> m = counters(Property.always("x-not-ahead-at-3", p -> !(p.x() == 3 && p.y() == 0)));
        assertEquals(Verdict.VIOLATED, explore(m, Reduction.NONE).property("x-not-ahead-at-3").orElseThrow().verdict());
        assertEquals(Verdict.HOLDS, explore(m, Reduction.SYMMETRY).property("x-not-ahead-at-3").orElseThrow().verdict(),
                "(3, 0) is stored as (0, 3): the model's canonical form is not a symmetry of this property");
    }
}
