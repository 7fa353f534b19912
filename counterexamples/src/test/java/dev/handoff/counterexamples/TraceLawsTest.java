package dev.handoff.counterexamples;

import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.handoff.StateFields;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Policies;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.properties.HandoffProperties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Laws of traces: they replay, shrinking keeps them violating, and tampering is caught where it happens. */
class TraceLawsTest {
    record Setup(String policy, String mapping, String tables) {
        HandoffModel model() {
            return new HandoffModel(Scenario.of(Platforms.C630, policy,
                    Map.of(Knobs.FW_MAPPING, mapping, Knobs.FW_TABLES, tables)), true);
        }
    }

    @Provide
    Arbitrary<Setup> setups() {
        return net.jqwik.api.Combinators.combine(
                Arbitraries.of(Policies.all().stream().map(p -> p.name()).toList()),
                Arbitraries.of("identity", "translated"), Arbitraries.of("reserved", "unreserved")).as(Setup::new);
    }

    /** A random run: at each step one enabled action, chosen by the seed, until none or {@code length} steps. */
    static List<Integer> randomWalk(HandoffModel m, long seed, int length) {
        Random rnd = new Random(seed);
        List<Integer> out = new ArrayList<>();
        HandoffState s = m.initialStates().get(0);
        for (int i = 0; i < length; i++) {
            List<Integer> enabled = new ArrayList<>();
            for (int a = 0; a < m.actions().size(); a++) {
                if (m.next(s, a) != null) {
                    enabled.add(a);
                }
            }
            if (enabled.isEmpty()) {
                break;
            }
            int a = enabled.get(rnd.nextInt(enabled.size()));
            out.add(a);
            s = m.next(s, a);
        }
        return out;
    }

    static TraceFile file(HandoffModel m, String property, List<Integer> actions) {
        Shrinker sh = new Shrinker(m, property);
        List<HandoffState> states = sh.run(actions);
        Trace t = HandoffTraces.build(m, property, states, actions.stream().mapToInt(Integer::intValue).toArray());
        return new TraceFile(m.scenario(), true, Violations.kind(property), StateFields.of(m, states.get(0)), t, t.steps(), "", "");
    }

    /** A shortest path to a state violating {@code property}, by breadth-first search over the model, or null. */
    static List<Integer> shortestViolation(HandoffModel m, String property) {
        Map<HandoffState, List<Integer>> seen = new HashMap<>();
        ArrayDeque<HandoffState> queue = new ArrayDeque<>();
        HandoffState init = m.initialStates().get(0);
        seen.put(init, List.of());
        queue.add(init);
        while (!queue.isEmpty()) {
            HandoffState s = queue.poll();
            if (Violations.violated(m, property, s)) {
                return seen.get(s);
            }
            for (int a = 0; a < m.actions().size(); a++) {
                HandoffState n = m.next(s, a);
                if (n != null && !seen.containsKey(n)) {
                    List<Integer> p = new ArrayList<>(seen.get(s));
                    p.add(a);
                    seen.put(n, p);
                    queue.add(n);
                }
            }
        }
        return null;
    }

    @Property(tries = 60)
    void randomWalksReplayThroughTheirFile(@ForAll("setups") Setup setup, @ForAll long seed) {
        HandoffModel m = setup.model();
        List<Integer> walk = randomWalk(m, seed, 80);
        TraceFile f = file(m, HandoffProperties.NO_DMA_FAULT, walk);
        TraceFile back = TraceJson.parse("walk.json", TraceJson.JSON.valueToTree(TraceJson.toJson(f)).toString());
        assertEquals(f.trace(), back.trace(), "JSON round trip");
        assertEquals(f.scenario(), back.scenario());
        Replayer.Result r = Replayer.replay(back);
        assertFalse(r instanceof Replayer.Result.Diverged, () -> "a real run replays: " + r);
    }

    @Property(tries = 40)
    void shrunkAndRegroupedTracesStillViolate(@ForAll("setups") Setup setup,
                                               @ForAll("properties") String property) {
        HandoffModel m = setup.model();
        List<Integer> path = shortestViolation(m, property);
        if (path == null) {
            return;
        }
        Shrinker sh = new Shrinker(m, property);
        List<Integer> shrunk = sh.shrink(path);
        assertTrue(sh.violates(shrunk), "the shrunk trace still violates " + property);
        assertTrue(shrunk.size() <= path.size());
        assertTrue(sh.switches(shrunk) <= sh.switches(path), "never more switches between actors");
        assertEquals(path.get(path.size() - 1), shrunk.get(shrunk.size() - 1), "the violating step stays last");
        TraceFile f = Counterexamples.make(m, property, path.stream().mapToInt(Integer::intValue).toArray());
        assertInstanceOf(Replayer.Result.Reproduced.class, Replayer.replay(f));
    }

    @Provide
    Arbitrary<String> properties() {
        return Arbitraries.of(HandoffProperties.NO_DMA_FAULT, HandoffProperties.RIGHT_PAGE, HandoffProperties.NO_CORRUPTION,
                HandoffProperties.ISOLATION);
    }

