package dev.handoff.model.scenario;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel versions handoff knows and what each one does: {@code kernel.version} sets every
 * version-dependent mechanism knob (a policy, a scenario file or {@code --set} may still override
 * one). A version stands for its current stable release (5.10 means 5.10.y as shipped now), so
 * a fix backported to a stable series counts for it; where that differs from the first release
 * of the series the row says so.
 *
 * <p>Every boundary was checked in the Linux 6.1.192 and 6.12.117 sources or in the commit and
 * stable-review mails named in the row; where it could not be confirmed the row says
 * [UNVERIFIED] and why.
 */
public final class KernelVersions {
    /** Oldest first. */
    public static final List<String> VERSIONS = List.of("5.10", "5.15", "6.1", "6.6", "6.12");
    public static final String DEFAULT = "6.12";

    /**
     * One version-dependent mechanism.
     *
     * @param knob     the knob the version sets, or null for a mechanism that is data (the qcom
     *                 client list) or that the model does not need (said in {@code note})
     * @param what     the mechanism in the kernel's words
     * @param commits  the commits that changed it, first mainline release and stable backports
     * @param values   per version (every one of {@link #VERSIONS}): the knob's value, or a short
     *                 state for a row without a knob
     * @param note     how sure, and for a row without a knob why the model needs none
     */
    public record Mechanism(String knob, String what, String commits, Map<String, String> values, String note) {
        public Mechanism {
            values = Map.copyOf(values);
            if (!values.keySet().equals(Set.copyOf(VERSIONS))) {
                throw new IllegalArgumentException(what + ": a value for every version");
            }
        }

        public String value(String version) {
            return values.get(version);
        }
    }

