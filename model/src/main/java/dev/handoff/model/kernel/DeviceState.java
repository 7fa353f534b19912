package dev.handoff.model.kernel;

import java.util.Arrays;

/**
 * The IOMMU core's and arm-smmu's per-device state: whether the IOMMU probe succeeded, the
 * stream map indices it owns ({@code cfg->smendx[]}), its default domain and the context bank
 * behind it, and the direct-mapping bookkeeping of {@code iommu_setup_default_domain}.
 *
 * @param probe        {@link #UNPROBED}, {@link #PROBED}, {@link #RELEASING} (failed, its stream map
 *                     entries being freed) or {@link #FAILED}
 * @param smendx       per {@code iommus} entry, the SME index, or -1
 * @param domain       {@link #NO_DOMAIN}, {@link #IDENTITY}, {@link #DMA}
 * @param cb           the context bank of its DMA default domain, or -1
 * @param directFailed mapping the direct regions before attach failed (retry pending)
 * @param directMapped the direct regions are mapped in the default domain
 * @param group        its IOMMU group, named by the client that created it ({@code arm_smmu_device_group}),
 *                     or -1 before that
 */
public record DeviceState(int probe, int[] smendx, int domain, int cb, boolean directFailed, boolean directMapped,
                          int group) {
    public DeviceState(int probe, int[] smendx, int domain, int cb, boolean directFailed, boolean directMapped) {
        this(probe, smendx, domain, cb, directFailed, directMapped, -1);
    }

    public static final int UNPROBED = 0;
    public static final int PROBED = 1;
    public static final int FAILED = 2;
    public static final int RELEASING = 3;
    public static final int NO_DOMAIN = 0;
    public static final int IDENTITY = 1;
    public static final int DMA = 2;

    public static DeviceState initial(int entries) {
        int[] idx = new int[entries];
        Arrays.fill(idx, -1);
        return new DeviceState(UNPROBED, idx, NO_DOMAIN, -1, false, false);
    }

    public DeviceState withProbe(int p, int[] idx) {
        return new DeviceState(p, idx.clone(), domain, cb, directFailed, directMapped, group);
    }

    public DeviceState withDomain(int d) {
        return new DeviceState(probe, smendx, d, cb, directFailed, directMapped, group);
    }

    public DeviceState withCb(int c) {
        return new DeviceState(probe, smendx, domain, c, directFailed, directMapped, group);
    }

    public DeviceState withDirect(boolean failed, boolean mapped) {
        return new DeviceState(probe, smendx, domain, cb, failed, mapped, group);
    }

    public DeviceState withGroup(int g) {
        return new DeviceState(probe, smendx, domain, cb, directFailed, directMapped, g);
    }

    public static String domainName(int d) {
        return switch (d) {
            case IDENTITY -> "IDENTITY";
            case DMA -> "DMA";
            default -> "none";
        };
    }

    public static String probeName(int p) {
        return switch (p) {
            case PROBED -> "probed";
            case FAILED -> "failed";
            case RELEASING -> "failed, releasing";
            default -> "unprobed";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceState d && probe == d.probe && Arrays.equals(smendx, d.smendx) && domain == d.domain
                && cb == d.cb && directFailed == d.directFailed && directMapped == d.directMapped && group == d.group;
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(smendx) * 31 + probe * 7 + domain * 5 + cb * 3 + (directFailed ? 1 : 0) + (directMapped ? 2 : 0)) * 31 + group;
    }

    @Override
    public String toString() {
        return "DeviceState[probe=" + probeName(probe) + ", smendx=" + Arrays.toString(smendx) + ", domain="
                + domainName(domain) + ", cb=" + cb + ", directFailed=" + directFailed + ", directMapped=" + directMapped + ", group=" + group + "]";
    }
}
