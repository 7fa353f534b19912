package dev.handoff.counterexamples;

import dev.handoff.engine.formalism.Action;
import dev.handoff.model.handoff.Failure;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.handoff.StateFields;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.smmu.FaultReport;
import dev.handoff.model.smmu.FetchOutcome;
import dev.handoff.model.smmu.Witness;
import dev.handoff.properties.HandoffProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds {@link Trace}s from a replayed run of a {@link HandoffModel}. */
public final class HandoffTraces {
    private HandoffTraces() {
    }

    /**
     * @param states  the states visited, from the initial one; {@code states.size() == actions.length + 1}
     * @param actions the action indices taken
     */
    public static Trace build(HandoffModel model, String property, List<HandoffState> states, int[] actions) {
        List<Trace.Step> steps = new ArrayList<>();
        List<Map<String, String>> before = StateFields.sections(model, states.get(0), null, null);
        for (int i = 0; i < actions.length; i++) {
            List<Map<String, String>> after = StateFields.sections(model, states.get(i + 1), states.get(i), before);
            List<Trace.Change> changes = Replayer.changes(before, after);
            Action a = model.actions().get(actions[i]);
            steps.add(new Trace.Step(i + 1, a.actor(), a.name(), model.citation(actions[i]), changes));
            before = after;
        }
        HandoffState last = states.get(states.size() - 1);
        HandoffState prev = states.size() >= 2 ? states.get(states.size() - 2) : last;
        Trace.WitnessInfo w = null;
        Failure f = last.failure();
        if (f != null && prev.failure() == null) {
            Witness x = f.witness();
            if (x.report() == null && model.pruning()) {
                // a state decoded from its packed form keeps no route: resolve the fetch again
                Witness again = model.fetchOutcomes(prev).get(x.outcome());
                x = again == null ? x : new Witness(x.outcome(), x.sid(), x.iovaPage(), x.paPage(), again.report(), again.bank(),
                        x.path().isEmpty() ? again.path() : x.path());
            }
            FaultReport report = x.report();
            w = new Trace.WitnessInfo(x.outcome().label(), hex(x.sid()), hex(x.iovaPage() * Platform.PAGE),
                    x.paPage() < 0 ? null : hex(x.paPage() * Platform.PAGE), report == null ? null : report.label(),
                    x.bank() < 0 ? null : x.bank(), report == null ? null : logged(x, prev, linuxQueues(model, actions)), x.path());
        } else if (property.equals(HandoffProperties.ISOLATION) && model.untranslatedOtherStream(last) >= 0) {
            int sid = model.untranslatedOtherStream(last);
            w = new Trace.WitnessInfo("untranslated", hex(sid), null, null,
                    model.masterOf(sid) + ": " + model.resolution(last, sid));
        } else if (property.equals(HandoffProperties.NO_STREAM_MATCH_CONFLICT) && model.conflictingStream(last) >= 0) {
            int sid = model.conflictingStream(last);
            w = new Trace.WitnessInfo("stream-match-conflict", hex(sid), null, null, model.resolution(last, sid));
        } else if (last.corrupted() != prev.corrupted()) {
            String what = (last.corrupted() & ~prev.corrupted()) == HandoffState.CORRUPTED_FRAMEBUFFER
                    ? "framebuffer, which the display engine is scanning out"
                    : "firmware page tables, which the SMMU walks for a live display stream";
            w = new Trace.WitnessInfo("corrupted-pages", null, null, null, "the kernel wrote the " + what);
        }
        return new Trace(property, steps, w);
    }

    /**
     * Whether Linux prints the failing transaction when it happens.
     * <ul>
     * <li>A global fault: arm_smmu_global_fault prints any non-zero sGFSR, its interrupt requested
     * in arm_smmu_device_probe before the reset; the fault raises it only with sCR0.GFIE set (the
     * firmware's, or Linux's reset, which clears sGFSR first), and not where the firmware resets
     * the machine on it.</li>
     * <li>A context fault: arm_smmu_context_fault reads only its own domain's bank, its interrupt
     * requested in arm_smmu_init_domain_context for a bank taken in {@code context_map}; a
     * firmware bank's fault stays latched in its FSR, unseen, and arm_smmu_device_reset clears it.
     * [not modelled: NVIDIA's multi-instance handler, which scans every bank]</li>
     * <li>An SMMUv3 event: arm_smmu_evtq_thread prints it once Linux's reset has rewritten the
     * queues and enabled the SMMU (v3.enable); events the firmware's queue took are never read.</li>
     * </ul>
     */
    static boolean logged(Witness x, HandoffState before, boolean linuxQueues) {
        return switch (x.report()) {
            case GLOBAL -> x.outcome() != FetchOutcome.FATAL
                    && (before.v2().scr0() & dev.handoff.model.smmu.Registers.SCR0_GFIE) != 0;
            case CONTEXT -> x.bank() >= 0 && before.driver().contextMap().testBit(x.bank());
            case EVENT -> linuxQueues;
            case NONE -> false;
        };
    }

    /** Whether Linux's SMMUv3 reset (its queues, SMMUEN) is among the steps taken. */
    private static boolean linuxQueues(HandoffModel model, int[] actions) {
        for (int a : actions) {
            if (model.actions().get(a).name().equals(new dev.handoff.model.kernel.DriverStep.V3Enable().name())) {
                return true;
            }
        }
        return false;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
