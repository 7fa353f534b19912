package dev.handoff.model.smmu;

/**
 * SMMUv2 register fields as {@code drivers/iommu/arm/arm-smmu/arm-smmu.h} defines them. Values
 * are the raw 32-bit register contents; these helpers pack and unpack fields the way
 * {@code FIELD_PREP} and {@code FIELD_GET} do, including their truncation.
 */
public final class Registers {
    // sCR0 (GR0 0x0)
    public static final int SCR0_CLIENTPD = 1;
    public static final int SCR0_GFRE = 1 << 1;
    public static final int SCR0_GFIE = 1 << 2;
    public static final int SCR0_EXIDENABLE = 1 << 3;
    public static final int SCR0_GCFGFRE = 1 << 4;
    public static final int SCR0_GCFGFIE = 1 << 5;
    public static final int SCR0_USFCFG = 1 << 10;
    public static final int SCR0_VMIDPNE = 1 << 11;
    public static final int SCR0_PTM = 1 << 12;
    public static final int SCR0_FB = 1 << 13;
    public static final int SCR0_BSU = 3 << 14;
    /** Stream match conflict fault config; Linux defines and writes no macro for it [BRIEF 2.1]. */
    public static final int SCR0_SMCFCFG = 1 << 21;
    public static final int SCR0_VMID16EN = 1 << 31;

    // SMR[n] (GR0 0x800 + 4n): VALID 31, MASK 31:16, ID 15:0
    public static final int SMR_VALID = 1 << 31;

    // S2CR[n] (GR0 0xc00 + 4n): PRIVCFG 25:24, TYPE 17:16, EXIDVALID 10, CBNDX 7:0
    public static final int S2CR_TYPE_TRANS = 0;
    public static final int S2CR_TYPE_BYPASS = 1;
    public static final int S2CR_TYPE_FAULT = 2;
    public static final int S2CR_PRIVCFG_DEFAULT = 0;

    // CBAR[n] (GR1): TYPE 17:16
    public static final int CBAR_TYPE_S2_TRANS = 0;
    public static final int CBAR_TYPE_S1_TRANS_S2_BYPASS = 1;
    public static final int CBAR_TYPE_S1_TRANS_S2_FAULT = 2;
    public static final int CBAR_TYPE_S1_TRANS_S2_TRANS = 3;

    // CB SCTLR
    public static final int SCTLR_M = 1;
    public static final int SCTLR_TRE = 1 << 1;
    public static final int SCTLR_AFE = 1 << 2;
    public static final int SCTLR_CFRE = 1 << 5;
    public static final int SCTLR_CFIE = 1 << 6;
    public static final int SCTLR_CFCFG = 1 << 7;

    private Registers() {
    }

    /** {@code FIELD_PREP(ARM_SMMU_SMR_ID, id) | FIELD_PREP(ARM_SMMU_SMR_MASK, mask)}: mask bit 15 lands on bit 31. */
    public static int smr(int id, int mask, boolean valid) {
        int reg = (id & 0xffff) | (mask & 0xffff) << 16;
        return valid ? reg | SMR_VALID : reg;
    }

    /** {@code FIELD_GET(ARM_SMMU_SMR_ID, reg)}. */
    public static int smrId(int reg) {
        return reg & 0xffff;
    }

    /** {@code FIELD_GET(ARM_SMMU_SMR_MASK, reg)}: bits 31:16, VALID included. */
    public static int smrMask(int reg) {
        return reg >>> 16;
    }

    public static boolean smrValid(int reg) {
        return (reg & SMR_VALID) != 0;
    }

    /** Whether HW entry {@code reg} matches stream {@code sid} (without EXIDS: VALID, then mask bits 30:16). */
    public static boolean smrMatches(int reg, int sid) {
        if (!smrValid(reg)) {
            return false;
        }
        int id = smrId(reg) & 0x7fff;
        int mask = smrMask(reg) & 0x7fff;
        return ((sid ^ id) & ~mask & 0x7fff) == 0;
    }

    public static int s2cr(int type, int cbndx, int privcfg) {
        return (type & 3) << 16 | (cbndx & 0xff) | (privcfg & 3) << 24;
    }

    public static int s2crType(int reg) {
        return reg >>> 16 & 3;
    }

    public static int s2crCbndx(int reg) {
        return reg & 0xff;
    }

    public static int cbar(int type) {
        return (type & 3) << 16;
    }

    public static int cbarType(int reg) {
        return reg >>> 16 & 3;
    }

    public static String s2crTypeName(int type) {
        return switch (type) {
            case S2CR_TYPE_TRANS -> "TRANS";
            case S2CR_TYPE_BYPASS -> "BYPASS";
            case S2CR_TYPE_FAULT -> "FAULT";
            default -> "RESERVED";
        };
    }

    public static String cbarTypeName(int type) {
        return switch (type) {
            case CBAR_TYPE_S2_TRANS -> "S2_TRANS";
            case CBAR_TYPE_S1_TRANS_S2_BYPASS -> "S1_TRANS_S2_BYPASS";
            case CBAR_TYPE_S1_TRANS_S2_FAULT -> "S1_TRANS_S2_FAULT";
            default -> "S1_TRANS_S2_TRANS";
        };
    }
}
