package dev.handoff.engine.formalism;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter from readable models to packed ones, and the codec round trip it relies on. */
class PackedModelsTest {
    /** A pair of counters; action 0 increments a up to 3, action 1 moves a into b. */
    record Pair(int a, long b) {
    }

    static final StateCodec<Pair> CODEC = new StateCodec<>() {
        @Override
        public int words() {
            return 2;
        }

        @Override
        public void encode(Pair p, long[] out, int off) {
            out[off] = p.a();
            out[off + 1] = p.b();
        }

        @Override
        public Pair decode(long[] in, int off) {
            return new Pair((int) in[off], in[off + 1]);
        }
    };

    static Model<Pair> model(List<Pair> initial, List<Action> actions) {
        return new Model<>() {
            @Override
            public List<Pair> initialStates() {
                return initial;
            }

            @Override
            public List<Action> actions() {
                return actions;
            }

            @Override
            public Pair next(Pair s, int action) {
                return switch (action) {
                    case 0 -> s.a() < 3 ? new Pair(s.a() + 1, s.b()) : null;
                    default -> s.a() > 0 ? new Pair(0, s.b() + s.a()) : null;
                };
            }

            @Override
            public List<Property<Pair>> properties() {
                return List.of(Property.always("b-small", s -> s.b() < 10), Property.sometimes("a-full", s -> s.a() == 3));
            }

            @Override
            public boolean isTerminal(Pair s) {
                return s.b() > 100;
            }

            @Override
            public StateCodec<Pair> codec() {
                return CODEC;
            }
        };
    }

    static final List<Action> ACTIONS = List.of(new Action("inc", "a"), new Action("move", "b"));

    @Test
    void codecRoundTrip() {
        SplittableRandom rnd = new SplittableRandom(1);
        long[] buf = new long[5];
        for (int i = 0; i < 10_000; i++) {
            Pair p = new Pair(rnd.nextInt(), rnd.nextLong());
            int off = rnd.nextInt(4);
            CODEC.encode(p, buf, off);
            assertEquals(p, CODEC.decode(buf, off));
        }
    }

    @Test
    void adapterComputesSuccessorsPropertiesAndTerminals() {
        PackedModel m = PackedModels.of(model(List.of(new Pair(0, 0)), ACTIONS));
        assertEquals(2, m.stateWords());
        long[] s = new long[2];
        m.initialState(0, s, 0);
        long[] n = new long[4];
        assertTrue(m.next(s, 0, 0, n, 2));
        assertEquals(new Pair(1, 0), CODEC.decode(n, 2));
        assertFalse(m.next(s, 0, 1, n, 0), "move needs a > 0");
        assertEquals(0b01, m.evaluate(s, 0), "b-small holds, a-full not reached");
        long[] full = {3, 50};
        assertEquals(0b10, m.evaluate(full, 0), "b-small fails, a-full reached");
        assertFalse(m.isTerminal(full, 0));
        assertTrue(m.isTerminal(new long[] {0, 101}, 0));
        assertEquals("Pair[a=3, b=50]", m.describe(full, 0));
    }

    @Test
    void decodedStateCacheFollowsTheWords() {
        PackedModel m = PackedModels.of(model(List.of(new Pair(0, 0)), ACTIONS));
        long[] buf = {2, 7};
        long[] out = new long[2];
        assertTrue(m.next(buf, 0, 1, out, 0));
        assertEquals(new Pair(0, 9), CODEC.decode(out, 0));
        buf[1] = 1;
        assertTrue(m.next(buf, 0, 1, out, 0));
        assertEquals(new Pair(0, 3), CODEC.decode(out, 0), "the same array with new words is decoded again");
    }

    @Test
    void rejectsModelsTheEngineCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> PackedModels.of(model(List.of(), ACTIONS)));
        assertThrows(IllegalArgumentException.class, () -> PackedModels.of(model(List.of(new Pair(0, 0)), List.of())));
        IllegalArgumentException nulls = assertThrows(IllegalArgumentException.class, () -> PackedModels.of(model(List.of(new Pair(0, 0)), null)));
        assertEquals("the model's actions() returned null (an empty list, if none, where a list is asked)", nulls.getMessage());
        IllegalArgumentException holes = assertThrows(IllegalArgumentException.class,
                () -> PackedModels.of(model(List.of(new Pair(0, 0)), java.util.Arrays.asList(ACTIONS.get(0), null))));
        assertEquals("the model's actions() returned a list holding null at position 1", holes.getMessage());
    }

    /** Two properties of one name would make a result's property(name) ambiguous: refused before the run. */
    @Test
    void rejectsTwoPropertiesOfOneName() {
        Model<Pair> twice = Models.withProperties(model(List.of(new Pair(0, 0)), ACTIONS),
                List.of(Property.always("b-small", s -> s.b() < 10), Property.sometimes("b-small", s -> s.a() == 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dev.handoff.engine.Explorer.explore(PackedModels.of(twice), dev.handoff.engine.ExplorationSettings.defaults()));
        assertEquals("a model's property names must differ: b-small is declared twice", e.getMessage());
    }
}
