package dev.handoff.model.smmu;

import java.util.List;

/** Stream map entry allocation, as {@code drivers/iommu/arm/arm-smmu/arm-smmu.c} does it. */
public final class StreamMapping {
    /** {@code -ENOSPC}. */
    public static final int ENOSPC = -28;
    /** {@code -EINVAL}. */
    public static final int EINVAL = -22;

    private StreamMapping() {
    }

    /**
     * {@code arm_smmu_find_sme(smmu, u16 id, u16 mask)}, with the SMR (not stream-indexing)
     * layout: the first free index unless an existing valid entry entirely covers the new one
     * (reuse it) or overlaps it at all (-EINVAL). Arguments are truncated to u16 as the
     * prototype does, so a caller's {@code ~0} arrives as 0xffff; the comparisons run in C's
     * promoted {@code int}, so {@code ~(smr.mask | mask)} keeps its upper 16 bits set.
     *
     * @return the index, {@link #EINVAL} or {@link #ENOSPC}
     */
    public static int findSme(List<Shadow> smrs, int id, int mask) {
        int id16 = id & 0xffff;
        int mask16 = mask & 0xffff;
        int freeIdx = ENOSPC;
        for (int i = 0; i < smrs.size(); ++i) {
            Shadow s = smrs.get(i);
            if (!s.valid()) {
                if (freeIdx < 0) {
                    freeIdx = i;
                }
                continue;
            }
            if ((mask16 & s.mask()) == mask16 && ((id16 ^ s.id()) & ~s.mask()) == 0) {
                return i;
            }
            if (((id16 ^ s.id()) & ~(s.mask() | mask16)) == 0) {
                return EINVAL;
            }
        }
        return freeIdx;
    }
}
