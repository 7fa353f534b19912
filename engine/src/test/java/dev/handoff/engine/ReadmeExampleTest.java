package dev.handoff.engine;

import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.Model;
import dev.handoff.engine.formalism.PackedModels;
import dev.handoff.engine.formalism.Property;
import dev.handoff.engine.formalism.StateCodec;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's third-party model example, verbatim in its logic, compiled and run. */
class ReadmeExampleTest {
    record Mutex(int owner, int pc0, int pc1) {
    }

    static class MutexModel implements Model<Mutex> {
        public List<Mutex> initialStates() {
            return List.of(new Mutex(-1, 0, 0));
        }

        public List<Action> actions() {
            return List.of(new Action("lock", "p0"), new Action("unlock", "p0"),
                    new Action("lock", "p1"), new Action("unlock", "p1"));
        }

        public Mutex next(Mutex s, int action) {
            return switch (action) {
                case 0 -> s.owner() == -1 && s.pc0() == 0 ? new Mutex(0, 1, s.pc1()) : null;
                case 1 -> s.pc0() == 1 ? new Mutex(-1, 0, s.pc1()) : null;
                case 2 -> s.owner() == -1 && s.pc1() == 0 ? new Mutex(1, s.pc0(), 1) : null;
                case 3 -> s.pc1() == 1 ? new Mutex(-1, s.pc0(), 0) : null;
                default -> throw new IllegalArgumentException("no action " + action);
            };
        }

        public List<Property<Mutex>> properties() {
            return List.of(Property.always("mutual-exclusion", s -> !(s.pc0() == 1 && s.pc1() == 1)),
                    Property.sometimes("p1-enters", s -> s.pc1() == 1));
        }

        public StateCodec<Mutex> codec() {
            return new StateCodec<>() {
                public int words() {
                    return 1;
                }

                public void encode(Mutex s, long[] out, int off) {
                    out[off] = (s.owner() + 1) << 2 | s.pc0() << 1 | s.pc1();
                }

                public Mutex decode(long[] in, int off) {
                    int w = (int) in[off];
                    return new Mutex((w >> 2) - 1, w >> 1 & 1, w & 1);
                }
            };
        }
    }

    /** The README's hand-packed mutex, verbatim in its logic. */
    static class PackedMutex implements dev.handoff.engine.formalism.PackedModel {
        public int stateWords() {
            return 1;
        }

        public List<Action> actions() {
            return new MutexModel().actions();
        }

        public List<dev.handoff.engine.formalism.PropertySpec> properties() {
            return List.of(new dev.handoff.engine.formalism.PropertySpec("mutual-exclusion", dev.handoff.engine.formalism.PropertyKind.ALWAYS),
                    new dev.handoff.engine.formalism.PropertySpec("p1-enters", dev.handoff.engine.formalism.PropertyKind.SOMETIMES));
        }

        public int initialStateCount() {
            return 1;
        }

        public void initialState(int index, long[] out, int off) {
            out[off] = 0;
        }

        public boolean next(long[] src, int srcOff, int action, long[] dst, int dstOff) {
            long w = src[srcOff], owner = w >> 2, pc0 = w >> 1 & 1, pc1 = w & 1;
            long n = switch (action) {
                case 0 -> owner == 0 && pc0 == 0 ? 1 << 2 | 1 << 1 | pc1 : -1;
                case 1 -> pc0 == 1 ? pc1 : -1;
                case 2 -> owner == 0 && pc1 == 0 ? 2 << 2 | pc0 << 1 | 1 : -1;
                case 3 -> pc1 == 1 ? pc0 << 1 : -1;
                default -> -1;
            };
            if (n < 0) {
                return false;
            }
            dst[dstOff] = n;
            return true;
        }

        public long evaluate(long[] s, int off) {
            return ((s[off] & 3) == 3 ? 0 : 1) | (s[off] & 1) << 1;
        }

        public boolean isTerminal(long[] s, int off) {
            return false;
        }

        public String describe(long[] s, int off) {
            return "owner+1=" + (s[off] >> 2) + " pc0=" + (s[off] >> 1 & 1) + " pc1=" + (s[off] & 1);
        }
    }

    /** Packed by hand, the mutex is the same graph: each state's words are its codec's, so the two runs agree word for word. */
    @Test
    void thePackedExampleIsTheSameModel() {
        dev.handoff.engine.formalism.PackedModel records = PackedModels.of(new MutexModel());
        ExplorationSettings all = ExplorationSettings.defaults().withExhaustive(true);
        ExplorationResult packed = Explorer.explore(new PackedMutex(), all);
        ExplorationResult viaCodec = Explorer.explore(records, all);
        assertEquals(viaCodec.statistics().distinctStates(), packed.statistics().distinctStates());
        assertEquals(viaCodec.statistics().transitions(), packed.statistics().transitions());
        assertEquals(3, packed.statistics().distinctStates());
        assertEquals(Verdict.HOLDS, packed.property("mutual-exclusion").orElseThrow().verdict());
        dev.handoff.engine.Path witness = packed.property("p1-enters").orElseThrow().path();
        assertEquals(viaCodec.property("p1-enters").orElseThrow().path(), witness);
        assertEquals("initial state 0: owner+1=0 pc0=0 pc1=0\n1. p1: lock -> owner+1=2 pc0=0 pc1=1", witness.render(new PackedMutex()));
        assertTrue(Explorer.explore(new PackedMutex(), all.withCheckDeterminism(true)).internalError() == null);
    }

    @Test
    void theExampleRunsAsTheReadmeSays() {
        dev.handoff.engine.formalism.PackedModel model = PackedModels.of(new MutexModel());
        ExplorationResult r = Explorer.explore(model, ExplorationSettings.defaults().withWorkers(2));
        assertEquals(Verdict.HOLDS, r.property("mutual-exclusion").orElseThrow().verdict());
        dev.handoff.engine.Path witness = r.property("p1-enters").orElseThrow().path();
        assertEquals(1, witness.length());
        assertEquals("initial state 0: Mutex[owner=-1, pc0=0, pc1=0]\n1. p1: lock -> Mutex[owner=1, pc0=0, pc1=1]",
                witness.render(model));
        assertEquals(witness, Explorer.explore(model, ExplorationSettings.defaults().withWorkers(1))
                .property("p1-enters").orElseThrow().path(), "paths compare by content");
        assertEquals(3, r.statistics().distinctStates());
    }

    @Test
    void theReadmeStillShowsThisExample() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        assertTrue(text.contains("case 2 -> s.owner() == -1 && s.pc1() == 0 ? new Mutex(1, s.pc0(), 1) : null;"));
        assertTrue(text.contains("r.statistics().distinctStates();                          // 3"));
        assertTrue(text.contains("        // 1. p1: lock -> Mutex[owner=1, pc0=0, pc1=1]"));
        assertTrue(text.contains("            case 2 -> owner == 0 && pc1 == 0 ? 2 << 2 | pc0 << 1 | 1 : -1;"));
        assertTrue(text.contains("        return ((s[off] & 3) == 3 ? 0 : 1) | (s[off] & 1) << 1;"));
    }
}