    private static final List<Mechanism> ALL = List.of(
            new Mechanism(Knobs.KERNEL_INHERIT, "qcom_smmu_cfg_probe reads back bootloader SMRs as BYPASS; S2CR quirk probe",
                    "07a7f2caaa5a, f9081b8ff593 (v5.11; 5.10.4)",
                    all("qcom-bypass"), "in every version's current stable"),
            new Mechanism(Knobs.KERNEL_QCOM_SCTLR_FIX, "qcom_smmu_cfg_probe clears SCTLR of the reserved bypass bank",
                    "aded8c7c2b72 (v5.11; 5.10.8)", all("yes"), "the SM8150 hang fix"),
            new Mechanism(Knobs.KERNEL_QCOM_MASK_FIX, "qcom_smmu_cfg_probe strips SMR.VALID before extracting the mask",
                    "dead723e6f04 (v5.12; 5.10.20)", all("yes"), ""),
            new Mechanism(Knobs.KERNEL_RMR_BYPASS_SMR, "arm_smmu_rmr_install_bypass_smr on every v2 probe: sCR0.CLIENTPD := 1, then"
                    + " RMR stream IDs (v3: arm_smmu_rmr_install_bypass_ste)", "IORT RMR series v13 (v6.0)",
                    of("no", "no", "yes", "yes", "yes"),
                    "code checked in 6.1 and 6.12; v6.0 from the series' timing, commit id [UNVERIFIED]"),
            new Mechanism(Knobs.KERNEL_IOMMU_ADDRESSES, "of_iommu_get_resv_regions reads reserved-memory iommu-addresses",
                    "a5bf3cfce8cb (v6.3)", of("no", "no", "no", "yes", "yes"), "absent from 6.1's of_iommu.c"),
            new Mechanism(Knobs.KERNEL_ZERO_LENGTH_FIX, "of_iommu_get_resv_regions skips zero-length iommu-addresses entries",
                    "bb57f6705960 (v6.8; 6.6.14)", of("no", "no", "no", "yes", "yes"),
                    "moot before v6.3 (no iommu-addresses at all)"),
            new Mechanism(Knobs.KERNEL_TEGRA_LATE_SID, "Tegra MC SID override written only from probe_finalize",
                    "393d66fd2cac, 0d97174aeadf (v5.14); ef86b2c2807f removed the MC-probe programming (v6.2; 6.1.9)",
                    of("no", "yes", "yes", "yes", "yes"),
                    "5.10 programs every client's SID at MC probe; 5.15.y took ef86b2c2807f [UNVERIFIED which release]"),
            new Mechanism(Knobs.KERNEL_MDSS_RESET, "msm_mdss_reset asserts the MDSS 'resets' line at msm_mdss_init",
                    "3e9c146f4997 (v5.19)", of("no", "no", "yes", "yes", "yes"), "a no-op on a node without 'resets'"),
            new Mechanism(Knobs.KERNEL_QCOM_SMR_CLAMP, "qcom_smmu_cfg_probe clamps num_mapping_groups to 128",
                    "122611347326 always (v6.4; 5.10.y, 5.15.y, 6.1.y); 5583a55e074b only with the bypass quirk"
                            + " (v6.19; 5.15.y, 6.1.y, 6.6.y, 6.12.y, Dec 2025 - Jan 2026)",
                    of("always", "with-bypass-quirk", "with-bypass-quirk", "with-bypass-quirk", "with-bypass-quirk"),
                    "whether 5.10.y took 5583a55e074b [UNVERIFIED]; it has the unconditional clamp"),
            new Mechanism(Knobs.KERNEL_DIRECT_MAP_ORDER, "the IOMMU core maps direct regions before the default domain's attach",
                    "iommu_setup_default_domain (v6.5); 6.1's iommu_probe_device attaches, then maps (iommu.c:377, 385)",
                    of("after-attach", "after-attach", "after-attach", "before-attach", "before-attach"),
                    "v6.5 from the consolidation series' timing [UNVERIFIED commit id]; 6.1 and 6.12 read in the source"),
            new Mechanism(Knobs.KERNEL_MAP_BEFORE_ATTACH, "arm_smmu_map_pages before the first attach (pgtbl_ops NULL: -ENODEV)",
                    "9b3febc3a3da finalised the context at allocation (v6.8-rc1), reverted by b419c5e2d978 (v6.8-rc6)",
                    all("auto"), "no release shipped the change: v2 fails, v3 works, in every version"),
            new Mechanism(Knobs.KERNEL_DISABLE_BYPASS, "CONFIG_ARM_SMMU_DISABLE_BYPASS_BY_DEFAULT=y (Kconfig default, Debian arm64 keeps it)",
                    "954a03be033c (v5.2)", all("yes"), ""),
            new Mechanism(null, "qcom_smmu_client_of_match (IDENTITY default domain): qcom,sc8280xp-mdss listed",
                    "1d6316e50572 (v6.3)", of("no", "no", "no", "yes", "yes"),
                    "the whole list per version is data (qcomClients); sdm845-mdss and sc7180-mdss are in every version;"
                            + " the 5.10, 5.15 and 6.6 lists are rebuilt from patch contexts [UNVERIFIED against the tags]"),
            new Mechanism(null, "qcom_smmu_client_of_match: qcom,sm8450-mdss and qcom,x1e80100-mdss listed",
                    "added after v6.6 (with qcm2290-mdss, 28af105cb650, v6.8; sm6115-mdss 2025)", of("no", "no", "no", "no", "yes"),
                    "6.6.y's list rebuilt from a derived tree [UNVERIFIED whether stable took them]; the only modelled"
                            + " difference between 6.6 and 6.12"),
            new Mechanism(null, "host1x_client_iommu_attach moves an IDENTITY client to the shared, empty tegra->domain",
                    "present in 6.12 (drm.c:959-966), absent in 6.1 (drm.c:969) [UNVERIFIED which release]",
                    of("no", "no", "no", "unknown", "yes"),
                    "the model takes 6.12's behaviour for every version: it runs after tegra_dc_probe's reset, so it"
                            + " changes no verdict here"),
            new Mechanism(null, "arm_smmu_probe_device defers a client until arm-smmu has bound",
                    "229e6ee43d2a (v6.13; 5.10.231, 5.15.174, 6.1.120, 6.6.66, 6.12.4)", all("defers"),
                    "before the fix the same race dereferenced a NULL smmu: a crash, never a client probe during the"
                            + " reset, so the model probes clients after arm-smmu's probe in every version"),
            new Mechanism(null, "iommu_device_register probes the buses (bus_set_iommu removed)", "57365a04c921 (v6.1)",
                    of("after reset", "after reset", "before reset", "before reset", "before reset"),
                    "either way no DT/ACPI client has a fwspec then: clients are probed by their own drivers, after"
                            + " arm-smmu's probe"),
            new Mechanism(null, "require_direct refuses a blocking domain to a device with IOMMU_RESV_DIRECT",
                    "a48ce36e2786 (v6.6)", of("no", "no", "no", "yes", "yes"),
                    "no step of the handoff attaches a blocking domain: no effect on the model"),
            new Mechanism(null, "qcom_acpi_platlist: the qcom impl on an ACPI boot (exact IORT OEM match, revision 0x8180)",
                    "a51627c5df58 (v5.14)", of("none", "2 entries", "2 entries", "2 entries", "2 entries"),
                    "the C630's IORT (LENOVO CB-01, revision 1) is not listed: its ACPI boot gets the generic MMU-500"
                            + " impl in every version (a platform fact)"));

