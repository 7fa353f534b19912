package dev.handoff.model.kernel;

import java.util.Arrays;

/**
 * The IOMMU core's and arm-smmu's per-device state: whether the IOMMU probe succeeded, the
 * stream map indices it owns ({@code cfg->smendx[]}), its default domain and the context bank
 * behind it, and the direct-mapping bookkeeping of {@code iommu_setup_default_domain}.
 *
 * @param probe        {@link #UNPROBED}, {@link #PROBED} or {@link #FAILED}
 * @param smendx       per {@code iommus} entry, the SME index, or -1
 * @param domain       {@link #NO_DOMAIN}, {@link #IDENTITY}, {@link #DMA}
 * @param cb           the context bank of its DMA default domain, or -1
 * @param directFailed mapping the direct regions before attach failed (retry pending)
 * @param directMapped the direct regions are mapped in the default domain
 */
public record DeviceState(int probe, int[] smendx, int domain, int cb, boolean directFailed, boolean directMapped) {
    public static final int UNPROBED = 0;
    public static final int PROBED = 1;
    public static final int FAILED = 2;
    public static final int NO_DOMAIN = 0;
    public static final int IDENTITY = 1;
    public static final int DMA = 2;

    public static DeviceState initial(int entries) {
        int[] idx = new int[entries];
        Arrays.fill(idx, -1);
        return new DeviceState(UNPROBED, idx, NO_DOMAIN, -1, false, false);
    }

    public DeviceState withProbe(int p, int[] idx) {
        return new DeviceState(p, idx.clone(), domain, cb, directFailed, directMapped);
    }

    public DeviceState withDomain(int d) {
        return new DeviceState(probe, smendx, d, cb, directFailed, directMapped);
    }

    public DeviceState withCb(int c) {
        return new DeviceState(probe, smendx, domain, c, directFailed, directMapped);
    }

    public DeviceState withDirect(boolean failed, boolean mapped) {
        return new DeviceState(probe, smendx, domain, cb, failed, mapped);
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
            default -> "unprobed";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceState d && probe == d.probe && Arrays.equals(smendx, d.smendx) && domain == d.domain
                && cb == d.cb && directFailed == d.directFailed && directMapped == d.directMapped;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(smendx) * 31 + probe * 7 + domain * 5 + cb * 3 + (directFailed ? 1 : 0) + (directMapped ? 2 : 0);
    }

    @Override
    public String toString() {
        return "DeviceState[probe=" + probeName(probe) + ", smendx=" + Arrays.toString(smendx) + ", domain="
                + domainName(domain) + ", cb=" + cb + ", directFailed=" + directFailed + ", directMapped=" + directMapped + "]";
    }
}
