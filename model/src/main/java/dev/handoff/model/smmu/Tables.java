package dev.handoff.model.smmu;

/**
 * Identities of the translation tables a TTBR (or STE) can point at. The model tracks which
 * table a bank uses, and the table's contents are derived from the scenario and the state
 * (what has been mapped, whether its pages were overwritten).
 */
public final class Tables {
    /** TTBR0 = 0: nothing mapped (walks find no leaf). */
    public static final int NONE = 0;
    /** The firmware's tables, in memory the kernel may or may not own. */
    public static final int FIRMWARE = 1;
    /** The display's default DMA domain. */
    public static final int DISPLAY_DEFAULT = 2;
    /** The display driver's own domain ({@code msm_iommu_new}). */
    public static final int DISPLAY_OWN = 3;
    /** The first other master's default DMA domain ({@link #otherDefault}). */
    public static final int OTHER_DEFAULT = 4;
    /** Another context's tables, left behind in a bank by firmware: what they map is unknown here. */
    public static final int FOREIGN = 5;

    private Tables() {
    }

    /** The default DMA domain of other master {@code k} (1-based): 4, then 6, 7, … past {@link #FOREIGN}. */
    public static int otherDefault(int k) {
        return k == 1 ? OTHER_DEFAULT : FOREIGN + k - 1;
    }

    public static String name(int id) {
        return switch (id) {
            case NONE -> "none";
            case FIRMWARE -> "firmware";
            case DISPLAY_DEFAULT -> "display-default-domain";
            case DISPLAY_OWN -> "display-driver-domain";
            case OTHER_DEFAULT -> "other-default-domain";
            case FOREIGN -> "foreign-context-tables";
            default -> id > FOREIGN ? "other" + (id - FOREIGN + 1) + "-default-domain" : "table" + id;
        };
    }
}
