package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.SearchListener;
import dev.handoff.engine.Verdict;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Policies;
import dev.handoff.model.scenario.Policy;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.ScenarioException;
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
                ExplorationSettings.defaults().withWorkers(1), SearchListener.NONE);
    }

    /**
     * {@code overrides} plus clk_ignore_unused: the display's clocks survive late_initcall_sync, so
     * the engine the firmware started is still scanning when its (modular) driver binds. Without it
     * clk_disable_unused gates the engine first and the driver's takeover meets no live fetch.
     */
    static Map<String, String> clocksKept(Map<String, String> overrides) {
        Map<String, String> k = new HashMap<>(overrides);
        k.put(Knobs.KERNEL_CLK_IGNORE_UNUSED, "yes");
        return k;
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
     * stock on the C630 with 5.15 (no CLIENTPD write at probe): no qcom_smmu_cfg_probe (stock is a
     * kernel before the read-back), so no quirk detection either; the reset writes S2CR[0] FAULT
     * from the shadow (disable_bypass), which the hypervisor ignores, then SMR[0] invalid: the
     * still-scanning display's stream matches nothing, an unidentified stream fault (USF), a
     * global fault, fatal on this firmware. With the read-back kernel's hook (qcom-bypass' quirk
     * state) but no inheritance the S2CR write itself would fault. Since v6.0
     * arm_smmu_rmr_install_bypass_smr sets CLIENTPD first (arm-smmu.c:2108-2110), so the reset's
     * S2CR and SMR writes are invisible until its last sCR0 write (arm-smmu.c:1735) clears it and
     * exposes an empty stream table: the stream matches nothing, USFCFG=1, an unidentified stream
     * fault, also fatal.
     */
    @Test
    void stockFaultsTheLiveDisplayAtTheReset() {
        HandoffCheck.Outcome old = check(Platforms.C630, "stock", Map.of(Knobs.KERNEL_VERSION, "5.15"));
        assertEquals(Verdict.VIOLATED, verdict(old, NO_DMA_FAULT));
        assertTrue(witnessPath(old, NO_DMA_FAULT).contains("no SMR matches"), witnessPath(old, NO_DMA_FAULT));
        assertTrue(rootCause(old, NO_DMA_FAULT).startsWith("arm-smmu reset.smr[]"), rootCause(old, NO_DMA_FAULT));
        assertEquals(ExitCode.SAFETY_VIOLATED, old.exitCode());
        HandoffCheck.Outcome now = check(Platforms.C630, "stock", Map.of());
        assertTrue(witnessPath(now, NO_DMA_FAULT).contains("no SMR matches and sCR0.USFCFG=1"), witnessPath(now, NO_DMA_FAULT));
        assertTrue(rootCause(now, NO_DMA_FAULT).startsWith("arm-smmu reset.scr0 -> fatal"), rootCause(now, NO_DMA_FAULT));
        assertEquals(dev.handoff.model.smmu.FetchOutcome.FATAL, severity(now, NO_DMA_FAULT));
    }

    /**
     * Since v6.0 every arm-smmu v2 probe writes sCR0.CLIENTPD=1 before the reset, DT boots
     * included: from that write to the reset's last sCR0 write every master bypasses, so the UFS
     * controller (a DMA domain) is untranslated and isolation fails whatever the policy. 5.15 has
     * no such write; a hypervisor that keeps CLIENTPD (hyp.clientpd=ignored) closes the window too.
     */
    @Test
    void everyV2ProbeSinceV60OpensAGlobalBypassWindow() {
        HandoffCheck.Outcome now = check(Platforms.C630, "fw-quiesce", Map.of());
        assertEquals(Verdict.VIOLATED, verdict(now, ISOLATION));
        assertTrue(rootCause(now, ISOLATION).startsWith("arm-smmu rmr.clientpd"), rootCause(now, ISOLATION));
        assertEquals(Verdict.HOLDS, check(Platforms.C630, "fw-quiesce", Map.of(Knobs.KERNEL_VERSION, "5.15")).verdict());
        assertEquals(Verdict.HOLDS, check(Platforms.C630, "fw-quiesce", Map.of(Knobs.HYP_CLIENTPD, "ignored")).verdict());
        HandoffCheck.Outcome translated = check(Platforms.C630, "explicit-inherit",
                Map.of(Knobs.FW_MAPPING, "translated", Knobs.DISPLAY_RESET, "present", Knobs.FW_TABLES, "reserved"));
        assertEquals(Verdict.VIOLATED, verdict(translated, RIGHT_PAGE), "bypass gives PA = IOVA, not the framebuffer");
        assertTrue(witnessPath(translated, RIGHT_PAGE).contains("sCR0.CLIENTPD=1"), witnessPath(translated, RIGHT_PAGE));
    }

    /**
     * Isolation covers masters nobody described: with arm-smmu.disable_bypass=0 the reset leaves
     * USFCFG=0, and a stream ID that no SMR matches bypasses, even when every described device's
     * default domain is IDENTITY (global-passthrough, 5.15 so that no CLIENTPD window interferes).
     */
    @Test
    void unmatchedBypassLetsAnUndescribedMasterThrough() {
        Map<String, String> k = new HashMap<>(Map.of(Knobs.KERNEL_VERSION, "5.15"));
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.C630, "global-passthrough", k), ISOLATION));
        k.put(Knobs.KERNEL_DISABLE_BYPASS, "no");
        HandoffCheck.Outcome o = check(Platforms.C630, "global-passthrough", k);
        assertEquals(Verdict.VIOLATED, verdict(o, ISOLATION));
        assertTrue(witnessPath(o, ISOLATION).startsWith("a master no DT or IORT entry names: no SMR matches and sCR0.USFCFG=0"),
                witnessPath(o, ISOLATION));
    }

    /**
     * Why the S2CR quirk exists: a kernel without qcom_smmu_cfg_probe (stock, before 5.10.4) under
     * Qualcomm's hypervisor writes FAULT S2CRs, which the hypervisor ignores. The UFS controller
     * then reuses group 0, whose S2CR still holds the firmware's TRANS to the display's bank
     * (SCTLR.M=0): it reaches memory untranslated until its DMA domain is attached. With the
     * quirk's emulation (qcom-bypass) the same write lands as BYPASS, emulated by the reserved bank.
     */
    @Test
    void withoutTheQuirkEmulationIgnoredFaultWritesLeaveFirmwareRoutes() {
        Map<String, String> k = Map.of(Knobs.HYP_CLIENTPD, "ignored");
        HandoffCheck.Outcome stock = check(Platforms.C630, "stock", k);
        assertEquals(Verdict.VIOLATED, verdict(stock, ISOLATION));
        assertTrue(witnessPath(stock, ISOLATION).startsWith("ufs@1d84000: SMR[0] -> S2CR[0] TRANS -> CB[0] SCTLR.M=0"),
                witnessPath(stock, ISOLATION));
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.C630, "stock", Map.of(Knobs.HYP_CLIENTPD, "ignored",
                Knobs.HYP_BYPASS_QUIRK, "no")), ISOLATION), "without the hypervisor the FAULT write lands");
    }

    /**
     * arm_smmu_test_smr_masks learns the implemented ID and mask widths by writing a free SMR and
     * reading it back; a hypervisor that ignores SMR writes (QCS404-like) returns what was there
     * (an invalid, zero entry), so streamid_mask becomes 0 and arm_smmu_probe_device rejects every
     * client with a non-zero stream ID (-EINVAL): no SMR, no domain for the display or the UFS.
     */
    @Test
    void ignoredSmrWritesLeaveTheDriverWithNoStreamIdBits() {
        var m = new dev.handoff.model.handoff.HandoffModel(Scenario.of(Platforms.C630, "qcom-bypass",
                Map.of(Knobs.HYP_SMR_WRITES, "ignored", Knobs.KERNEL_DISPLAY_DRIVER, "builtin")), true);
        var states = dev.handoff.engine.formalism.Models.reachable(m);
        assertTrue(states.stream().anyMatch(st -> st.driver().streamIdMask() == 0 && st.driverPc() > 0), "streamid_mask read back as 0");
        assertTrue(states.stream().noneMatch(st -> st.display().probe() == dev.handoff.model.kernel.DeviceState.PROBED));
        assertTrue(states.stream().anyMatch(st -> st.device(1).probe() == dev.handoff.model.kernel.DeviceState.FAILED));
    }

    /** With disable_bypass=0 sCR0.USFCFG=0: the UFS stream, unmatched after the reset, bypasses untranslated. */
    @Test
    void stockBypassBreaksIsolation() {
        HandoffCheck.Outcome o = check(Platforms.C630, "stock-bypass", Map.of());
        assertEquals(Verdict.VIOLATED, verdict(o, ISOLATION));
    }

    /**
     * qcom-bypass with an identity firmware mapping, on a C630 given MDSS 'resets' (a what-if:
     * the real node has none): the inherited SMRs keep matching, their S2CRs (BYPASS, emulated
     * through the reserved bank with SCTLR.M=0) pass PA = IOVA = the framebuffer, the IDENTITY
     * default domain keeps bypass, and the reset stops the engine before the driver's empty
     * domain is attached. The display is safe; only the probe's CLIENTPD window breaks isolation.
     */
    @Test
    void qcomBypassHoldsForAnIdentityFirmwareMappingWhenTheMdssIsReset() {
        Map<String, String> k = new HashMap<>(Map.of(Knobs.FW_MAPPING, "identity", Knobs.DISPLAY_RESET, "present"));
        HandoffCheck.Outcome o = check(Platforms.C630, "qcom-bypass", k);
        for (String p : List.of(NO_DMA_FAULT, RIGHT_PAGE, NO_CORRUPTION, HANDOFF_COMPLETES)) {
            assertEquals(Verdict.HOLDS, verdict(o, p), p);
        }
        k.put(Knobs.HYP_CLIENTPD, "ignored");
        HandoffCheck.Outcome all = check(Platforms.C630, "qcom-bypass", k);
        assertEquals(Verdict.HOLDS, all.verdict(), all.properties().toString());
        assertEquals(ExitCode.HOLDS, all.exitCode());
    }

    /** The same policy with a translated firmware mapping: bypass gives PA = IOVA, not the framebuffer (H12). */
    @Test
    void qcomBypassReadsTheWrongPageForATranslatedFirmwareMapping() {
        HandoffCheck.Outcome o = check(Platforms.C630, "qcom-bypass",
                Map.of(Knobs.FW_MAPPING, "translated", Knobs.DISPLAY_RESET, "present", Knobs.FW_TABLES, "reserved"));
        assertEquals(Verdict.VIOLATED, verdict(o, RIGHT_PAGE));
        assertEquals(Verdict.HOLDS, verdict(o, NO_DMA_FAULT));
    }

    /**
     * The real C630 has no MDSS 'resets': with its clocks kept (clk_ignore_unused, or msm built
     * in) the driver attaches its own, empty domain while the engine still scans (H16, H10). With
     * Debian's modular msm and a plain command line, late_initcall_sync's clk_disable_unused and
     * genpd_power_off_unused gate the unclaimed display first (efifb claims no clock), so the
     * display goes dark instead of faulting.
     */
    @Test
    void noMdssResetFaultsInTheDriversEmptyDomain() {
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.C630, "qcom-bypass", Map.of()), NO_DMA_FAULT));
        assertEquals(Verdict.VIOLATED, verdict(check(Platforms.C630, "qcom-bypass",
                Map.of(Knobs.KERNEL_DISPLAY_DRIVER, "builtin")), NO_DMA_FAULT), "a built-in msm binds before late init");
        HandoffCheck.Outcome o = check(Platforms.C630, "qcom-bypass", clocksKept(Map.of()));
        assertEquals(Verdict.VIOLATED, verdict(o, NO_DMA_FAULT));
        assertTrue(witnessPath(o, NO_DMA_FAULT).contains("display-driver-domain: no leaf"), witnessPath(o, NO_DMA_FAULT));
    }

    /**
     * The read-back remap closes the window only if the firmware buffer can be mapped before the
     * S2CR switch. On arm-smmu v2 the driver's domain has no page tables until its first attach
     * (arm_smmu_map_pages returns -ENODEV while pgtbl_ops is NULL; arm_smmu_attach_dev finalises
     * the context), and msm_iommu_new attaches in its constructor: the map follows the switch,
     * and a fetch in between meets an empty table. Where mappings before attach work (v3, the
     * reverted 2024 v2 change) it closes the window without any reset.
     */
    @Test
    void readbackRemapNeedsMappingsBeforeAttach() {
        HandoffCheck.Outcome v2 = check(Platforms.C630, "readback-remap", clocksKept(Map.of(Knobs.FW_MAPPING, "identity")));
        assertEquals(Verdict.VIOLATED, verdict(v2, NO_DMA_FAULT));
        assertEquals(dev.handoff.model.smmu.FetchOutcome.FAULT, severity(v2, NO_DMA_FAULT), "a context fault, reported");
        assertTrue(rootCause(v2, NO_DMA_FAULT).startsWith("display-driver attach_own_domain.s2cr[]"), rootCause(v2, NO_DMA_FAULT));
        HandoffCheck.Outcome works = check(Platforms.C630, "readback-remap",
                clocksKept(Map.of(Knobs.FW_MAPPING, "identity", Knobs.KERNEL_MAP_BEFORE_ATTACH, "works")));
        assertEquals(Verdict.HOLDS, verdict(works, NO_DMA_FAULT));
        assertEquals("absent", works.scenario().knob(Knobs.DISPLAY_RESET));
    }

    /** A quiesced engine issues no transaction in the window, whatever the kernel does. */
    @Test
    void firmwareQuiesceKeepsTheDisplaySafeEverywhere() {
        for (String mapping : List.of("identity", "translated")) {
            HandoffCheck.Outcome o = check(Platforms.C630, "fw-quiesce", Map.of(Knobs.FW_MAPPING, mapping));
            for (String p : List.of(NO_DMA_FAULT, RIGHT_PAGE, NO_CORRUPTION, HANDOFF_COMPLETES)) {
                assertEquals(Verdict.HOLDS, verdict(o, p), mapping + " " + p);
            }
        }
    }

    /**
     * RMR on SMMUv2: the install calls arm_smmu_find_sme(sid, ~0); after the first stream ID is
     * claimed every other one conflicts with it (-EINVAL), so 0x888, 0xc80 and 0xc88 stay unmatched
     * and fault once the reset clears CLIENTPD with USFCFG=1 (shown without the hypervisor's quirk;
     * with it, the generic ACPI impl writes the one kept entry's BYPASS, which lands as FAULT).
     * During the install CLIENTPD=1 lets every master bypass: a master no description names too.
     */
    @Test
    void rmrPreservesOneStreamAndOpensAGlobalBypassWindow() {
        HandoffCheck.Outcome identity = check(Platforms.C630, "rmr-identity", Map.of(Knobs.HYP_BYPASS_QUIRK, "no"));
        assertEquals(Verdict.VIOLATED, verdict(identity, NO_DMA_FAULT));
        assertTrue(witnessPath(identity, NO_DMA_FAULT).contains("no SMR matches"), witnessPath(identity, NO_DMA_FAULT));
        HandoffCheck.Outcome quirk = check(Platforms.C630, "rmr-identity", Map.of());
        assertTrue(witnessPath(quirk, NO_DMA_FAULT).contains("SMR[0] -> S2CR[0] FAULT"), witnessPath(quirk, NO_DMA_FAULT));
        HandoffCheck.Outcome dma = check(Platforms.C630, "rmr-dma", Map.of());
        assertEquals(Verdict.VIOLATED, verdict(dma, ISOLATION));
        String untranslated = witnessPath(identity, ISOLATION);
        assertTrue(untranslated.startsWith("a master no DT or IORT entry names: sCR0.CLIENTPD=1"), untranslated);
    }

    /**
     * An RMR that names a stream ID the display does not use (fw.rmr-streams=unrelated) gives the
     * live stream neither a bypass SMR (arm_smmu_rmr_install_bypass_smr) nor a direct mapping
     * (iort_iommu_get_resv_regions): the reset leaves it unmatched. On juno (one stream, generic
     * impl, identity default) the live RMR keeps it bypassing through the reset.
     */
    @Test
    void anRmrForOtherStreamsDoesNotProtectTheDisplay() {
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.JUNO, "rmr-identity", Map.of()), NO_DMA_FAULT));
        HandoffCheck.Outcome wrong = check(Platforms.JUNO, "rmr-identity", Map.of(Knobs.FW_RMR_STREAMS, "unrelated"));
        assertEquals(Verdict.VIOLATED, verdict(wrong, NO_DMA_FAULT));
        assertTrue(witnessPath(wrong, NO_DMA_FAULT).contains("no SMR matches"), witnessPath(wrong, NO_DMA_FAULT));
    }

    /**
     * Usual EFI: the GOP framebuffer is reserved but the firmware's SMMU page tables sit in
     * boot-services memory the kernel reclaims; a translated scanout then walks pages the page
     * allocator may hand out and rewrite (H1): corruption, and any outcome of the walk.
     */
    @Test
    void reclaimedFirmwareTablesAreWalkedAfterTheKernelRewritesThem() {
        HandoffCheck.Outcome o = check(Platforms.C630, "explicit-inherit", Map.of(Knobs.FW_MAPPING, "translated",
                Knobs.DISPLAY_RESET, "present", Knobs.HYP_CLIENTPD, "ignored"));
        assertEquals("unreserved", o.scenario().knob(Knobs.FW_TABLES));
        assertEquals("reserved", o.scenario().knob(Knobs.FW_FRAMEBUFFER));
        assertEquals(Verdict.VIOLATED, verdict(o, NO_CORRUPTION));
        assertEquals(dev.handoff.model.smmu.FetchOutcome.HANG, severity(o, NO_DMA_FAULT));
        assertTrue(rootCause(o, NO_DMA_FAULT).startsWith("page-allocator write(firmware page tables)"), rootCause(o, NO_DMA_FAULT));
    }

    /**
     * Firmware's display entries above the 128 groups qcom clamps to (fw.smr-slot=above-clamp):
     * with the hypervisor's quirk detected qcom_smmu_cfg_probe clamps num_mapping_groups
     * (5583a55e074b), so Linux neither reads them back nor resets them. The display's own probe
     * then claims a free low entry (SMR[1], the UFS controller has SMR[0]) for the same stream IDs (arm_smmu_master_alloc_smes: the
     * firmware's entry is invisible to arm_smmu_find_sme): two valid SMRs match, a stream match
     * conflict, which MMU-500's SMCFCFG=1 turns into a global fault (the SC8280XP report). Even
     * earlier the entries' S2CRs still point at the firmware's bank 0, which Linux hands to the UFS
     * controller's DMA domain: the display walks another device's tables. Bare metal (no quirk)
     * keeps every group, reads the entries back and reuses them; the older unconditional clamp
     * (122611347326, 5.10) conflicts even there.
     */
    @Test
    void firmwareEntriesAboveTheClampConflictWithTheDisplaysOwn() {
        HandoffCheck.Outcome clamped = check(Platforms.C630, "qcom-bypass", clocksKept(Map.of(Knobs.FW_SMR_SLOT, "above-clamp")));
        assertEquals(Verdict.VIOLATED, verdict(clamped, NO_DMA_FAULT));
        assertEquals(Verdict.VIOLATED, verdict(clamped, HandoffProperties.NO_STREAM_MATCH_CONFLICT));
        assertTrue(witnessPath(clamped, NO_DMA_FAULT).contains("SMR[8] -> S2CR[8] TRANS -> CB[0] SCTLR.M=1 walk other-default-domain"),
                witnessPath(clamped, NO_DMA_FAULT));
        assertEquals(dev.handoff.model.smmu.FetchOutcome.FATAL, severity(clamped, NO_DMA_FAULT), "the conflict's global fault");
        assertTrue(clamped.properties().get(0).files().stream()
                .anyMatch(f -> f.trace().witness().path().contains("stream match conflict on SMR[1, 8]")));
        Map<String, String> bare = clocksKept(Map.of(Knobs.FW_SMR_SLOT, "above-clamp", Knobs.HYP_BYPASS_QUIRK, "no"));
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.C630, "qcom-bypass", bare), HandoffProperties.NO_STREAM_MATCH_CONFLICT));
        Map<String, String> always = new HashMap<>(bare);
        always.put(Knobs.KERNEL_QCOM_SMR_CLAMP, "always");
        assertEquals(Verdict.VIOLATED, verdict(check(Platforms.C630, "qcom-bypass", always), HandoffProperties.NO_STREAM_MATCH_CONFLICT));
        ScenarioException e = org.junit.jupiter.api.Assertions.assertThrows(ScenarioException.class,
                () -> Scenario.of(Platforms.JUNO, null, Map.of(Knobs.FW_SMR_SLOT, "above-clamp")));
        assertTrue(e.getMessage().contains("only Qualcomm's implements more than 128 stream-match groups"), e.getMessage());
    }

    /**
     * Firmware's display entry at S2CR[N-1] (fw.smr-slot=last): qcom_smmu_cfg_probe writes BYPASS
     * there to detect the hypervisor's quirk, before any CLIENTPD write; the hypervisor lands it as
     * FAULT, and the live stream the entry matched faults at once (ICF, a global fault).
     */
    @Test
    void theQuirkProbeOverwritesAFirmwareEntryInTheLastGroup() {
        HandoffCheck.Outcome o = check(Platforms.C630, "qcom-bypass", Map.of(Knobs.FW_SMR_SLOT, "last"));
        assertEquals(Verdict.VIOLATED, verdict(o, NO_DMA_FAULT));
        assertTrue(rootCause(o, NO_DMA_FAULT).startsWith("arm-smmu qcom.probe_s2cr"), rootCause(o, NO_DMA_FAULT));
        assertEquals(dev.handoff.model.smmu.FetchOutcome.FATAL, severity(o, NO_DMA_FAULT));
    }

    /** Unreserved firmware pages: the allocator can hand out and overwrite the scanned-out framebuffer (H1). */
    @Test
    void unreservedFramebufferIsCorrupted() {
        HandoffCheck.Outcome o = check(Platforms.C630, "qcom-bypass", Map.of(Knobs.FW_FRAMEBUFFER, "unreserved"));
        assertEquals(Verdict.VIOLATED, verdict(o, NO_CORRUPTION));
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.C630, "qcom-bypass", Map.of()), NO_CORRUPTION));
    }

    /**
     * Tegra186: the display's traffic keeps the firmware's passthrough SID, which goes around the
     * SMMU, until the memory controller's override is written from probe_finalize (v5.14+); before
     * that the display hub's probe (host1x probes once arm-smmu has bound) asserts every window
     * group's reset, and only then creates the heads whose IOMMU probe and tegra_dc_probe's
     * unconditional reset follow. Programming the override at MC probe (5.10) moves the traffic to
     * SID 0x9 while no SMR matches it: an unidentified stream fault, reported (no Qualcomm firmware
     * here). If the window-group reset did not stop the fetch (display.hub-reset=keeps-scanning)
     * the default domain's direct mapping and the DC reset still keep the display safe.
     */
    @Test
    void tegraLateSidOverrideIsWhatKeepsTheDisplaySafe() {
        HandoffCheck.Outcome late = check(Platforms.TEGRA186, "tegra-late-sid", Map.of());
        assertEquals(Verdict.HOLDS, verdict(late, NO_DMA_FAULT));
        assertEquals(Verdict.HOLDS, verdict(late, RIGHT_PAGE));
        assertEquals("present", late.scenario().knob(Knobs.DISPLAY_RESET), "every tegra186 head has resets");
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.TEGRA186, "tegra-late-sid",
                clocksKept(Map.of(Knobs.DISPLAY_HUB_RESET, "keeps-scanning"))), NO_DMA_FAULT));
        assertEquals(Verdict.VIOLATED, verdict(check(Platforms.TEGRA186, "stock",
                clocksKept(Map.of(Knobs.DISPLAY_HUB_RESET, "keeps-scanning"))), NO_DMA_FAULT), "no direct mapping: the SID switch faults");
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.TEGRA186, "stock", clocksKept(Map.of())), NO_DMA_FAULT),
                "the hub's reset stops the engine before the head's SID switch");
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.TEGRA186, "tegra-late-sid",
                Map.of(Knobs.KERNEL_TEGRA_LATE_SID, "no", Knobs.FW_MC_SID_LOCK, "locked")), NO_DMA_FAULT),
                "a locked override is never written: the traffic keeps the passthrough SID");
        HandoffCheck.Outcome early = check(Platforms.TEGRA186, "tegra-late-sid", Map.of(Knobs.KERNEL_TEGRA_LATE_SID, "no"));
        assertEquals(Verdict.VIOLATED, verdict(early, NO_DMA_FAULT));
        assertTrue(witnessPath(early, NO_DMA_FAULT).contains("no SMR matches"), witnessPath(early, NO_DMA_FAULT));
        assertEquals(dev.handoff.model.smmu.FetchOutcome.FAULT, severity(early, NO_DMA_FAULT));
    }

    /**
     * host1x_client_iommu_attach keeps a head in its DMA default domain (the IOMMU-backed DMA API)
     * and moves it to the shared, empty tegra->domain only from IDENTITY: the driver attaches no
     * domain of its own under a DMA default (unlike msm), and it does so only after the DC reset.
     */
    @Test
    void tegraHeadsStayInTheirDmaDefaultDomain() {
        var dma = new dev.handoff.model.handoff.HandoffModel(Scenario.of(Platforms.TEGRA186, "tegra-late-sid", Map.of()), true);
        boolean ownAttached = dev.handoff.engine.formalism.Models.reachable(dma).stream().anyMatch(s -> s.ddrv().ownCb() >= 0);
        assertTrue(!ownAttached, "a DMA default domain is kept");
        var identity = new dev.handoff.model.handoff.HandoffModel(Scenario.of(Platforms.TEGRA186, "global-passthrough", Map.of()), true);
        assertTrue(dev.handoff.engine.formalism.Models.reachable(identity).stream().anyMatch(s -> s.ddrv().ownCb() >= 0 && s.scanout()
                != dev.handoff.model.display.Scanout.FIRMWARE_BUFFER), "IDENTITY moves to the shared domain, after the reset");
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
    void everyDtPolicyCompletes() {
        for (Policy p : Policies.all()) {
            HandoffCheck.Outcome o = check(Platforms.C630, p.name(), Map.of());
            boolean acpi = o.scenario().is(Knobs.FW_INTERFACE, "acpi");
            assertEquals(acpi ? Verdict.VIOLATED : Verdict.HOLDS, verdict(o, HANDOFF_COMPLETES), p.name());
        }
    }

    /**
     * An ACPI boot (implied by an IORT RMR): msm has no ACPI match table, so nothing binds the
     * MDSS, nothing probes its IOMMU (really_probe -> dma_configure runs only for a matched driver)
     * and efifb keeps the firmware framebuffer for the whole boot; the kernel never sets a mode.
     * arm_smmu_impl_init sees no of_node and the C630's IORT header is not in qcom_acpi_platlist:
     * the generic MMU-500 impl, so the RMR's bypass S2CR is written as BYPASS, which the
     * hypervisor lands as FAULT.
     */
    @Test
    void anAcpiBootBindsNoDisplayDriver() {
        HandoffCheck.Outcome o = check(Platforms.C630, "rmr-identity", Map.of());
        assertEquals("acpi", o.scenario().knob(Knobs.FW_INTERFACE), "an IORT RMR implies an ACPI boot");
        assertEquals(Verdict.VIOLATED, verdict(o, HANDOFF_COMPLETES));
        var m = new dev.handoff.model.handoff.HandoffModel(o.scenario(), true);
        assertTrue(m.actions().stream().noneMatch(a -> a.actor().equals("display-driver")), "no display driver");
        assertTrue(m.actions().stream().noneMatch(a -> a.name().startsWith("display.")), "no IOMMU probe of the display");
        assertTrue(!m.config().qcomImpl(), "generic MMU-500 hooks on the C630's ACPI boot");
        ScenarioException e = org.junit.jupiter.api.Assertions.assertThrows(ScenarioException.class,
                () -> Scenario.of(Platforms.C630, "rmr-identity", Map.of(Knobs.FW_INTERFACE, "dt")));
        assertTrue(e.getMessage().contains("an IORT RMR needs fw.interface=acpi"), e.getMessage());
    }

    /** The state count does not depend on the framebuffer's size: a fetch is one transition per outcome. */
    @Test
    void stateCountDoesNotGrowWithTheFramebuffer() {
        long small = -1;
        for (long bytes : new long[] {4096, 8 << 20, 36 << 20}) {
            Platform p = Platforms.C630.withFramebufferBytes(bytes);
            HandoffCheck.Outcome o = HandoffCheck.run(Scenario.of(p, "qcom-bypass", Map.of(Knobs.FW_MAPPING, "translated")),
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
                Scenario s = Scenario.of(p, policy.name(), Map.of(Knobs.FW_MAPPING, mapping, Knobs.FW_TABLES, "unreserved",
                        Knobs.FW_FRAMEBUFFER, "unreserved"));
                HandoffCheck.Outcome pruned = HandoffCheck.run(s, List.of(), true, true, 1, ExplorationSettings.defaults(),
                        SearchListener.NONE);
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

    static dev.handoff.model.smmu.FetchOutcome severity(HandoffCheck.Outcome o, String property) {
        return o.properties().stream().filter(p -> p.name().equals(property)).findFirst().orElseThrow().severity();
    }

    static String rootCause(HandoffCheck.Outcome o, String property) {
        return o.properties().stream().filter(p -> p.name().equals(property)).findFirst().orElseThrow().file().rootCause();
    }

    /**
     * explicit-only: with no inheritance the reset still writes the live display's S2CR from a
     * FAULT shadow; managing the IOMMU in the driver only changes what is attached later, so even
     * an MDSS reset comes too late.
     */
    @Test
    void explicitOnlyFaultsAtTheReset() {
        HandoffCheck.Outcome o = check(Platforms.C630, "explicit-only", Map.of(Knobs.DISPLAY_RESET, "present"));
        assertEquals(Verdict.VIOLATED, verdict(o, NO_DMA_FAULT));
        assertTrue(rootCause(o, NO_DMA_FAULT).startsWith("arm-smmu reset."), rootCause(o, NO_DMA_FAULT));
    }

    /**
     * explicit-inherit (Rob Clark + Bjorn's RFC): the SMR, its S2CR and the firmware's context bank
     * survive the reset, no default domain is attached, so the firmware's own translation stays in
     * force until the MDSS reset stops the engine, for either firmware mapping, where no CLIENTPD
     * window bypasses a translated mapping (a hypervisor keeping CLIENTPD; the MDSS reset needs
     * v5.19, the window came with v6.0) and the firmware's tables are kept from the page allocator.
     * Without a reset the driver's empty domain replaces it while the engine still scans.
     */
    @Test
    void explicitInheritHoldsWhenTheEngineIsResetFirst() {
        for (String mapping : List.of("identity", "translated")) {
            HandoffCheck.Outcome o = check(Platforms.C630, "explicit-inherit",
                    Map.of(Knobs.DISPLAY_RESET, "present", Knobs.FW_MAPPING, mapping, Knobs.HYP_CLIENTPD, "ignored",
                            Knobs.FW_TABLES, "reserved"));
            assertEquals(Verdict.HOLDS, o.verdict(), mapping + ": " + o.properties());
        }
        HandoffCheck.Outcome noReset = check(Platforms.C630, "explicit-inherit", clocksKept(Map.of()));
        assertTrue(rootCause(noReset, NO_DMA_FAULT).startsWith("display-driver attach_own_domain"), rootCause(noReset, NO_DMA_FAULT));
    }

    /**
     * The firmware used the last context bank, which qcom reserves to emulate bypass. Before
     * aded8c7c2b72 its stale SCTLR.M=1 keeps walking the firmware tables (translating right, by
     * accident) until the reset clears it; with the fix cfg_probe clears SCTLR at once. Either way
     * a translated scanout ends in bypass with PA = IOVA; the root cause moves.
     */
    @Test
    void sctlrFixMovesWhereTheStaleBankStopsTranslating() {
        Map<String, String> k = Map.of(Knobs.FW_LAST_BANK, "display", Knobs.FW_MAPPING, "translated", Knobs.KERNEL_VERSION, "5.15",
                Knobs.FW_TABLES, "reserved");
        HandoffCheck.Outcome pre = check(Platforms.C630, "qcom-pre-sctlr-fix", k);
        HandoffCheck.Outcome fixed = check(Platforms.C630, "qcom-bypass", k);
        assertEquals(Verdict.VIOLATED, verdict(pre, RIGHT_PAGE));
        assertEquals(Verdict.VIOLATED, verdict(fixed, RIGHT_PAGE));
        assertTrue(rootCause(pre, RIGHT_PAGE).startsWith("arm-smmu reset.cb[]"), rootCause(pre, RIGHT_PAGE));
        assertTrue(rootCause(fixed, RIGHT_PAGE).startsWith("arm-smmu qcom.quirk_sctlr"), rootCause(fixed, RIGHT_PAGE));
        assertTrue(pre.properties().get(1).trace().steps().size() > fixed.properties().get(1).trace().steps().size());
    }

    /**
     * The stale quirk bank of the SM8150 hang (aded8c7c2b72): firmware left the last bank
     * translating with another context's tables (fw.last-bank=foreign). qcom's bypass emulation
     * points the display's inherited S2CRs at that bank; before the fix its SCTLR.M stays 1 until
     * the reset's cb[last] write, so from the reset's S2CR writes on the live display walks foreign
     * tables: a hang, a fault or a wrong page. With the fix cfg_probe clears SCTLR first and the
     * display bypasses, PA = IOVA = the framebuffer. Since v6.0 the reset runs behind CLIENTPD, which
     * hides the window unless a hypervisor keeps CLIENTPD.
     */
    @Test
    void aStaleForeignQuirkBankIsWalkedBeforeTheSctlrFix() {
        Map<String, String> k = new HashMap<>(Map.of(Knobs.FW_LAST_BANK, "foreign", Knobs.HYP_CLIENTPD, "ignored"));
        HandoffCheck.Outcome pre = check(Platforms.C630, "qcom-pre-sctlr-fix", k);
        assertEquals(Verdict.VIOLATED, verdict(pre, RIGHT_PAGE));
        assertTrue(witnessPath(pre, RIGHT_PAGE).contains("foreign-context-tables"), witnessPath(pre, RIGHT_PAGE));
        assertTrue(rootCause(pre, RIGHT_PAGE).startsWith("arm-smmu reset.s2cr[]"), rootCause(pre, RIGHT_PAGE));
        assertEquals(dev.handoff.model.smmu.FetchOutcome.HANG, severity(pre, NO_DMA_FAULT));
        HandoffCheck.Outcome fixed = check(Platforms.C630, "qcom-bypass", k);
        assertEquals(Verdict.HOLDS, verdict(fixed, RIGHT_PAGE));
        assertEquals(Verdict.HOLDS, verdict(fixed, NO_DMA_FAULT), "bypass through the cleared bank, then late init gates the engine");
        k.remove(Knobs.HYP_CLIENTPD);
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.C630, "qcom-pre-sctlr-fix", k), RIGHT_PAGE),
                "behind CLIENTPD the foreign walk never happens");
    }

    /**
     * On the C630 the DT descriptions and the global passthrough do not save the display: qcom's
     * def_domain_type already makes the MDSS IDENTITY (so direct mappings, which only a DMA domain
     * takes, never apply), and without inheritance the reset faults the live stream first.
     */
    @Test
    void descriptionsDoNotHelpWithoutInheritanceOnTheC630() {
        for (String p : List.of("dt-iommu-addresses", "dt-iommu-addresses-nonidentity", "asahi-translated", "global-passthrough")) {
            HandoffCheck.Outcome o = check(Platforms.C630, p, Map.of(Knobs.FW_TABLES, "reserved"));
            assertEquals(Verdict.VIOLATED, verdict(o, NO_DMA_FAULT), p);
            assertTrue(rootCause(o, NO_DMA_FAULT).startsWith("arm-smmu reset."), p + ": " + rootCause(o, NO_DMA_FAULT));
        }
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.C630, "global-passthrough", Map.of(Knobs.KERNEL_VERSION, "5.15")),
                ISOLATION), "every default domain is IDENTITY, and no CLIENTPD window lets an undescribed master bypass");
    }

    /**
     * What each description puts into a DMA default domain (of_iommu_get_resv_regions): an identity
     * iommu-addresses entry a 1:1 DIRECT mapping; a non-identity one is demoted to a reservation
     * (nothing mapped); Asahi's out-of-tree type maps the firmware IOVA onto the framebuffer.
     */
    @Test
    void descriptionsAndTheDirectMappingsTheyProduce() {
        var identity = dev.handoff.model.handoff.HandoffConfig.of(Scenario.of(Platforms.C630, "dt-iommu-addresses", Map.of()));
        var demoted = dev.handoff.model.handoff.HandoffConfig.of(Scenario.of(Platforms.C630, "dt-iommu-addresses-nonidentity", Map.of()));
        var asahi = dev.handoff.model.handoff.HandoffConfig.of(Scenario.of(Platforms.C630, "asahi-translated",
                Map.of(Knobs.FW_MAPPING, "translated")));
        var zero = dev.handoff.model.handoff.HandoffConfig.of(Scenario.of(Platforms.C630, "dt-iommu-addresses",
                Map.of(Knobs.FW_IOMMU_ADDRESSES_LENGTH, "zero")));
        assertTrue(identity.directRegion() && !identity.translatedRegion());
        assertTrue(!demoted.directRegion() && !demoted.translatedRegion(), "demoted to IOMMU_RESV_RESERVED");
        assertTrue(!asahi.directRegion() && asahi.translatedRegion());
        assertTrue(!zero.directRegion(), "a zero-length entry maps nothing");
        var m = new dev.handoff.model.handoff.HandoffModel(asahi, true, new dev.handoff.model.constraints.ConstraintAdapter());
        var s = m.initialStates().get(0);
        s = s.withDevice(0, s.display().withDirect(false, true));
        var ranges = m.tables(s).apply(dev.handoff.model.smmu.Tables.DISPLAY_DEFAULT).ranges();
        assertEquals(1, ranges.size());
        assertEquals(asahi.fwIovaPage(), ranges.get(0).iovaPage());
        assertEquals(asahi.fbPage(), ranges.get(0).paPage());
    }

    /**
     * Juno (generic arm-smmu, DMA-API display driver) with an identity iommu-addresses entry and a
     * driver that keeps the firmware's SMR and bank through the reset (the 2019 RFC, as a what-if
     * on a generic SMMU): the display's DMA default domain on v2 cannot take the direct mapping
     * before its first attach (arm_smmu_map_pages: -ENODEV), so the attach points the stream at
     * an empty table until iommu_setup_default_domain's retry (H9). If mappings before attach
     * worked (v3, the reverted 2024 v2 change), it holds, but only where the core maps before the
     * attach at all (iommu_setup_default_domain, v6.5+). On an ACPI boot (rmr-dma) hdlcd does not
     * bind and nothing probes the display: no attach, no window.
     */
    @Test
    void aDmaDomainFaultsInTheMapAfterAttachWindow() {
        Map<String, String> k = clocksKept(Map.of(Knobs.KERNEL_INHERIT, "keep-translation"));
        HandoffCheck.Outcome dma = check(Platforms.JUNO, "dt-iommu-addresses", k);
        assertEquals(Verdict.VIOLATED, verdict(dma, NO_DMA_FAULT));
        assertTrue(witnessPath(dma, NO_DMA_FAULT).contains("display-default-domain: no leaf"), witnessPath(dma, NO_DMA_FAULT));
        assertTrue(rootCause(dma, NO_DMA_FAULT).startsWith("iommu-core display.attach.s2cr[]"), rootCause(dma, NO_DMA_FAULT));
        k.put(Knobs.KERNEL_MAP_BEFORE_ATTACH, "works");
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.JUNO, "dt-iommu-addresses", k), NO_DMA_FAULT));
        k.put(Knobs.KERNEL_DIRECT_MAP_ORDER, "after-attach");
        assertEquals(Verdict.VIOLATED, verdict(check(Platforms.JUNO, "dt-iommu-addresses", k), NO_DMA_FAULT),
                "6.1's iommu_probe_device attaches first and maps after, whatever the driver could do");
        assertEquals(Verdict.HOLDS, verdict(check(Platforms.JUNO, "rmr-dma", Map.of()), NO_DMA_FAULT));
    }

    /**
     * Generic arm-smmu has no inheritance: whatever the DT describes, the reset empties the stream
     * table before the display's IOMMU probe can map anything; the stream faults once the reset's
     * last sCR0 write ends the CLIENTPD window (before v6.0: at the S2CR write itself).
     */
    @Test
    void iommuAddressesAloneDoNotSurviveAGenericReset() {
        HandoffCheck.Outcome o = check(Platforms.JUNO, "dt-iommu-addresses", Map.of());
        assertEquals(Verdict.VIOLATED, verdict(o, NO_DMA_FAULT));
        assertTrue(rootCause(o, NO_DMA_FAULT).startsWith("arm-smmu reset.scr0"), rootCause(o, NO_DMA_FAULT));
        HandoffCheck.Outcome old = check(Platforms.JUNO, "dt-iommu-addresses", Map.of(Knobs.KERNEL_VERSION, "5.15"));
        assertTrue(rootCause(old, NO_DMA_FAULT).startsWith("arm-smmu reset.s2cr[]"), rootCause(old, NO_DMA_FAULT));
    }

    /** A DMA-API display driver attaches no domain of its own: its new buffer goes into the default domain. */
    @Test
    void dmaApiDisplayHasNoOwnDomainSteps() {
        var m = new dev.handoff.model.handoff.HandoffModel(Scenario.of(Platforms.JUNO, "stock", Map.of()), true);
        assertTrue(m.actions().stream().noneMatch(a -> a.name().startsWith("attach_own_domain")));
        assertTrue(m.actions().stream().anyMatch(a -> a.name().equals("pin_new_fb")));
    }
}
