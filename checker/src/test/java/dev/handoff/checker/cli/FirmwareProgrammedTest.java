package dev.handoff.checker.cli;

import dev.handoff.engine.Verdict;
import dev.handoff.model.firmware.Firmware;
import dev.handoff.model.handoff.Client;
import dev.handoff.model.handoff.HandoffConfig;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Master;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.ScenarioException;
import dev.handoff.model.scenario.StreamEntry;
import dev.handoff.model.smmu.Registers;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.handoff.checker.cli.PolicyVerdictsTest.check;
import static dev.handoff.checker.cli.PolicyVerdictsTest.verdict;
import static dev.handoff.properties.HandoffProperties.ISOLATION;
import static dev.handoff.properties.HandoffProperties.NO_DMA_FAULT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fw.programmed}: what the firmware left in the display's SMMU for clients other than the
 * display. A second display it lit scans the splash through the firmware's bank and is handed
 * off like the display; the entries it left for other clients are BYPASS, which qcom's read-back
 * keeps. The violations here need a second client: with {@code fw.programmed=display} (the
 * default, and the model before the knob) the same scenarios hold.
 */
class FirmwareProgrammedTest {
    /**
     * Juno's facts with a second HDLCD at stream 0x900 behind the same SMMU: a hypothetical board
     * with two display pipes on one SMMU (on the real Juno each HDLCD has its own MMU-401, both at
     * stream 0, and each RMR install runs per SMMU).
     */
    static Platform junoTwoDisplays() {
        return Platforms.JUNO.withMasters(List.of(new Master("/second-hdlcd", List.of(new StreamEntry(0x900, 0)),
                List.of("arm,hdlcd"))));
    }

    /** The C630 with a second MDSS at 0x900/0x8 beside its UFS. */
    static Platform c630TwoDisplays() {
        return Platforms.C630.withMasters(List.of(Platforms.C630.masters().get(0),
                new Master("/soc/display-subsystem@ae90000", List.of(new StreamEntry(0x900, 0x8)), List.of("qcom,sdm845-mdss"))));
    }

