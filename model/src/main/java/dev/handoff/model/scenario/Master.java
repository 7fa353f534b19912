package dev.handoff.model.scenario;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A DMA master other than the display behind the display's SMMU: an IOMMU-core client with its
 * own {@code iommus} entries, probed by the IOMMU core like the display.
 *
 * @param name    where it comes from (a DT node path or IORT named component)
 * @param streams    its {@code iommus} entries on this SMMU, as {@code arm_smmu_of_xlate} packs them
 * @param compatible its node's compatibles (vendor hooks match clients by them), possibly none
 */
public record Master(String name, List<StreamEntry> streams, List<String> compatible) {
    /** A master whose compatibles are not known. */
    public Master(String name, List<StreamEntry> streams) {
        this(name, streams, List.of());
    }

    /**
     * Display controllers by compatible (never by node name: {@code mdss@ae00000} in 6.1 is
     * {@code display-subsystem@ae00000} in 6.12): the MDSS and its MDP/DPU, Tegra's heads, Arm's,
     * Rockchip's, MediaTek's, i.MX's, Allwinner's and Apple's display pipes.
     */
    public static final Pattern DISPLAY_COMPATIBLE = Pattern.compile(
            "qcom,(?:[a-z0-9]+-)?mdss|qcom,mdp[45]|qcom,[a-z0-9]+-dpu|nvidia,tegra[0-9]+-dc"
                    + "|arm,mali-d[0-9]+|arm,hdlcd|rockchip,[a-z0-9]+-vop(?!-grf)[a-z0-9-]*|mediatek,mt[0-9]+-disp-ovl|fsl,imx[0-9a-z]+-(?:dcss|lcdif)"
                    + "|allwinner,[a-z0-9-]+-display-engine|apple,display-pipe");

    /**
     * What the model reads of a master's compatibles, and nothing else: whether one names a
     * display controller and whether the kernel's Qualcomm client table (at {@code kernelVersion})
     * names one. The catalogue's cell key ({@code CellKeys}) holds these instead of the strings,
     * so that two trees whose nodes differ only in names or unused compatibles share their
     * checks: a new use of {@link #compatible()} in the model belongs here too.
     */
    public static String traits(List<String> compatible, String kernelVersion) {
        boolean qcom = compatible.stream().anyMatch(c -> KernelVersions.isQcomClient(kernelVersion, c));
        return (displayController(compatible) ? "display-controller" : "") + (qcom ? " qcom-client" : "");
    }

    /** Whether one of the compatibles names a display controller ({@link #DISPLAY_COMPATIBLE}). */
    public static boolean displayController(List<String> compatible) {
        return compatible.stream().anyMatch(c -> DISPLAY_COMPATIBLE.matcher(c).matches());
    }

    public Master {
        Objects.requireNonNull(name);
        streams = List.copyOf(streams);
        compatible = List.copyOf(compatible);
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("master " + name + " has no stream on this SMMU");
        }
    }
}
