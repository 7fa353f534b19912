package dev.handoff.model.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every knob of the handoff model. A knob selects a mechanism, never an outcome; where the
 * domain brief is unsure how the hardware or firmware behaves, the alternatives are values.
 */
public final class Knobs {
    public static final String SMMU_VERSION = "smmu.version";
    public static final String FW_INTERFACE = "fw.interface";
    public static final String FW_MAPPING = "fw.mapping";
    public static final String FW_TABLES = "fw.tables";
    public static final String FW_FRAMEBUFFER = "fw.framebuffer";
    public static final String FW_SMR = "fw.smr";
    public static final String FW_LIVE_STREAMS = "fw.live-streams";
    public static final String FW_DESCRIPTION = "fw.description";
    public static final String FW_QUIESCE = "fw.quiesce";
    public static final String FW_EXTRA_PIPE = "fw.extra-pipe";
    public static final String FW_PROGRAMMED = "fw.programmed";
    public static final String FW_DESCRIBES = "fw.describes";
    public static final String FW_UNMATCHED = "fw.unmatched";
    public static final String FW_CONFLICT_FAULT = "fw.conflict-fault";
    public static final String FW_IOMMU_ADDRESSES_LENGTH = "fw.iommu-addresses-length";
    public static final String FW_CONTEXT_BANK = "fw.context-bank";
    public static final String FW_SMR_SLOT = "fw.smr-slot";
    public static final String FW_LAST_BANK = "fw.last-bank";
    public static final String FW_RMR_STREAMS = "fw.rmr-streams";
    public static final String TEGRA_PASSTHROUGH = "smmu.tegra-passthrough";
    public static final String FW_GLOBAL_FAULT = "fw.global-fault";
    public static final String FW_MC_SID_LOCK = "fw.mc-sid-lock";
    public static final String HYP_BYPASS_QUIRK = "hyp.bypass-quirk";
    public static final String HYP_SMR_WRITES = "hyp.smr-writes";
    public static final String HYP_CLIENTPD = "hyp.clientpd";
    public static final String DISPLAY_RESET = "display.reset";
    public static final String DISPLAY_MASTER = "display.master";
    public static final String DISPLAY_HUB_RESET = "display.hub-reset";
    public static final String KERNEL_VERSION = "kernel.version";
    public static final String KERNEL_DISABLE_BYPASS = "kernel.disable-bypass";
    public static final String KERNEL_INHERIT = "kernel.inherit";
    public static final String KERNEL_DEFAULT_DOMAIN = "kernel.default-domain";
    public static final String KERNEL_EXPLICIT_IOMMU = "kernel.explicit-iommu";
    public static final String KERNEL_DISPLAY_TAKEOVER = "kernel.display-takeover";
    public static final String KERNEL_TEGRA_LATE_SID = "kernel.tegra-late-sid";
    public static final String KERNEL_QCOM_SCTLR_FIX = "kernel.qcom-sctlr-fix";
    public static final String KERNEL_QCOM_MASK_FIX = "kernel.qcom-mask-fix";
    public static final String KERNEL_MAP_BEFORE_ATTACH = "kernel.map-before-attach";
    public static final String KERNEL_ZERO_LENGTH_FIX = "kernel.zero-length-fix";
    public static final String KERNEL_RESV_TRANSLATED = "kernel.resv-translated";
    public static final String KERNEL_RMR_BYPASS_SMR = "kernel.rmr-bypass-smr";
    public static final String KERNEL_IOMMU_ADDRESSES = "kernel.iommu-addresses";
    public static final String KERNEL_MDSS_RESET = "kernel.mdss-reset";
    public static final String KERNEL_QCOM_SMR_CLAMP = "kernel.qcom-smr-clamp";
    public static final String KERNEL_DISPLAY_DRIVER = "kernel.display-driver";
    public static final String KERNEL_DIRECT_MAP_ORDER = "kernel.direct-map-order";
    public static final String KERNEL_CLK_IGNORE_UNUSED = "kernel.clk-ignore-unused";
    public static final String KERNEL_PROBE_ORDER = "kernel.probe-order";

    private static final Map<String, Knob> ALL = new LinkedHashMap<>();