    @Property(tries = 60)
    void anAlteredChangeDivergesAtThatStep(@ForAll("setups") Setup setup, @ForAll long seed) {
        HandoffModel m = setup.model();
        TraceFile f = file(m, HandoffProperties.NO_DMA_FAULT, randomWalk(m, seed, 60));
        List<Trace.Step> steps = f.trace().steps();
        Random rnd = new Random(seed);
        List<Integer> withChanges = new ArrayList<>();
        for (Trace.Step s : steps) {
            if (!s.changes().isEmpty()) {
                withChanges.add(s.index());
            }
        }
        if (withChanges.isEmpty()) {
            return;
        }
        int k = withChanges.get(rnd.nextInt(withChanges.size()));
        List<Trace.Step> altered = new ArrayList<>(steps);
        Trace.Step s = steps.get(k - 1);
        List<Trace.Change> ch = new ArrayList<>(s.changes());
        Trace.Change c = ch.get(0);
        ch.set(0, new Trace.Change(c.field(), c.from(), c.to() + "?"));
        altered.set(k - 1, new Trace.Step(s.index(), s.actor(), s.action(), s.function(), ch));
        Replayer.Result r = Replayer.replay(withSteps(f, altered));
        Replayer.Result.Diverged d = assertInstanceOf(Replayer.Result.Diverged.class, r);
        assertEquals(k, d.step());
        assertTrue(d.detail().contains(c.field()), d.detail());
    }

    @Property(tries = 60)
    void aRemovedStepNeverDivergesEarlier(@ForAll("setups") Setup setup, @ForAll long seed) {
        HandoffModel m = setup.model();
        TraceFile f = file(m, HandoffProperties.NO_DMA_FAULT, randomWalk(m, seed, 60));
        List<Trace.Step> steps = f.trace().steps();
        if (steps.size() < 2) {
            return;
        }
        int k = 1 + new Random(seed).nextInt(steps.size());
        List<Trace.Step> rest = new ArrayList<>();
        for (Trace.Step s : steps) {
            if (s.index() != k) {
                rest.add(new Trace.Step(rest.size() + 1, s.actor(), s.action(), s.function(), s.changes()));
            }
        }
        Replayer.Result r = Replayer.replay(withSteps(f, rest));
        if (r instanceof Replayer.Result.Diverged d && List.of("witness", "explanation", "rootCause").contains(d.action())) {
            // every step replayed; the last state's derived fields are not the file's (its state lacks the removed step)
            assertEquals(rest.size(), d.step(), d.toString());
        } else if (r instanceof Replayer.Result.Diverged d) {
            assertTrue(d.step() >= k, "diverges at " + d.step() + ", before the removed step " + k);
        }
        if (k == 1 && steps.get(0).action().equals("program-smmu")) {
            Replayer.Result.Diverged d = assertInstanceOf(Replayer.Result.Diverged.class, r);
            assertEquals(1, d.step(), "without the firmware's programming nothing else follows");
        }
    }

    private static TraceFile withSteps(TraceFile f, List<Trace.Step> steps) {
        return new TraceFile(f.scenario(), f.pruning(), f.kind(), f.initial(),
                new Trace(f.trace().property(), steps, f.trace().witness()), steps, f.explanation(), f.rootCause());
    }

    @net.jqwik.api.Example
    void truncatedAndHandEditedFilesGiveOneLineErrors() {
        HandoffModel m = new Setup("stock", "identity", "reserved").model();
        TraceFile f = file(m, HandoffProperties.NO_DMA_FAULT, shortestViolation(m, HandoffProperties.NO_DMA_FAULT));
        String json = TraceJson.toJson(f).toString();
        TraceFormatException cut = org.junit.jupiter.api.Assertions.assertThrows(TraceFormatException.class,
                () -> TraceJson.parse("t.json", json.substring(0, json.length() / 2)));
        assertTrue(cut.getMessage().startsWith("t.json: not valid JSON at line"), cut.getMessage());
        TraceFormatException schema = org.junit.jupiter.api.Assertions.assertThrows(TraceFormatException.class,
                () -> TraceJson.parse("t.json", json.replace("handoff.trace/1", "handoff.trace/9")));
        assertEquals("t.json: schema: is \"handoff.trace/9\"; this handoff reads \"handoff.trace/1\"", schema.getMessage());
        TraceFormatException knob = org.junit.jupiter.api.Assertions.assertThrows(TraceFormatException.class,
                () -> TraceJson.parse("t.json", json.replace("\"fw.mapping\":\"identity\"", "\"fw.mapping\":\"sideways\"")));
        assertTrue(knob.getMessage().contains("scenario.knobs: knob \"fw.mapping\" has no value \"sideways\""), knob.getMessage());
        TraceFormatException action = org.junit.jupiter.api.Assertions.assertThrows(TraceFormatException.class,
                () -> TraceJson.parse("t.json", json.replaceFirst("\"action\":\"[^\"]*\",", "")));
        assertEquals("t.json: steps[0].action: missing", action.getMessage());
        assertNotNull(Replayer.replay(TraceJson.parse("t.json", json)));
    }
}
