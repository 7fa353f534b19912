package dev.handoff.model.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The embedded platforms. Boards read from a device tree build their own {@link Platform}. */
public final class Platforms {
    /**
     * Lenovo Yoga C630 (sdm850), the laptop of the 2019 thread and the embedded default:
     * apps_smmu MMU-500 {@code qcom,sdm845-smmu-500} with the qcom hooks; MDSS
     * {@code qcom,sdm845-mdss} with {@code iommus = <0x880 0x8>, <0xc80 0x8>}, no {@code resets};
     * the firmware framebuffer comes through UEFI GOP (1920×1080×4 at 0x80400000, where the
     * C630's UEFI GOP places it on real boots; the DT does not describe it). The UFS controller ({@code iommus = <0x100 0xf>}) is the
     * unrelated master. A translated firmware mapping scans out at IOVA 1 GiB (no source gives the
     * real one; it is chosen clear of the driver's own buffers). The S2CR hypervisor quirk is on by default: the qcom quirk was written for
     * the firmware of these sdm845 laptops [READING of commit f9081b8ff593's motivation]. A global
     * fault is taken to reset the machine ({@code fw.global-fault=reset}): Bjorn Andersson's
     * bootloader-mappings series speaks of "catastrophic faults during arm-smmu initialization" on
     * these laptops [UNVERIFIED that the firmware, not the stalled display, resets it]. Booted with
     * ACPI it gets MMU-500's generic hooks: its IORT header (LENOVO, CB-01, revision 1) is not in
     * qcom_acpi_platlist, which wants revision 0x8180; and its named components (\_SB.GPU0 carries
     * the display's stream IDs) have range ID mappings only, which iort_nc_iommu_map ignores.
     */
    public static final Platform C630 = new Platform("c630",
            "Lenovo Yoga C630 (sdm850): MMU-500 with qcom hooks, MDSS 0x880/0x8 + 0xc80/0x8, no MDSS reset, GOP framebuffer",
            Platform.SmmuImpl.QCOM, 8, 8, "qcom,sdm845-mdss",
            List.of(new StreamEntry(0x880, 0x8), new StreamEntry(0xc80, 0x8)),
            Platform.DisplayFlavour.MSM, 0x8040_0000L, 8_298_496L, 0x4000_0000L,
            List.of(new Master("ufs@1d84000", List.of(new StreamEntry(0x100, 0xf)))), -1,
            Map.of(Knobs.DISPLAY_RESET, "absent", Knobs.HYP_BYPASS_QUIRK, "yes", Knobs.FW_GLOBAL_FAULT, "reset"),
            Platform.AcpiFacts.GENERIC_RANGES);

    /**
     * NVIDIA Jetson TX2 (tegra186): MMU-500 with the nvidia hooks; display controller stream ID
     * 0x9 chosen by the memory controller's SID override, matched with the SMMU node's
     * {@code stream-match-mask = <0x7f80>} (1-cell {@code iommus}, arm_smmu_of_xlate); firmware leaves the passthrough SID
     * 0x7f in the override [BRIEF 3.4, 7; UNVERIFIED: the kernel only logs the old value]. Every head
     * has {@code resets} (tegra186.dtsi), which tegra_dc_probe asserts unconditionally after the
     * head's IOMMU probe (a missing reset fails the probe). No qcom hypervisor. It boots with a
     * device tree; its ACPI facts are a what-if.
     */
    public static final Platform TEGRA186 = new Platform("tegra186",
            "NVIDIA Jetson TX2 (tegra186): MMU-500 with nvidia hooks, display SID 0x9 via MC override (firmware: 0x7f), DC reset",
            Platform.SmmuImpl.NVIDIA, 8, 8, "nvidia,tegra186-dc",
            List.of(new StreamEntry(0x9, 0x7f80)),
            Platform.DisplayFlavour.TEGRA, 0x9600_0000L, 8_298_496L, 0x4000_0000L,
            List.of(new Master("sdhci@3400000", List.of(new StreamEntry(0x2, 0x7f80)))), 0x7f,
            Map.of(Knobs.DISPLAY_RESET, "present"), Platform.AcpiFacts.GENERIC_RANGES);

    /**
     * Arm Juno r1 with its HDLCD behind a dedicated MMU-401 ({@code arm,mmu-401}, generic arm-smmu,
     * no vendor hooks), stream ID 0, and an EDK2 GOP framebuffer: the case Robin Murphy hit in his
     * review of the 2019 RFC [BRIEF 5.2]. The hdlcd driver maps its buffers through the DMA API in
     * the default domain, and stops the engine EFI left running when it binds (hdlcd_drm_bind
     * clears HDLCD_REG_COMMAND, 6.12 hdlcd_drv.c:283-289): display.reset=present. Framebuffer address and SMMU sizes are representative. Its ACPI boot is
     * taken to give named components single ID mappings [UNVERIFIED: EDK2's Juno IORT].
     */
    public static final Platform JUNO = new Platform("juno",
            "Arm Juno r1: HDLCD behind its own MMU-401 (generic arm-smmu), stream 0x0, DMA-API driver, GOP framebuffer",
            Platform.SmmuImpl.GENERIC, 4, 4, "arm,hdlcd", List.of(new StreamEntry(0x0, 0x0)),
            Platform.DisplayFlavour.DMA_API, 0xfe00_0000L, 8_298_496L, 0x4000_0000L,
            List.of(), -1,
            Map.of(Knobs.DISPLAY_RESET, "present"), new Platform.AcpiFacts(Platform.SmmuImpl.GENERIC, true));

    private static final Map<String, Platform> ALL = new LinkedHashMap<>();

    static {
        ALL.put(C630.name(), C630);
        ALL.put(TEGRA186.name(), TEGRA186);
        ALL.put(JUNO.name(), JUNO);
    }

    private Platforms() {
    }

    public static List<Platform> all() {
        return List.copyOf(ALL.values());
    }

    public static Platform get(String name, String where) {
        Platform p = ALL.get(name);
        if (p == null) {
            throw new ScenarioException(where + "platform \"" + name + "\" is unknown (known: "
                    + String.join(", ", ALL.keySet()) + ")");
        }
        return p;
    }
}
