package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.Reduction;
import dev.handoff.engine.SearchListener;
import dev.handoff.model.board.BoardPlatforms;
import dev.handoff.model.board.DeviceTreeReader;
import dev.handoff.engine.formalism.Footprint;
import dev.handoff.engine.formalism.Models;
import dev.handoff.engine.formalism.Property;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.memory.PageState;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Policies;
import dev.handoff.model.scenario.Policy;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.properties.HandoffProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Partial-order reduction over the handoff model. First the footprints the model declares are
 * held against its behaviour on every reachable state of a spread of scenarios: what an action
 * changes is in its write set, an invisible action changes no property and no terminal state,
 * two actions the footprints call independent commute, a retired action is disabled for good,
 * a latching action ends the run, and the state graph is acyclic. Then reduced and unreduced
 * runs are cross-checked (every verdict and severity) on every embedded platform × policy ×
 * firmware mapping and on every shared DTB's boards, and the reduction must cut something.
 */
class PartialOrderVerdictsTest {
    static List<Scenario> spread() {
        List<Scenario> out = new ArrayList<>();
        for (Platform p : Platforms.all()) {
            for (String policy : List.of("qcom-bypass", "rmr-dma", "explicit-inherit", "dt-iommu-addresses")) {
                if (Policies.all().stream().noneMatch(x -> x.name().equals(policy))) {
                    continue;
                }
                out.add(Scenario.of(p, policy, Map.of(Knobs.FW_TABLES, "unreserved", Knobs.FW_MAPPING, "translated")));
                out.add(Scenario.of(p, policy, Map.of()));
            }
        }
        out.add(Scenario.of(Platforms.C630, "qcom-bypass", Map.of(Knobs.FW_EXTRA_PIPE, "yes", Knobs.FW_TABLES, "unreserved",
                Knobs.FW_MAPPING, "translated")));
        // a second display lit, and every other client's entry left by the firmware
        out.add(Scenario.of(FirmwareProgrammedTest.c630TwoDisplays(), "stock-bypass", Map.of(Knobs.FW_PROGRAMMED, "all-described",
                Knobs.FW_TABLES, "unreserved", Knobs.FW_MAPPING, "translated", Knobs.KERNEL_CLK_IGNORE_UNUSED, "yes")));
        out.add(Scenario.of(FirmwareProgrammedTest.junoTwoDisplays(), "rmr-dma", Map.of(Knobs.FW_PROGRAMMED, "displays",
                Knobs.SMMU_VERSION, "v3")));
        return out;
    }

    /** The footprint variables whose value differs between two states. */
    static BitSet changed(HandoffState s, HandoffState t) {
        BitSet b = new BitSet();
        if (!java.util.Objects.equals(s.failure(), t.failure())) {
            b.set(dev.handoff.model.handoff.Processes.V_FAILURE);
        }
        if (s.fwPc() != t.fwPc()) {
            b.set(dev.handoff.model.handoff.Processes.V_FIRMWARE);
        }
        if ((s.tables() != PageState.FIRMWARE) != (t.tables() != PageState.FIRMWARE)) {
            b.set(dev.handoff.model.handoff.Processes.V_TABLES_ALLOCATED);
        }
        if ((s.tables() == PageState.WRITTEN) != (t.tables() == PageState.WRITTEN)) {
            b.set(dev.handoff.model.handoff.Processes.V_TABLES_WRITTEN);
        }
        if ((s.framebuffer() != PageState.FIRMWARE) != (t.framebuffer() != PageState.FIRMWARE)) {
            b.set(dev.handoff.model.handoff.Processes.V_FB_ALLOCATED);
        }
        if ((s.framebuffer() == PageState.WRITTEN) != (t.framebuffer() == PageState.WRITTEN)) {
            b.set(dev.handoff.model.handoff.Processes.V_FB_WRITTEN);
        }
        if (s.fbdrv() != t.fbdrv()) {
            b.set(dev.handoff.model.handoff.Processes.V_FBDRV);
        }
        if (s.corrupted() != t.corrupted()) {
            b.set(dev.handoff.model.handoff.Processes.V_CORRUPTED);
        }
        if (!rest(s).equals(rest(t))) {
            b.set(dev.handoff.model.handoff.Processes.V_KERNEL);
        }
        return b;
    }

    private static HandoffState rest(HandoffState s) {
        return s.withFailure(null).withFwPc(0).withTables(PageState.FIRMWARE).withFramebuffer(PageState.FIRMWARE)
                .withFbdrv(0).withCorrupted(0);
    }

