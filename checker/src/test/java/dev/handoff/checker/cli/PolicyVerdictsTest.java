package dev.handoff.checker.cli;

import dev.handoff.checker.engine.ExplorationSettings;
import dev.handoff.checker.engine.SearchListener;
import dev.handoff.checker.engine.Verdict;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Policies;
import dev.handoff.model.scenario.Policy;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.properties.HandoffProperties;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.handoff.properties.HandoffProperties.HANDOFF_COMPLETES;
import static dev.handoff.properties.HandoffProperties.ISOLATION;
import static dev.handoff.properties.HandoffProperties.NO_CORRUPTION;
import static dev.handoff.properties.HandoffProperties.NO_DMA_FAULT;
import static dev.handoff.properties.HandoffProperties.RIGHT_PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verdicts of the policies on the embedded platforms. Each test says why the verdict follows from
 * the mechanisms; none of it is written into the model, which only encodes register writes.
 */
class PolicyVerdictsTest {
    static HandoffCheck.Outcome check(Platform p, String policy, Map<String, String> knobs) {
        return HandoffCheck.run(Scenario.of(p, policy, knobs), List.of(), true,
                ExplorationSettings.defaults().withWorkers(2), SearchListener.NONE);
    }

    static Verdict verdict(HandoffCheck.Outcome o, String property) {
        return o.properties().stream().filter(p -> p.name().equals(property)).findFirst().orElseThrow().verdict();
    }

    static String witnessPath(HandoffCheck.Outcome o, String property) {
        var t = o.properties().stream().filter(p -> p.name().equals(property)).findFirst().orElseThrow().trace();
        assertNotNull(t, property + " has a trace");
        return t.witness().path();
    }

    /**
     * stock on the C630: the reset writes S2CR[0] from a shadow initialised to FAULT
     * (disable_bypass); qcom's hook (bypass_quirk set by the probe write) writes BYPASS, the
     * hypervisor lands it as FAULT, and the still-scanning display faults on SMR[0].
     */
    @Test
    void stockFaultsTheLiveDisplayAtTheReset() {
        HandoffCheck.Outcome o = check(Platforms.C630, "stock", Map.of());
        assertEquals(Verdict.VIOLATED, verdict(o, NO_DMA_FAULT));
        assertTrue(witnessPath(o, NO_DMA_FAULT).contains("S2CR[0] FAULT"), witnessPath(o, NO_DMA_FAULT));
        assertEquals(ExitCode.SAFETY_VIOLATED, o.exitCode());
    }

    /** With disable_bypass=0 sCR0.USFCFG=0: the UFS stream, unmatched after the reset, bypasses untranslated. */
    @Test
    void stockBypassBreaksIsolation() {
        HandoffCheck.Outcome o = check(Platforms.C630, "stock-bypass", Map.of());
        assertEquals(Verdict.VIOLATED, verdict(o, ISOLATION));
    }

    /**
     * qcom-bypass with an MDSS reset and an identity firmware mapping: the inherited SMRs keep
     * matching, their S2CRs (BYPASS, emulated through the reserved bank with SCTLR.M=0) pass
     * PA = IOVA = the framebuffer, the IDENTITY default domain keeps bypass, and the reset stops
     * the engine before the driver's empty domain is attached.
     */
    @Test
    void qcomBypassHoldsForAnIdentityFirmwareMapping() {
        HandoffCheck.Outcome o = check(Platforms.C630, "qcom-bypass", Map.of(Knobs.FW_MAPPING, "identity"));
        assertEquals(Verdict.HOLDS, o.verdict(), o.properties().toString());
        assertEquals(ExitCode.HOLDS, o.exitCode());
    }

    /** The same policy with a translated firmware mapping: bypass gives PA = IOVA, not the framebuffer (H12). */
    @Test
    void qcomBypassReadsTheWrongPageForATranslatedFirmwareMapping() {
        HandoffCheck.Outcome o = check(Platforms.C630, "qcom-bypass", Map.of(Knobs.FW_MAPPING, "translated"));
        assertEquals(Verdict.VIOLATED, verdict(o, RIGHT_PAGE));
        assertEquals(Verdict.HOLDS, verdict(o, NO_DMA_FAULT));
    }

    /** Without MDSS 'resets' the driver attaches its own, empty domain while the engine still scans (H16, H10). */
    @Test
    void noMdssResetFaultsInTheDriversEmptyDomain() {
        HandoffCheck.Outcome o = check(Platforms.C630, "qcom-bypass-noreset", Map.of());
        assertEquals(Verdict.VIOLATED, verdict(o, NO_DMA_FAULT));
        assertTrue(witnessPath(o, NO_DMA_FAULT).contains("display-driver-domain: no leaf"), witnessPath(o, NO_DMA_FAULT));
    }

    /** Mapping the firmware buffer at its IOVA before switching S2CR closes that window even without a reset. */
    @Test
    void readbackRemapCoversTheWindowWithoutAReset() {
        HandoffCheck.Outcome o = check(Platforms.C630, "readback-remap", Map.of(Knobs.FW_MAPPING, "identity"));
        assertEquals(Verdict.HOLDS, verdict(o, NO_DMA_FAULT));
        assertEquals("absent", o.scenario().knob(Knobs.DISPLAY_RESET));
    }

    /** A quiesced engine issues no transaction in the window, whatever the kernel does. */
    @Test
    void firmwareQuiesceHoldsEverywhere() {
        for (String mapping : List.of("identity", "translated")) {
            assertEquals(Verdict.HOLDS, check(Platforms.C630, "fw-quiesce", Map.of(Knobs.FW_MAPPING, mapping)).verdict());
        }
    }