    static Map<String, String> knobs(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * rmr-dma on Juno keeps the display's scanout: the RMR install gives its stream a bypass SMR.
     * Light a second display and name both in the RMR: on SMMUv2 the install calls
     * arm_smmu_find_sme(sid, ~0), which after the first stream ID finds every valid entry
     * "overlapping" (6.12 arm-smmu.c:2118, :1053), so the second display's stream gets no entry and
     * aborts once the reset clears CLIENTPD. Describing only the display fails the same way.
     */
    @Test
    void aSecondDisplayLitAtHandoffFaultsWhereTheFirstIsKept() {
        Platform p = junoTwoDisplays();
        assertEquals(Verdict.HOLDS, verdict(check(p, "rmr-dma", knobs()), NO_DMA_FAULT), "one lit display: safe");
        for (String describes : List.of("every-lit-display", "display-only")) {
            HandoffCheck.Outcome two = check(p, "rmr-dma", knobs(Knobs.FW_PROGRAMMED, "displays", Knobs.FW_DESCRIBES, describes));
            assertEquals(Verdict.VIOLATED, verdict(two, NO_DMA_FAULT), describes);
            var witness = two.properties().stream().filter(o -> o.name().equals(NO_DMA_FAULT)).findFirst().orElseThrow()
                    .trace().witness();
            assertEquals("0x900", witness.sid(), "the second display's stream faults: " + witness.path());
            assertTrue(witness.path().contains("no SMR matches"), witness.path());
        }
        HandoffConfig every = HandoffConfig.of(Scenario.of(p, "rmr-dma", knobs(Knobs.FW_PROGRAMMED, "displays")));
        HandoffConfig one = HandoffConfig.of(Scenario.of(p, "rmr-dma", knobs(Knobs.FW_PROGRAMMED, "displays",
                Knobs.FW_DESCRIBES, "display-only")));
        assertEquals(List.of(0x0, 0x900), every.rmrSids(), "the RMR names both displays' streams");
        assertEquals(List.of(0x0), one.rmrSids());
        assertEquals(List.of(), every.probeOrder(), "an ACPI boot binds neither display's driver, so probes neither IOMMU");
    }

    /**
     * The firmware quiesces every engine it lit before it hands off: a quiescing firmware's second
     * display never fetches after the handoff, so the verdict is the one-display one.
     */
    @Test
    void aQuiescingFirmwareStopsEveryDisplayItLit() {
        Platform p = junoTwoDisplays();
        assertEquals(Verdict.VIOLATED, verdict(check(p, "rmr-dma", knobs(Knobs.FW_PROGRAMMED, "displays")), NO_DMA_FAULT));
        assertEquals(Verdict.HOLDS, verdict(check(p, "rmr-dma", knobs(Knobs.FW_PROGRAMMED, "displays",
                Knobs.FW_QUIESCE, "yes")), NO_DMA_FAULT), "the same board, the firmware quiescing what it lit");
        HandoffModel m = new HandoffModel(Scenario.of(p, "rmr-dma", knobs(Knobs.FW_PROGRAMMED, "displays", Knobs.FW_QUIESCE, "yes")), true);
        assertTrue(dev.handoff.engine.formalism.Models.reachable(m).stream().noneMatch(m::inWindow), "no fetch window opens at all");
    }

    /**
     * The entries the firmware left BYPASS for other clients (fw.programmed=all-described) leave the
     * UFS untranslated from arm-smmu's probe until its reset, under any policy. What tells qcom's
     * read-back apart is after the reset: qcom_smmu_cfg_probe read every valid SMR back as BYPASS
     * (arm-smmu-qcom.c) and the reset wrote it again, so the UFS stays untranslated until its own
     * attach; without the read-back (stock) the reset invalidates the entry and the UFS's stream
     * aborts as an unmatched one. A kernel before the CLIENTPD write at probe, so that this is all.
     */
    @Test
    void qcomReadBackKeepsTheBypassTheFirmwareLeftForOtherClients() {
        Map<String, String> all = knobs(Knobs.KERNEL_RMR_BYPASS_SMR, "no", Knobs.FW_PROGRAMMED, "all-described");
        assertEquals(List.of(0x100), bypassingAfterTheReset("qcom-bypass", all), "qcom: the UFS's bypass survives the reset");
        assertEquals(List.of(), bypassingAfterTheReset("stock", all), "no read-back: the reset ends it");
        assertEquals(List.of(), bypassingAfterTheReset("qcom-bypass", knobs(Knobs.KERNEL_RMR_BYPASS_SMR, "no")),
                "the display's entries alone: nothing of the UFS to keep");
        HandoffCheck.Outcome o = check(Platforms.C630, "qcom-bypass", all);
        assertEquals(Verdict.VIOLATED, verdict(o, ISOLATION));
        var w = o.properties().stream().filter(x -> x.name().equals(ISOLATION)).findFirst().orElseThrow().trace().witness();
        assertEquals("0x100", w.sid(), "the UFS: " + w.path());
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.C630, "qcom-bypass", knobs(Knobs.KERNEL_RMR_BYPASS_SMR, "no")), ISOLATION));
    }

    /**
     * The other masters' stream IDs left untranslated in some state between arm-smmu's reset and the
     * UFS's own IOMMU probe (during which the hypervisor's S2CR filter opens a window of its own).
     */
    private static List<Integer> bypassingAfterTheReset(String policy, Map<String, String> k) {
        HandoffModel m = new HandoffModel(Scenario.of(Platforms.C630, policy, k), true);
        return dev.handoff.engine.formalism.Models.reachable(m).stream().filter(m::driverDone).filter(s -> s.probePc(1) == 0)
                .map(m::untranslatedOtherStream).filter(x -> x >= 0).distinct().sorted().toList();
    }

    /** A lit display is handed off as the display: not an "other master" for isolation, driven by the display's driver. */
    @Test
    void aLitDisplayIsHandedOffAsTheDisplay() {
        Platform p = c630TwoDisplays();
        HandoffConfig lit = HandoffConfig.of(Scenario.of(p, "explicit-inherit", knobs(Knobs.FW_PROGRAMMED, "displays")));
        HandoffConfig dark = HandoffConfig.of(Scenario.of(p, "explicit-inherit", knobs()));
        Client second = lit.clients().get(2);
        assertEquals(List.of(second), lit.litDisplays());
        assertTrue(lit.handledAsDisplay(2) && lit.describedAsLive(2));
        assertFalse(lit.handledAsDisplay(1), "the UFS is no display");
        assertFalse(dark.handledAsDisplay(2), "a display the firmware did not light is a client like any other");
        assertEquals(Verdict.HOLDS, verdict(check(p, "explicit-inherit", knobs(Knobs.FW_PROGRAMMED, "displays",
                Knobs.KERNEL_RMR_BYPASS_SMR, "no")), ISOLATION), "its firmware bank does not make it an untranslated other master");
        // no driver of its own takes the lit display over: its fetch outlives the display's first modeset
        // (clk_ignore_unused: late init leaves every display's clocks running, lit or not)
        HandoffModel litModel = new HandoffModel(Scenario.of(p, "qcom-bypass", knobs(Knobs.FW_PROGRAMMED, "displays",
                Knobs.KERNEL_CLK_IGNORE_UNUSED, "yes")), true);
        HandoffModel darkModel = new HandoffModel(Scenario.of(p, "qcom-bypass", knobs(Knobs.KERNEL_CLK_IGNORE_UNUSED, "yes")), true);
        assertTrue(dev.handoff.engine.formalism.Models.reachable(litModel).stream().anyMatch(s -> litModel.modesetDone(s) && litModel.inWindow(s)));
        assertTrue(dev.handoff.engine.formalism.Models.reachable(darkModel).stream().noneMatch(s -> darkModel.modesetDone(s) && darkModel.inWindow(s)));
    }

    /** The firmware's entries for other clients: lowest free groups, overlaps left out, and a clear error when they do not fit. */
    @Test
    void theFirmwaresOtherEntriesArePlacedOrRefused() {
        Platform p = c630TwoDisplays();
        HandoffConfig c = HandoffConfig.of(Scenario.of(p, "qcom-bypass", knobs(Knobs.FW_PROGRAMMED, "all-described")));
        List<Firmware.Placed> placed = Firmware.otherEntries(c);
        assertEquals(2, placed.size());
        assertEquals(new Firmware.Placed(2, new StreamEntry(0x900, 0x8), Registers.S2CR_TYPE_TRANS), placed.get(0),
                "the lit display first, after the display's two entries, through the firmware's bank");
        assertEquals(new Firmware.Placed(3, new StreamEntry(0x100, 0xf), Registers.S2CR_TYPE_BYPASS), placed.get(1));
        Platform overlapping = Platforms.C630.withMasters(List.of(new Master("/wide", List.of(new StreamEntry(0x880, 0xf)))));
        assertEquals(List.of(), Firmware.otherEntries(HandoffConfig.of(Scenario.of(overlapping, "qcom-bypass",
                knobs(Knobs.FW_PROGRAMMED, "all-described")))), "an entry over the display's would conflict: left out");
        List<Master> many = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            many.add(new Master("/m" + i, List.of(new StreamEntry(0x100 + i, 0))));
        }
        Platform crowded = Platforms.JUNO.withMasters(many);
        ScenarioException e = assertThrows(ScenarioException.class, () -> new HandoffModel(Scenario.of(crowded, "stock",
                knobs(Knobs.FW_PROGRAMMED, "all-described")), true));
        assertTrue(e.getMessage().startsWith("fw.programmed=all-described: the firmware's entries need more than the "),
                e.getMessage());
    }
}
