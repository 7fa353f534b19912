package dev.handoff.model.handoff;

import dev.handoff.model.kernel.ArmSmmuDriverProbe;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handoff model without the engine: codec round trip over every reachable state, and basic shape. */
class HandoffModelTest {
    static Set<HandoffState> reachable(HandoffModel m) {
        return dev.handoff.engine.formalism.Models.reachable(m);
    }

    @Test
    void codecRoundTripsEveryReachableState() {
        for (Scenario sc : List.of(
                Scenario.of(Platforms.C630, "qcom-bypass", Map.of(Knobs.FW_TABLES, "unreserved", Knobs.FW_MAPPING, "translated")),
                Scenario.of(Platforms.C630, "rmr-dma", Map.of()),
                Scenario.of(Platforms.C630, "explicit-inherit", Map.of(Knobs.FW_SMR, "superset")),
                Scenario.of(Platforms.TEGRA186, "tegra-late-sid", Map.of(Knobs.KERNEL_TEGRA_LATE_SID, "no")),
                Scenario.of(Platforms.C630, "qcom-bypass", Map.of(Knobs.SMMU_VERSION, "v3")),
                Scenario.of(Platforms.JUNO, "rmr-dma", Map.of(Knobs.FW_MAPPING, "translated", Knobs.FW_TABLES, "unreserved")),
                Scenario.of(Platforms.C630, "qcom-bypass", Map.of(Knobs.FW_SMR_SLOT, "above-clamp", Knobs.FW_EXTRA_PIPE, "yes",
                        Knobs.FW_LAST_BANK, "foreign")))) {
            assertRoundTrips(sc);
        }
    }

    /**
     * Three other masters and 70 context banks: a context_map wider than a long, one STE and one
     * device state per client, each packed and unpacked again.
     */
    @Test
    void codecRoundTripsAWideMultiClientBoard() {
        var p = Platforms.C630.withSmmuSize(12, 70).withMasters(List.of(
                new dev.handoff.model.scenario.Master("a", List.of(new dev.handoff.model.scenario.StreamEntry(0x100, 0xf))),
                new dev.handoff.model.scenario.Master("b", List.of(new dev.handoff.model.scenario.StreamEntry(0x200, 0),
                        new dev.handoff.model.scenario.StreamEntry(0x201, 0))),
                new dev.handoff.model.scenario.Master("c", List.of(new dev.handoff.model.scenario.StreamEntry(0x300, 0)))));
        assertEquals(4, new HandoffModel(Scenario.of(p, "qcom-bypass", Map.of()), true).config().clients().size());
        assertRoundTrips(Scenario.of(p, "qcom-bypass", Map.of(Knobs.FW_LAST_BANK, "display")));
        assertRoundTrips(Scenario.of(p, "stock", Map.of(Knobs.SMMU_VERSION, "v3")));
    }

    private static void assertRoundTrips(Scenario sc) {
        {
            HandoffModel m = new HandoffModel(sc, true);
            Set<HandoffState> all = reachable(m);
            long[] buf = new long[m.codec().words() + 2];
            Set<List<Long>> encodings = new HashSet<>();
            for (HandoffState s : all) {
                m.codec().encode(s, buf, 1);
                HandoffState back = m.codec().decode(buf, 1);
                HandoffState normal = s.failure() == null ? s : s.withFailure(new Failure(s.failure().kind(),
                        new dev.handoff.model.smmu.Witness(s.failure().witness().outcome(), s.failure().witness().sid(),
                                s.failure().witness().iovaPage(), s.failure().witness().paPage(), "")));
                assertEquals(normal, back, "round trip in " + sc.policy());
                List<Long> key = new java.util.ArrayList<>();
                for (int i = 1; i <= m.codec().words(); i++) {
                    key.add(buf[i]);
                }
                encodings.add(key);
            }
            assertEquals(all.size(), encodings.size(), "distinct states have distinct encodings");
            assertTrue(all.size() > 20, "a real state space: " + all.size());
        }
    }