    /** {@code qcom_smmu_client_of_match} per version: the compatibles that get an IDENTITY default domain. */
    private static final Map<String, Set<String>> QCOM_CLIENTS = new LinkedHashMap<>();

    static {
        Set<String> v510 = new LinkedHashSet<>(List.of("qcom,adreno", "qcom,mdp4", "qcom,mdss", "qcom,sc7180-mdss",
                "qcom,sc7180-mss-pil", "qcom,sdm845-mdss", "qcom,sdm845-mss-pil", "qcom,adreno-gmu"));
        Set<String> v515 = new LinkedHashSet<>(v510);
        v515.addAll(List.of("qcom,sc7280-mdss", "qcom,sc8180x-mdss"));
        Set<String> v61 = new LinkedHashSet<>(v515);
        v61.addAll(List.of("qcom,sc7280-mss-pil", "qcom,sm8250-mdss"));
        Set<String> v66 = new LinkedHashSet<>(v61);
        v66.addAll(List.of("qcom,sc8280xp-mdss", "qcom,sdm670-mdss", "qcom,sm6350-mdss", "qcom,sm6375-mdss",
                "qcom,sm8150-mdss"));
        Set<String> v612 = new LinkedHashSet<>(v66);
        v612.addAll(List.of("qcom,qcm2290-mdss", "qcom,sm6115-mdss", "qcom,sm8450-mdss", "qcom,x1e80100-mdss"));
        QCOM_CLIENTS.put("5.10", Set.copyOf(v510));
        QCOM_CLIENTS.put("5.15", Set.copyOf(v515));
        QCOM_CLIENTS.put("6.1", Set.copyOf(v61));
        QCOM_CLIENTS.put("6.6", Set.copyOf(v66));
        QCOM_CLIENTS.put("6.12", Set.copyOf(v612));
    }

    private KernelVersions() {
    }

    private static Map<String, String> all(String value) {
        Map<String, String> m = new LinkedHashMap<>();
        VERSIONS.forEach(v -> m.put(v, value));
        return m;
    }

    private static Map<String, String> of(String... perVersion) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < VERSIONS.size(); i++) {
            m.put(VERSIONS.get(i), perVersion[i]);
        }
        return m;
    }

    /** Every row, knob-setting ones first in the order above. */
    public static List<Mechanism> mechanisms() {
        return ALL;
    }

    /** The knob values {@code version} sets. */
    public static Map<String, String> settings(String version) {
        check(version, "");
        Map<String, String> out = new LinkedHashMap<>();
        for (Mechanism m : ALL) {
            if (m.knob() != null) {
                out.put(m.knob(), m.value(version));
            }
        }
        return out;
    }

    /** Whether {@code version}'s {@code qcom_smmu_def_domain_type} gives {@code compatible} an IDENTITY domain. */
    public static boolean isQcomClient(String version, String compatible) {
        check(version, "");
        return QCOM_CLIENTS.get(version).contains(compatible);
    }

    /** The version, or a {@link ScenarioException} naming the known ones. */
    public static String check(String version, String where) {
        if (!VERSIONS.contains(version)) {
            throw new ScenarioException(where + "kernel version \"" + version + "\" is not one handoff models (known: "
                    + String.join(", ", VERSIONS) + ")");
        }
        return version;
    }
}
