package dev.handoff.model.smmu;

/**
 * The Qualcomm hypervisor's trap of SMMU global register writes [BRIEF 2.6; Q:
 * {@code qcom_smmu_cfg_probe}, {@code qcom_smmu_write_s2cr}]: with the bypass quirk an S2CR
 * write of type BYPASS lands as FAULT and a write of type FAULT is ignored; on some parts SMR
 * writes are ignored, and a hypervisor might keep sCR0.CLIENTPD as it is whatever Linux writes
 * ([UNVERIFIED]: {@code hyp.clientpd}). Without a hypervisor every write lands as written.
 */
public record HypervisorFilter(boolean bypassQuirk, boolean ignoreSmrWrites, boolean ignoreClientPd) {
    public static final HypervisorFilter NONE = new HypervisorFilter(false, false, false);

    /** The S2CR value that ends up in the register after writing {@code written} over {@code current}. */
    public int s2cr(int current, int written) {
        if (!bypassQuirk) {
            return written;
        }
        return switch (Registers.s2crType(written)) {
            case Registers.S2CR_TYPE_BYPASS -> (written & ~(3 << 16)) | Registers.S2CR_TYPE_FAULT << 16;
            case Registers.S2CR_TYPE_FAULT -> current;
            default -> written;
        };
    }

    /** The sCR0 value that ends up in the register after writing {@code written} over {@code current}. */
    public int scr0(int current, int written) {
        return ignoreClientPd ? (written & ~Registers.SCR0_CLIENTPD) | (current & Registers.SCR0_CLIENTPD) : written;
    }

    /** The SMR value that ends up in the register after writing {@code written} over {@code current}. */
    public int smr(int current, int written) {
        return ignoreSmrWrites ? current : written;
    }
}
