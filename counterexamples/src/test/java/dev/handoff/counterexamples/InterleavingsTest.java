package dev.handoff.counterexamples;

import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs built step by step (handoff explore): their trace files, what is enabled, and how a stream resolves along them. */
class InterleavingsTest {
    static HandoffModel c630(String mapping) {
        return new HandoffModel(Scenario.of(Platforms.C630, "stock", Map.of(Knobs.FW_MAPPING, mapping)), true);
    }

    static final List<Interleavings.Taken> FIRMWARE = List.of(new Interleavings.Taken("firmware", "program-smmu"));

    @Test
    void theInitialRunEnablesTheFirmwareAndViolatesNothing() {
        Interleavings.Run run = Interleavings.run(c630("identity"), List.of(), null);
        assertEquals(List.of(new Interleavings.Enabled("firmware", "program-smmu", "fw_program_smmu")), run.enabled());
        assertEquals(List.of(), run.violated());
        assertFalse(run.terminal());
        assertEquals("no-dma-fault", run.file().trace().property(), "no violation: the file is written for no-dma-fault");
        assertEquals(1, run.states().size());
    }

    /** A run built by always taking the first enabled action: its file replays, and the model derives the same trace again. */
    @Test
    void aGreedyRunToAViolationReplaysAsTheModelDerivesIt() {
        HandoffModel m = c630("identity");
        // a run that always takes the first enabled action until one is violated or none is enabled
        List<Interleavings.Taken> steps = new java.util.ArrayList<>();
        Interleavings.Run run = Interleavings.run(m, steps, null);
        while (!run.enabled().isEmpty() && run.violated().isEmpty()) {
            steps.add(new Interleavings.Taken(run.enabled().get(0).actor(), run.enabled().get(0).action()));
            run = Interleavings.run(m, steps, null);
        }
        assertFalse(run.violated().isEmpty(), "stock on the C630 fails on every path the first actions take");
        // its file replays: the model derives every change, the witness and the explanation again
        Replayer.Result r = Replayer.replay(run.file());
        assertInstanceOf(Replayer.Result.Reproduced.class, r);
        assertEquals(run.file().trace(), ((Replayer.Result.Reproduced) r).derived().trace());
        assertEquals(run.file().explanation(), ((Replayer.Result.Reproduced) r).derived().explanation());
    }

    @Test
    void stepsThatAreNotARunAreNamed() {
        HandoffModel m = c630("identity");
        Interleavings.NotARunException none = assertThrows(Interleavings.NotARunException.class,
                () -> Interleavings.run(m, List.of(new Interleavings.Taken("kernel", "fly")), null));
        assertEquals(1, none.index());
        Interleavings.NotARunException early = assertThrows(Interleavings.NotARunException.class,
                () -> Interleavings.run(m, List.of(new Interleavings.Taken("firmware", "handoff")), null));
        assertTrue(early.getMessage().contains("not enabled"), early.getMessage());
    }

    /**
     * With the firmware's translated mapping, its tables take the framebuffer's IOVA to its PA:
     * the resolve box walks them (offset kept); before the firmware programs the SMMU, CLIENTPD
     * passes the IOVA through as the PA, outside the framebuffer.
     */
    @Test
    void resolveWalksTheTablesAStepLeaves() {
        HandoffModel m = c630("translated");
        Interleavings.Run run = Interleavings.run(m, FIRMWARE, null);
        long iova = Platforms.C630.translatedIova() + 0x1010;
        List<Interleavings.Resolution> after = Interleavings.resolve(run, 1, 0x880, iova);
        assertEquals(1, after.size());
        assertEquals("0x" + Long.toHexString(Platforms.C630.framebufferPa() + 0x1010), after.get(0).pa());
        assertEquals(List.of(), after.get(0).outcomes(), "the right page: " + after.get(0).route());
        List<Interleavings.Resolution> before = Interleavings.resolve(run, 0, 0x880, iova);
        assertEquals("sCR0.CLIENTPD=1", before.get(0).route());
        assertEquals("0x" + Long.toHexString(iova), before.get(0).pa(), "bypass: PA = IOVA");
        assertEquals(List.of("wrong-page"), before.get(0).outcomes());
        List<Interleavings.Resolution> unmatched = Interleavings.resolve(run, 1, 0x123, iova);
        assertNull(unmatched.get(0).pa(), "an unmatched stream reaches no page: " + unmatched.get(0).route());
        assertThrows(IllegalArgumentException.class, () -> Interleavings.resolve(run, 2, 0x880, iova));
    }

    /**
     * SMMUv3: a stream ID no client owns meets the abort STE Linux leaves for unused IDs once
     * SMMUEN=1, whatever its value (not the display's STE); the display's own ID meets its STE.
     */
    @Test
    void onSmmuV3AStreamNoClientOwnsMeetsTheAbortSte() {
        HandoffModel m = new HandoffModel(Scenario.of(Platforms.C630, "stock",
                Map.of(Knobs.FW_MAPPING, "identity", Knobs.SMMU_VERSION, "v3")), true);
        assertTrue(m.config().v3());
        List<Interleavings.Taken> steps = new java.util.ArrayList<>();
        Interleavings.Run run = Interleavings.run(m, steps, null);
        while (!run.enabled().isEmpty() && !"1".equals(StepsView.field(run, "smmu.CR0.SMMUEN"))) {
            steps.add(new Interleavings.Taken(run.enabled().get(0).actor(), run.enabled().get(0).action()));
            run = Interleavings.run(m, steps, null);
        }
        assertEquals("1", StepsView.field(run, "smmu.CR0.SMMUEN"), "Linux enables the SMMU on this path");
        int at = run.states().size() - 1;
        Interleavings.Resolution unknown = Interleavings.resolve(run, at, 0x7777, 0x1000).get(0);
        assertEquals("STE.Config=abort (no master of this stream ID)", unknown.route());
        assertEquals(List.of("fault"), unknown.outcomes());
        assertNull(unknown.pa());
        Interleavings.Resolution display = Interleavings.resolve(run, at, 0x880, 0x1000).get(0);
        assertTrue(display.route().startsWith("STE.Config="), display.route());
        assertFalse(display.route().contains("no master"), display.route());
    }

    /** A field's value after the last step of a run, from its trace file (initial state, then each step's changes). */
    static final class StepsView {
        static String field(Interleavings.Run run, String name) {
            String v = run.file().initial().get(name);
            for (Trace.Step s : run.file().trace().steps()) {
                for (Trace.Change c : s.changes()) {
                    if (c.field().equals(name)) {
                        v = c.to();
                    }
                }
            }
            return v;
        }
    }
}