    /**
     * RMR on SMMUv2: the install calls arm_smmu_find_sme(sid, ~0); after the first stream ID is
     * claimed every other one conflicts with it (-EINVAL), so 0x888, 0xc80 and 0xc88 stay unmatched
     * and fault once the reset clears CLIENTPD with USFCFG=1. During the install CLIENTPD=1 lets
     * every master bypass, which breaks isolation where the others are not IDENTITY (rmr-dma).
     */
    @Test
    void rmrPreservesOneStreamAndOpensAGlobalBypassWindow() {
        HandoffCheck.Outcome identity = check(Platforms.C630, "rmr-identity", Map.of());
        assertEquals(Verdict.VIOLATED, verdict(identity, NO_DMA_FAULT));
        assertTrue(witnessPath(identity, NO_DMA_FAULT).contains("no SMR matches"), witnessPath(identity, NO_DMA_FAULT));
        HandoffCheck.Outcome dma = check(Platforms.C630, "rmr-dma", Map.of());
        assertEquals(Verdict.VIOLATED, verdict(dma, ISOLATION));
        assertEquals(Verdict.HOLDS, verdict(identity, ISOLATION), "IDENTITY everywhere: bypass is intended");
    }

    /** Unreserved firmware pages: the allocator can hand out and overwrite the scanned-out framebuffer (H1). */
    @Test
    void unreservedFramebufferIsCorrupted() {
        HandoffCheck.Outcome o = check(Platforms.C630, "qcom-bypass", Map.of(Knobs.FW_TABLES, "unreserved"));
        assertEquals(Verdict.VIOLATED, verdict(o, NO_CORRUPTION));
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.C630, "qcom-bypass", Map.of()), NO_CORRUPTION));
    }

    /**
     * Tegra with a read-back takeover: the late SID override (probe_finalize) keeps the display on the
     * passthrough SID until its default domain exists; programming it at MC probe moves the traffic to
     * SID 0x9 while no SMR matches it.
     */
    @Test
    void tegraLateSidOverrideIsWhatKeepsTheDisplaySafe() {
        Map<String, String> k = new HashMap<>(Map.of(Knobs.KERNEL_DISPLAY_TAKEOVER, "readback-remap"));
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.TEGRA186, "tegra-late-sid", k), NO_DMA_FAULT));
        k.put(Knobs.KERNEL_TEGRA_LATE_SID, "no");
        HandoffCheck.Outcome early = check(Platforms.TEGRA186, "tegra-late-sid", k);
        assertEquals(Verdict.VIOLATED, verdict(early, NO_DMA_FAULT));
        assertTrue(witnessPath(early, NO_DMA_FAULT).contains("no SMR matches"));
    }

    /** SMMUv3 enabled by firmware: the reset's GBPA.ABORT window aborts the live stream (H18). */
    @Test
    void smmuV3ResetWindowAborts() {
        HandoffCheck.Outcome o = check(Platforms.C630, "qcom-bypass", Map.of(Knobs.SMMU_VERSION, "v3"));
        assertEquals(Verdict.VIOLATED, verdict(o, NO_DMA_FAULT));
        assertTrue(witnessPath(o, NO_DMA_FAULT).contains("GBPA.ABORT=1"), witnessPath(o, NO_DMA_FAULT));
    }

    /** Every program runs to its end: no policy strands the display driver before its first modeset. */
    @Test
    void everyPolicyCompletes() {
        for (Policy p : Policies.all()) {
            assertEquals(Verdict.HOLDS, verdict(check(Platforms.C630, p.name(), Map.of()), HANDOFF_COMPLETES), p.name());
        }
    }

    /** The state count does not depend on the framebuffer's size: a fetch is one transition per outcome. */
    @Test
    void stateCountDoesNotGrowWithTheFramebuffer() {
        long small = -1;
        for (long bytes : new long[] {4096, 8 << 20, 36 << 20}) {
            Platform p = Platforms.C630.withFramebufferBytes(bytes);
            HandoffCheck.Outcome o = HandoffCheck.run(Scenario.of(p, "qcom-bypass-noreset", Map.of(Knobs.FW_MAPPING, "translated")),
                    List.of(), true, ExplorationSettings.defaults(), SearchListener.NONE);
            if (small < 0) {
                small = o.stats().distinctStates();
            }
            assertEquals(small, o.stats().distinctStates(), bytes + " bytes");
        }
    }

    /** Naive enumeration of every (stream ID, page) gives the same verdicts as constraint pruning. */
    @Test
    void pruningKeepsEveryVerdict() {
        Platform p = Platforms.C630.withFramebufferBytes(3 * Platform.PAGE);
        for (Policy policy : Policies.all()) {
            for (String mapping : List.of("identity", "translated")) {
                Scenario s = Scenario.of(p, policy.name(), Map.of(Knobs.FW_MAPPING, mapping, Knobs.FW_TABLES, "unreserved"));
                HandoffCheck.Outcome pruned = HandoffCheck.run(s, List.of(), true, ExplorationSettings.defaults(), SearchListener.NONE);
                HandoffCheck.Outcome naive = HandoffCheck.run(s, List.of(), false, ExplorationSettings.defaults(), SearchListener.NONE);
                for (String prop : HandoffProperties.resolve(List.of())) {
                    assertEquals(verdict(naive, prop), verdict(pruned, prop), policy.name() + " " + mapping + " " + prop);
                }
                assertEquals(naive.stats().distinctStates(), pruned.stats().distinctStates() + pruned.pruning().statesSaved(),
                        policy.name() + " " + mapping + ": the saved-state count is exact");
                assertTrue(naive.stats().transitions() >= pruned.stats().transitions());
            }
        }
    }
}
