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
    }
}
