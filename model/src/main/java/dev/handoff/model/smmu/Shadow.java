package dev.handoff.model.smmu;

/**
 * The arm-smmu driver's software copy of one stream map entry: {@code struct arm_smmu_smr}
 * ({@code u16 id, u16 mask, bool valid}) and {@code struct arm_smmu_s2cr}
 * ({@code type, privcfg, u8 cbndx, int count, struct iommu_group *group}). The group is named by
 * the client that created it ({@code arm_smmu_device_group} remembers it per entry), -1 for NULL.
 */
public record Shadow(boolean valid, int id, int mask, int type, int cbndx, int count, int group) {
    /** An entry with no group. */
    public Shadow(boolean valid, int id, int mask, int type, int cbndx, int count) {
        this(valid, id, mask, type, cbndx, count, -1);
    }

    public Shadow {
        id &= 0xffff;
        mask &= 0xffff;
        cbndx &= 0xff;
    }

    public static Shadow initial(boolean disableBypass) {
        return new Shadow(false, 0, 0,
                disableBypass ? Registers.S2CR_TYPE_FAULT : Registers.S2CR_TYPE_BYPASS, 0, 0);
    }

    public Shadow withSmr(boolean v, int newId, int newMask) {
        return new Shadow(v, newId, newMask, type, cbndx, count, group);
    }

    public Shadow withS2cr(int newType, int newCbndx) {
        return new Shadow(valid, id, mask, newType, newCbndx, count, group);
    }

    public Shadow withCount(int c) {
        return new Shadow(valid, id, mask, type, cbndx, c, group);
    }

    /**
     * {@code arm_smmu_free_sme}: count--, and at 0 the entry returns to {@code s2cr_init_val}
     * (its group NULL) and the SMR loses VALID, ID and mask kept; no register is written here.
     */
    public Shadow freed(boolean disableBypass) {
        if (count > 1) {
            return withCount(count - 1);
        }
        Shadow init = initial(disableBypass);
        return new Shadow(false, id, mask, init.type(), init.cbndx(), 0);
    }

    public Shadow withGroup(int g) {
        return new Shadow(valid, id, mask, type, cbndx, count, g);
    }
}
