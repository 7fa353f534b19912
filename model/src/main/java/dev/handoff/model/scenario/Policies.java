package dev.handoff.model.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.handoff.model.scenario.Knobs.*;

/**
 * Every policy of BRIEF §9 as a preset of knob settings. A preset sets firmware and kernel knobs
 * only: BRIEF §9's QCOM_BYPASS_NORESET differed from QCOM_BYPASS in a fact of the board (the
 * display node's {@code resets}), which the board decides ({@code display.reset}), so it is not a
 * policy here.
 */
public final class Policies {
    private static final Map<String, Policy> ALL = new LinkedHashMap<>();

    static {
        add("stock", "Mainline reset without inheritance, bypass disabled (USFCFG=1): what v5.2-v5.10 did",
                Map.of(KERNEL_INHERIT, "none", KERNEL_DISABLE_BYPASS, "yes"));
        add("stock-bypass", "As stock with arm-smmu.disable_bypass=0: unmatched streams bypass",
                Map.of(KERNEL_INHERIT, "none", KERNEL_DISABLE_BYPASS, "no"));
        add("explicit-only", "Rob Clark 2019: the display driver manages its IOMMU; no default attach; no inheritance",
                Map.of(KERNEL_INHERIT, "none", KERNEL_EXPLICIT_IOMMU, "yes"));
        add("explicit-inherit", "Rob Clark + Bjorn's RFC: inherit SMR and context bank (firmware tables kept), no default attach",
                Map.of(KERNEL_INHERIT, "keep-translation", KERNEL_EXPLICIT_IOMMU, "yes"));
        add("qcom-bypass", "Mainline qcom (v5.11+): read back valid SMRs as BYPASS, IDENTITY default for the MDSS;"
                + " the MDSS is reset only if the board's display node has 'resets'",
                Map.of(KERNEL_INHERIT, "qcom-bypass"));
        add("qcom-pre-sctlr-fix", "qcom-bypass before aded8c7c2b72: the reserved bypass bank's SCTLR is cleared only by the reset",
                Map.of(KERNEL_INHERIT, "qcom-bypass", KERNEL_QCOM_SCTLR_FIX, "no"));
        add("rmr-identity", "ACPI: IORT RMR for the framebuffer, CLIENTPD=1 during the RMR install, IDENTITY default domain",
                Map.of(FW_DESCRIPTION, "rmr", KERNEL_INHERIT, "none", KERNEL_DEFAULT_DOMAIN, "identity"));
        add("rmr-dma", "ACPI: IORT RMR for the framebuffer, DMA default domain (direct mapping retried after attach on v2)",
                Map.of(FW_DESCRIPTION, "rmr", KERNEL_INHERIT, "none", KERNEL_DEFAULT_DOMAIN, "dma"));
        add("dt-iommu-addresses", "DT reserved-memory iommu-addresses for the framebuffer, DMA default, no inheritance",
                Map.of(FW_DESCRIPTION, "iommu-addresses", FW_MAPPING, "identity", KERNEL_INHERIT, "none",
                        KERNEL_DEFAULT_DOMAIN, "dma"));
        add("dt-iommu-addresses-nonidentity", "As dt-iommu-addresses with a non-identity firmware mapping",
                Map.of(FW_DESCRIPTION, "iommu-addresses", FW_MAPPING, "translated", KERNEL_INHERIT, "none",
                        KERNEL_DEFAULT_DOMAIN, "dma"));
        add("tegra-late-sid", "Tegra: MC SID override written in probe_finalize, after the default domain and its direct maps",
                Map.of(KERNEL_TEGRA_LATE_SID, "yes", FW_DESCRIPTION, "iommu-addresses", KERNEL_INHERIT, "none"));
        add("global-passthrough", "iommu.passthrough=1: IDENTITY default domains for every device",
                Map.of(KERNEL_DEFAULT_DOMAIN, "identity", KERNEL_INHERIT, "none"));
        add("fw-quiesce", "Firmware stops the display engine before handing off",
                Map.of(FW_QUIESCE, "yes"));
        add("readback-remap", "Rob Clark's plan: map the firmware buffer at its IOVA in the driver's domain before switching S2CR",
                Map.of(KERNEL_DISPLAY_TAKEOVER, "readback-remap", KERNEL_INHERIT, "qcom-bypass"));
        add("asahi-translated", "Downstream IOMMU_RESV_TRANSLATED: a non-identity iommu-addresses entry is mapped before attach",
                Map.of(FW_DESCRIPTION, "iommu-addresses", KERNEL_RESV_TRANSLATED, "yes", KERNEL_INHERIT, "none",
                        KERNEL_DEFAULT_DOMAIN, "dma"));
    }

    private Policies() {
    }

    private static void add(String name, String description, Map<String, String> settings) {
        ALL.put(name, new Policy(name, description, settings));
    }

    /**
     * The policies a board booted through {@code iface} (dt or acpi) can run: not those whose
     * firmware description needs the other interface (an IORT RMR on a DTB board, iommu-addresses
     * on an IORT board).
     */
    public static List<Policy> applying(String iface) {
        return all().stream().filter(p -> fits(p, iface)).toList();
    }

    /** Whether a policy's firmware description fits a boot through {@code iface}. */
    public static boolean fits(Policy p, String iface) {
        String desc = p.settings().get(Knobs.FW_DESCRIPTION);
        String implied = desc == null ? null : Scenario.impliedInterface(desc);
        return implied == null || implied.equals(iface);
    }

    public static List<Policy> all() {
        return List.copyOf(ALL.values());
    }

    public static Policy get(String name, String where) {
        Policy p = ALL.get(name);
        if (p == null) {
            throw new ScenarioException(where + "policy \"" + name + "\" is unknown (known: "
                    + String.join(", ", ALL.keySet()) + ")");
        }
        return p;
    }
}