    /**
     * No client's IOMMU probe runs before arm-smmu's own probe has returned: a client probing after
     * iommu_device_register but before the reset is deferred (arm_smmu_probe_device, "smmu dev has
     * not bound yet", 229e6ee43d2a), so no reachable state has a probed client beside an unfinished
     * driver program, in any version, on either SMMU architecture.
     */
    @Test
    void clientsProbeOnlyAfterTheSmmuDriverHasBound() {
        for (Scenario sc : List.of(
                Scenario.of(Platforms.C630, "qcom-bypass", Map.of()),
                Scenario.of(Platforms.C630, "stock", Map.of(Knobs.KERNEL_VERSION, "5.10")),
                Scenario.of(Platforms.C630, "rmr-dma", Map.of()),
                Scenario.of(Platforms.TEGRA186, "tegra-late-sid", Map.of()),
                Scenario.of(Platforms.C630, "qcom-bypass", Map.of(Knobs.SMMU_VERSION, "v3")))) {
            HandoffModel m = new HandoffModel(sc, true);
            int probedBeforeBound = 0;
            int probed = 0;
            for (HandoffState s : reachable(m)) {
                boolean anyProbed = s.corePc() > 0;
                probed += anyProbed ? 1 : 0;
                probedBeforeBound += anyProbed && !m.driverDone(s) ? 1 : 0;
            }
            assertEquals(0, probedBeforeBound, sc.policy() + " on " + sc.knobs().get(Knobs.KERNEL_VERSION) + ", " + sc.knobs().get(Knobs.SMMU_VERSION));
            assertTrue(probed > 0 || sc.policy().startsWith("rmr"), "clients are probed at all in " + sc.policy());
        }
    }

    /**
     * The window ends when no pipe the firmware started scans its buffer: with an extra firmware
     * pipe that the first modeset does not reprogram (fw.extra-pipe) the window stays open after
     * it, and the engine's fetches there go through whatever the driver left (here its own domain,
     * which maps only the new buffer: a context fault); the engine reset closes it. (The display's
     * clocks are kept through late_initcall_sync, as with clk_ignore_unused.)
     */
    @Test
    void aFirmwarePipeTheModesetLeavesAloneKeepsTheWindowOpen() {
        for (String reset : List.of("absent", "present")) {
            HandoffModel m = new HandoffModel(Scenario.of(Platforms.C630, "qcom-bypass", Map.of(Knobs.FW_EXTRA_PIPE, "yes",
                    Knobs.DISPLAY_RESET, reset, Knobs.KERNEL_CLK_IGNORE_UNUSED, "yes")), true);
            boolean afterModesetInWindow = false;
            boolean afterModesetFaults = false;
            for (HandoffState s : reachable(m)) {
                if (s.failure() == null && m.modesetDone(s) && m.inWindow(s)) {
                    afterModesetInWindow = true;
                    afterModesetFaults |= m.fetchOutcomes(s).containsKey(dev.handoff.model.smmu.FetchOutcome.FAULT);
                }
            }
            assertEquals(reset.equals("absent"), afterModesetInWindow, "display.reset=" + reset);
            assertEquals(reset.equals("absent"), afterModesetFaults, "display.reset=" + reset);
        }
    }

    @Test
    void actionsCiteTheKernelFunction() {
        HandoffModel m = new HandoffModel(Scenario.of(Platforms.C630, "qcom-bypass", Map.of()), true);
        for (int i = 0; i < m.actions().size(); i++) {
            assertTrue(!m.citation(i).isBlank(), m.actions().get(i).toString());
        }
        assertTrue(m.actions().stream().anyMatch(a -> a.name().equals("reset.s2cr[0]")));
        assertTrue(ArmSmmuDriverProbe.citesResetPerRegister(m));
    }
}