    @Test
    void theFootprintsDescribeTheModel() {
        long pairs = 0;
        long invisibleMoves = 0;
        for (Scenario sc : spread()) {
            HandoffModel m = new HandoffModel(sc, true);
            List<Property<HandoffState>> props = new ArrayList<>(HandoffProperties.invariants(m, List.of()));
            props.add(HandoffProperties.finishesWithModeset(m));
            props.addAll(HandoffProperties.severityInvariants());
            List<Footprint> fp = m.footprints();
            int n = m.actions().size();
            assertEquals(n, fp.size());
            Set<HandoffState> reachable = Models.reachable(m);
            String where = sc.platform().name() + " " + sc.policy() + " " + sc.knobs();
            for (HandoffState s : reachable) {
                HandoffState[] next = new HandoffState[n];
                for (int a = 0; a < n; a++) {
                    next[a] = m.next(s, a);
                    if (m.retired(s, a) && next[a] != null) {
                        fail(where + ": " + m.actions().get(a) + " is retired but enabled in " + s);
                    }
                }
                for (int act = 0; act < n; act++) {
                    final int a = act;
                    HandoffState t = next[a];
                    if (t == null) {
                        continue;
                    }
                    Footprint f = fp.get(a);
                    BitSet extra = changed(s, t);
                    extra.andNot(f.writes());
                    assertTrue(extra.isEmpty(), () -> where + ": " + m.actions().get(a) + " changed " + extra + " beyond its writes");
                    for (int b = 0; b < n; b++) {
                        if (m.retired(s, b) && !m.retired(t, b)) {
                            fail(where + ": " + m.actions().get(b) + " came back from retirement after " + m.actions().get(a));
                        }
                    }
                    if (f.latching()) {
                        assertTrue(m.isTerminal(t), where + ": a latching action ends in a final state");
                        for (int b = 0; b < n; b++) {
                            assertEquals(null, m.next(t, b), where + ": nothing follows a latching action");
                        }
                    }
                    if (!f.visible()) {
                        invisibleMoves++;
                        assertEquals(m.isTerminal(s), m.isTerminal(t), where + ": invisible " + m.actions().get(a));
                        for (Property<HandoffState> p : props) {
                            assertEquals(p.predicate().test(s), p.predicate().test(t),
                                    where + ": invisible " + m.actions().get(a) + " changed " + p.spec().name());
                        }
                    }
                    for (int b = a + 1; b < n; b++) {
                        if (next[b] == null || !independent(f, fp.get(b))) {
                            continue;
                        }
                        pairs++;
                        HandoffState ab = m.next(t, b);
                        HandoffState ba = m.next(next[b], a);
                        assertTrue(ab != null && ab.equals(ba), where + ": " + m.actions().get(a) + " and "
                                + m.actions().get(b) + " are declared independent but do not commute in " + s);
                    }
                }
            }
            assertAcyclic(m, reachable, where);
        }
        assertTrue(pairs > 0, "some pair of independent actions was met");
        assertTrue(invisibleMoves > 0, "some invisible action was met");
    }

    private static boolean independent(Footprint a, Footprint b) {
        return !a.latching() && !b.latching() && !a.writes().intersects(b.reads()) && !a.writes().intersects(b.writes())
                && !b.writes().intersects(a.reads());
    }

    /** Depth-first colouring of the reachable graph: no edge back to a state on the stack. */
    private static void assertAcyclic(HandoffModel m, Set<HandoffState> reachable, String where) {
        Map<HandoffState, Integer> colour = new HashMap<>();
        int n = m.actions().size();
        for (HandoffState root : m.initialStates()) {
            java.util.ArrayDeque<Object[]> stack = new java.util.ArrayDeque<>();
            if (colour.containsKey(root)) {
                continue;
            }
            colour.put(root, 1);
            stack.push(new Object[]{root, 0});
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                HandoffState s = (HandoffState) top[0];
                int a = (Integer) top[1];
                HandoffState t = null;
                while (a < n && (t = m.next(s, a)) == null) {
                    a++;
                }
                if (a == n) {
                    colour.put(s, 2);
                    stack.pop();
                    continue;
                }
                top[1] = a + 1;
                Integer c = colour.get(t);
                if (c == null) {
                    colour.put(t, 1);
                    stack.push(new Object[]{t, 0});
                } else if (c == 1) {
                    fail(where + ": a cycle through " + t);
                }
            }
        }
        assertEquals(reachable.size(), colour.size(), where);
    }

    @Test
    void everyEmbeddedPlatformGivesTheSameVerdictsReduced() {
        long reduced = 0;
        long full = 0;
        for (Platform p : Platforms.all()) {
            for (Policy policy : Policies.all()) {
                for (String mapping : List.of("identity", "translated")) {
                    HandoffCheck.Outcome o = HandoffCheck.run(Scenario.of(p, policy.name(), Map.of(Knobs.FW_MAPPING, mapping)),
                            List.of(), true, false, 1, settings(Reduction.POR), SearchListener.NONE, true);
                    reduced += o.stats().distinctStates();
                    full += o.reduced().unreducedStates();
                }
            }
        }
        assertTrue(reduced < full, "por cut nothing: " + reduced + " of " + full);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdm850-lenovo-yoga-c630.dtb", "sdm845-db845c.dtb", "sdm845-db845c-linux6.1.dtb",
            "sc8280xp-lenovo-thinkpad-x13s.dtb", "tegra186-p2771-0000.dtb"})
    void everySharedDtbGivesTheSameVerdictsReduced(String dtb) {
        long reduced = 0;
        long full = 0;
        for (BoardPlatforms.Target t : BoardPlatforms.targets(DeviceTreeReader.read(BoardCliTest.sharedDtb(dtb)))) {
            for (Policy policy : Policies.all()) {
                if ("rmr".equals(policy.settings().get(Knobs.FW_DESCRIPTION))) {
                    continue; // an ACPI boot: 'board' does not run it on a DTB
                }
                for (String mapping : List.of("identity", "translated")) {
                    HandoffCheck.Outcome o = HandoffCheck.run(Scenario.of(t.platform(), policy.name(),
                                    Map.of(Knobs.FW_MAPPING, mapping)), List.of(), true, false, 1,
                            settings(Reduction.POR_SYMMETRY), SearchListener.NONE, true);
                    reduced += o.stats().distinctStates();
                    full += o.reduced().unreducedStates();
                }
            }
        }
        assertTrue(reduced <= full, dtb + ": " + reduced + " reduced states against " + full);
    }

    private static ExplorationSettings settings(Reduction r) {
        return ExplorationSettings.defaults().withWorkers(1).withReduction(r);
    }
}