    static {
        add(SMMU_VERSION, Knob.Kind.HARDWARE, "SMMU architecture: v2 (MMU-500, SMR/S2CR/context banks) or v3 (stream table, GBPA).",
                "v2", "v3");
        add(FW_INTERFACE, Knob.Kind.FIRMWARE, "How the firmware describes the board: a device tree (dt) or ACPI tables (acpi)."
                + " An IORT RMR implies acpi, iommu-addresses and the passthrough flag imply dt (a contradiction is bad"
                + " input). On ACPI arm_smmu_impl_init sees no of_node (qcom hooks only through qcom_acpi_platlist),"
                + " qcom_smmu_def_domain_type never matches, clients get stream IDs only from IORT single ID mappings,"
                + " and no modelled display driver (msm, tegra, hdlcd) has an ACPI match table: nothing probes the"
                + " display or its IOMMU, and efifb keeps the firmware framebuffer for the whole boot.", "dt", "acpi");
        add(FW_MAPPING, Knob.Kind.FIRMWARE, "Firmware's display translation: identity (IOVA = PA: context bank with SCTLR.M=0)"
                + " or translated (IOVA != PA through firmware page tables).", "identity", "translated");
        add(FW_TABLES, Knob.Kind.FIRMWARE, "The firmware's display page tables are reserved from the kernel's page allocator,"
                + " or unreserved (H1: allocated as UEFI boot-services data, which the kernel reclaims at"
                + " ExitBootServices and may allocate and write while the SMMU still walks them; the usual EFI case"
                + " [UNVERIFIED for Qualcomm's DisplayDxe]). Matters only for a translated mapping.",
                "unreserved", "reserved");
        add(FW_FRAMEBUFFER, Knob.Kind.FIRMWARE, "The firmware framebuffer is reserved (a no-map reserved-memory region, or"
                + " the EFI memory map's entry for the GOP framebuffer) or unreserved (H1: the kernel may allocate and"
                + " write it while it is scanned out, as on db845c before its 2023 no-map splash region).",
                "reserved", "unreserved");
        add(FW_SMR, Knob.Kind.FIRMWARE, "Firmware's stream-match entry for the display against the DT 'iommus': match (equal),"
                + " superset (one wider entry covering all), partial (narrower single-ID entries; H13).",
                "match", "superset", "partial");
        add(FW_SMR_SLOT, Knob.Kind.FIRMWARE, "Which stream-match groups the firmware's display entries occupy: the first,"
                + " the last below 128 (S2CR[N-1], which qcom_smmu_cfg_probe's bypass probe overwrites), or above 128"
                + " (Qualcomm's MMU-500 implements more groups than the architecture; when qcom clamps"
                + " num_mapping_groups to 128 Linux never sees or resets them: the SC8280XP stream match conflict).",
                "first", "last", "above-clamp");
        add(FW_LIVE_STREAMS, Knob.Kind.FIRMWARE, "Which of the display's stream IDs carry live scanout traffic: one (the first)"
                + " or all that the DT entries match.", "all", "one");
        add(FW_DESCRIPTION, Knob.Kind.FIRMWARE, "What firmware tells the OS about the live mapping: none, an IORT RMR node (ACPI),"
                + " a reserved-memory 'iommu-addresses' entry (DT), or a per-device passthrough flag"
                + " (proposed 2019, not mainline).", "none", "rmr", "iommu-addresses", "passthrough-flag");
        add(FW_QUIESCE, Knob.Kind.FIRMWARE, "Firmware stops the display engine before handing off.", "no", "yes");
        add(FW_EXTRA_PIPE, Knob.Kind.FIRMWARE, "Firmware left a second pipe (an SSPP/layer mixer path) scanning its buffer that"
                + " the driver's first modeset does not reprogram: DPU never disables hardware its DRM state did not"
                + " allocate, so only an engine reset stops it (an SC7180 devkit logs 'Unhandled context fault' at the"
                + " EFI framebuffer's address while the display works).", "no", "yes");
        add(FW_PROGRAMMED, Knob.Kind.FIRMWARE, "Which clients of the display's SMMU the firmware left programmed: the display"
                + " alone; every display controller the board describes (displays: each scans the splash through the"
                + " firmware's context bank, clone mode, as a laptop with two MDSS or a board with several lit heads"
                + " boots); or, on top of that, one stream-match entry of type BYPASS per stream of every other"
                + " described client (all-described: boot stages that used storage, USB or DMA engines behind the SMMU"
                + " and left their entries). No bootloader documents which. The other displays' drivers are not"
                + " modelled, so their scanout runs to the end of the run: an over-approximation (a proof stays a"
                + " proof; a violation that needs their fetch after their own driver's reset would be spurious).",
                "display", "displays", "all-described");
        add(FW_DESCRIBES, Knob.Kind.FIRMWARE, "Which live displays fw.description covers when fw.programmed lit several:"
                + " every one (an RMR naming every lit display's streams, an iommu-addresses entry or passthrough flag on"
                + " every lit display's node) or only the display (a bootloader that fixes up one node, as U-Boot's"
                + " simple-framebuffer fixup does).", "every-lit-display", "display-only");
        add(FW_UNMATCHED, Knob.Kind.FIRMWARE, "sCR0.USFCFG as firmware leaves it: unmatched streams bypass or abort.", "abort", "bypass");
        add(FW_CONFLICT_FAULT, Knob.Kind.FIRMWARE, "sCR0.SMCFCFG as firmware leaves it (Linux never writes it): a stream matching"
                + " several SMRs raises a stream match conflict fault (yes; MMU-500's reset value of sCR0, 0x00200001,"
                + " has it set) or bypasses the SMMU (no; IHI 0062D.c 2.1.1).", "yes", "no");
        add(FW_IOMMU_ADDRESSES_LENGTH, Knob.Kind.FIRMWARE, "Length in the firmware's iommu-addresses entry: full (the framebuffer)"
                + " or zero (a placeholder firmware forgot to fill; H11).", "full", "zero");
        add(FW_CONTEXT_BANK, Knob.Kind.FIRMWARE, "The context bank the firmware gives the display, counted from the first"
                + " (the SM8150 firmware used bank 2); below the last bank, which fw.last-bank describes.",
                "0", "1", "2", "3");
        add(FW_LAST_BANK, Knob.Kind.FIRMWARE, "What the last context bank (the one qcom_smmu_cfg_probe reserves to emulate"
                + " bypass) holds at handoff: clean (SCTLR.M=0), display (the firmware's display bank, fw.context-bank"
                + " then ignored), or foreign (translating, SCTLR.M=1, with another context's tables: the SM8150 hang"
                + " that aded8c7c2b72 fixed).", "clean", "display", "foreign");
        add(FW_RMR_STREAMS, Knob.Kind.FIRMWARE, "Which stream IDs an IORT RMR names: the display's live ones, or an"
                + " unrelated one (a table copied from another board, or stale).", "live", "unrelated");
        add(TEGRA_PASSTHROUGH, Knob.Kind.HARDWARE, "Tegra: traffic carrying the memory controller's passthrough SID (0x7f) goes around"
                + " the SMMU untranslated, or enters it as an ordinary stream that firmware matched with an SMR"
                + " [UNVERIFIED which].", "bypasses-smmu", "smmu-stream");
        add(FW_GLOBAL_FAULT, Knob.Kind.FIRMWARE, "What an SMMU global fault (unidentified stream with USFCFG=1,"
                + " S2CR type FAULT, stream match conflict, invalid context) does beyond aborting the transaction:"
                + " reported (arm_smmu_global_fault logs and clears it, the machine runs on) or reset (the machine"
                + " resets, as reports from Qualcomm laptops describe [UNVERIFIED whether the firmware itself resets"
                + " on the fault]): the severity 'fatal' instead of 'fault'.",
                "reported", "reset");
        add(FW_MC_SID_LOCK, Knob.Kind.FIRMWARE, "Tegra: whether the firmware locked the display client's memory-controller"
                + " SID override (SECURITY_OVERRIDE clear, WRITE_ACCESS_DISABLED set): tegra186_mc_client_sid_override"
                + " then writes nothing and the traffic keeps the firmware's SID.", "unlocked", "locked");
        add(HYP_BYPASS_QUIRK, Knob.Kind.FIRMWARE, "Qualcomm hypervisor turns S2CR BYPASS writes into FAULT and ignores FAULT writes"
                + " (qcom_smmu_cfg_probe detects it).", "no", "yes");
        add(HYP_SMR_WRITES, Knob.Kind.FIRMWARE, "Hypervisor lets SMR writes through, or ignores them (QCS404-like).", "accepted", "ignored");
        add(HYP_CLIENTPD, Knob.Kind.FIRMWARE, "Whether a hypervisor that traps the SMMU's global registers lets Linux's"
                + " sCR0.CLIENTPD writes through (honoured) or keeps CLIENTPD as firmware left it (ignored)"
                + " [UNVERIFIED for Qualcomm's: it emulates S2CR writes, nobody has reported what it does with sCR0].",
                "honoured", "ignored");
        add(DISPLAY_RESET, Knob.Kind.HARDWARE, "Whether the display driver stops the engine when it binds: msm only through the"
                + " MDSS node's 'resets' (msm_mdss_reset: sc8280xp has them, sdm845 and sc7180 do not), tegra-dc through its"
                + " mandatory 'dc' reset, hdlcd by clearing HDLCD_REG_COMMAND (hdlcd_drm_bind).", "absent", "present");
        add(DISPLAY_HUB_RESET, Knob.Kind.HARDWARE, "Tegra: whether the display hub's window-group resets, asserted at"
                + " tegra_display_hub_probe before the heads exist, stop a live fetch (stops-scanout) or not"
                + " [UNVERIFIED: a BPMP reset of an active window group].", "stops-scanout", "keeps-scanning");
        add(DISPLAY_MASTER, Knob.Kind.HARDWARE, "The DMA master only reads (scanout) or also writes (writeback/GPU-like), for"
                + " no-corruption.", "reader", "writer");
        ALL.put(KERNEL_VERSION, new Knob(KERNEL_VERSION, Knob.Kind.KERNEL, KernelVersions.VERSIONS, KernelVersions.DEFAULT,
                "The Linux version (its current stable release). It sets every version-dependent mechanism knob"
                        + " ('handoff list kernels'); a policy, a scenario file or --set may still override one."));
        add(KERNEL_DISABLE_BYPASS, Knob.Kind.KERNEL, "arm-smmu.disable_bypass (CONFIG_ARM_SMMU_DISABLE_BYPASS_BY_DEFAULT): shadow"
                + " S2CRs start as FAULT and sCR0.USFCFG=1.", "yes", "no");
        add(KERNEL_INHERIT, Knob.Kind.KERNEL, "What the driver inherits from firmware: the qcom read-back of valid SMRs as"
                + " BYPASS with the S2CR quirk probe (qcom_smmu_cfg_probe, v5.11 / 5.10.4), none (no cfg_probe: neither"
                + " read-back nor quirk probe, as before), or SMR and context bank kept translating (2019 RFC).",
                "qcom-bypass", "none", "keep-translation");
        add(KERNEL_DEFAULT_DOMAIN, Knob.Kind.KERNEL, "Global default domain type (iommu.passthrough): dma or identity; driver"
                + " hooks such as qcom_smmu_def_domain_type still override it.", "dma", "identity");
        add(KERNEL_EXPLICIT_IOMMU, Knob.Kind.KERNEL, "The display driver manages the IOMMU itself: the core skips attaching a"
                + " default domain to it (2019 proposal, not mainline).", "no", "yes");
        add(KERNEL_DISPLAY_TAKEOVER, Knob.Kind.KERNEL, "How the display driver takes over: a fresh buffer at a new IOVA, or read"
                + " back the scanout address and map the firmware buffer at the same IOVA first.",
                "fresh-buffer", "readback-remap");
        add(KERNEL_TEGRA_LATE_SID, Knob.Kind.KERNEL, "Tegra: program the memory-controller SID override only in probe_finalize"
                + " (v5.14+), not at MC probe.", "yes", "no");
        add(KERNEL_QCOM_SCTLR_FIX, Knob.Kind.KERNEL, "qcom_smmu_cfg_probe clears SCTLR of the reserved bypass bank (aded8c7c2b72);"
                + " 'no' models kernels before the fix.", "yes", "no");
        add(KERNEL_QCOM_MASK_FIX, Knob.Kind.KERNEL, "qcom_smmu_cfg_probe strips SMR.VALID before extracting the mask (2021 fix);"
                + " 'no' reads VALID into mask bit 15.", "yes", "no");
        add(KERNEL_MAP_BEFORE_ATTACH, Knob.Kind.KERNEL, "Whether a paging domain accepts mappings before its first attach: fails"
                + " for arm-smmu v2 (arm_smmu_map_pages returns -ENODEV until the context exists), works for"
                + " v3 and the reverted 2024 v2 change; 'auto' follows smmu.version.", "auto", "fails", "works");
        add(KERNEL_ZERO_LENGTH_FIX, Knob.Kind.KERNEL, "of_iommu skips zero-length iommu-addresses entries (late 2023 fix); 'no'"
                + " reserves the whole IOVA space.", "yes", "no");
        add(KERNEL_RESV_TRANSLATED, Knob.Kind.KERNEL, "Out-of-tree IOMMU_RESV_TRANSLATED (Asahi): a non-identity iommu-addresses"
                + " entry is mapped iova->pa before attach instead of demoted to a reservation.", "no", "yes");
        add(KERNEL_RMR_BYPASS_SMR, Knob.Kind.KERNEL, "arm_smmu_rmr_install_bypass_smr (v6.0) runs on every arm-smmu v2 probe,"
                + " DT boots included: sCR0.CLIENTPD := 1 (every master bypasses until the reset's last sCR0 write),"
                + " then each IORT RMR stream ID gets a bypass SMR through arm_smmu_find_sme(sid, ~0) (SMMUv3: bypass"
                + " STEs, arm_smmu_rmr_install_bypass_ste); 'no': kernels before it, no CLIENTPD write, RMRs ignored.",
                "yes", "no");
        add(KERNEL_IOMMU_ADDRESSES, Knob.Kind.KERNEL, "of_iommu_get_resv_regions reads reserved-memory 'iommu-addresses' (v6.3);"
                + " 'no': older kernels ignore the property.", "yes", "no");
        add(KERNEL_MDSS_RESET, Knob.Kind.KERNEL, "msm_mdss_init calls msm_mdss_reset, which asserts the MDSS node's 'resets'"
                + " for 20 ms (v5.19); 'no': older kernels never reset the MDSS.", "yes", "no");
        add(KERNEL_QCOM_SMR_CLAMP, Knob.Kind.KERNEL, "When qcom_smmu_cfg_probe clamps num_mapping_groups to 128:"
                + " with-bypass-quirk (5583a55e074b: only under the hypervisor, bare metal keeps every group) or always"
                + " (122611347326).", "with-bypass-quirk", "always");
        add(KERNEL_DIRECT_MAP_ORDER, Knob.Kind.KERNEL, "When the IOMMU core maps a device's direct regions into its default"
                + " domain: before-attach (iommu_setup_default_domain, v6.5+: first before the attach, again after it if"
                + " that failed) or after-attach (6.1's iommu_probe_device: attach, then map).", "before-attach", "after-attach");
        add(KERNEL_DISPLAY_DRIVER, Knob.Kind.KERNEL, "How the display driver (msm, tegra-drm, hdlcd) is built: a module, loaded"
                + " after late_initcall_sync, or built in and bound before it (Debian builds it as a module).",
                "module", "builtin");
        add(KERNEL_CLK_IGNORE_UNUSED, Knob.Kind.KERNEL, "clk_ignore_unused pd_ignore_unused on the command line (common on"
                + " Qualcomm laptops): late_initcall_sync leaves clocks and power domains nobody claimed running. Without"
                + " them clk_disable_unused and genpd_power_off_unused gate a display the firmware left running (efifb"
                + " claims no clock) before a modular driver binds: the engine stops [UNVERIFIED: that it stops cleanly"
                + " rather than hanging a transaction in flight].", "no", "yes");
        add(KERNEL_PROBE_ORDER, Knob.Kind.KERNEL, "The order in which the IOMMU core probes the SMMU's clients. A client is"
                + " probed when its driver binds (really_probe -> dma_configure -> of_iommu_configure), one at a time"
                + " (__iommu_probe_device runs under iommu_probe_device_lock); which driver binds first depends on"
                + " initcall levels, module loading and deferral, which no DT fixes. 'display-last': every other client"
                + " in DT order, then the display; 'any': every order the lock allows.", "display-last", "any");
    }

    private Knobs() {
    }

    private static void add(String name, Knob.Kind kind, String description, String... values) {
        ALL.put(name, new Knob(name, kind, List.of(values), values[0], description));
    }

    /** Every knob in documentation order. */
    public static List<Knob> all() {
        return List.copyOf(ALL.values());
    }

    /** The knob, or a {@link ScenarioException} naming the known ones. */
    public static Knob get(String name, String where) {
        Knob k = ALL.get(name);
        if (k == null) {
            throw new ScenarioException(where + "knob \"" + name + "\" is unknown (known: "
                    + String.join(", ", ALL.keySet()) + ")");
        }
        return k;
    }

    /** Every knob at its default. */
    public static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Knob k : ALL.values()) {
            m.put(k.name(), k.defaultValue());
        }
        return m;
    }
}
