package dev.handoff.model.kernel;

/**
 * The arm-smmu driver's probe, one atomic step per register write where the hardware changes
 * (BRIEF 3.1, 6.3), so that display fetches interleave between them.
 */
public sealed interface DriverStep {
    /** Short name for traces. */
    String name();

    /** The kernel function (and register) the step stands for. */
    String citation();

    /** {@code arm_smmu_device_cfg_probe}: shadow {@code smrs[]} all invalid, {@code s2crs[]} = {@code s2cr_init_val}. No HW write. */
    record CfgProbe() implements DriverStep {
        public String name() { return "cfg_probe"; }
        public String citation() { return "arm_smmu_device_cfg_probe"; }
    }

    /** {@code qcom_smmu_cfg_probe}: write S2CR[N-1] = BYPASS, read it back; a mismatch sets {@code bypass_quirk}. */
    record QcomProbeS2cr() implements DriverStep {
        public String name() { return "qcom.probe_s2cr"; }
        public String citation() { return "qcom_smmu_cfg_probe: S2CR[last] := BYPASS, read back"; }
    }

    /** {@code qcom_smmu_cfg_probe} with the quirk: reserved bank's SCTLR := 0 (aded8c7c2b72). */
    record QcomQuirkSctlr() implements DriverStep {
        public String name() { return "qcom.quirk_sctlr"; }
        public String citation() { return "qcom_smmu_cfg_probe: CB[bypass_cbndx].SCTLR := 0"; }
    }

    /** {@code qcom_smmu_cfg_probe} with the quirk: reserved bank's CBAR := S1_TRANS_S2_BYPASS. */
    record QcomQuirkCbar() implements DriverStep {
        public String name() { return "qcom.quirk_cbar"; }
        public String citation() { return "qcom_smmu_cfg_probe: CBAR[bypass_cbndx] := S1_TRANS_S2_BYPASS"; }
    }

    /** {@code qcom_smmu_cfg_probe}: every valid HW SMR into the shadow, as BYPASS (or, for the RFC, as it translates). */
    record InheritSmrs() implements DriverStep {
        public String name() { return "inherit_smrs"; }
        public String citation() { return "qcom_smmu_cfg_probe: read back valid SMRs (RFC19 for keep-translation)"; }
    }

    /** {@code arm_smmu_rmr_install_bypass_smr} on every v2 probe since v6.0: sCR0 |= CLIENTPD (every master bypasses). */
    record RmrClientPd() implements DriverStep {
        public String name() { return "rmr.clientpd"; }
        public String citation() { return "arm_smmu_rmr_install_bypass_smr: sCR0 |= CLIENTPD"; }
    }

    /** {@code arm_smmu_rmr_install_bypass_smr}: {@code arm_smmu_find_sme(sid, ~0)} per RMR stream ID, shadow only. */
    record RmrFindSmes() implements DriverStep {
        public String name() { return "rmr.find_sme"; }
        public String citation() { return "arm_smmu_rmr_install_bypass_smr: arm_smmu_find_sme(smmu, sid, ~0)"; }
    }

    /** {@code arm_smmu_device_reset} → {@code arm_smmu_write_sme(i)}: S2CR[i] from the shadow (through qcom's hook). */
    record ResetS2cr(int index) implements DriverStep {
        public String name() { return "reset.s2cr[" + index + "]"; }
        public String citation() { return "arm_smmu_device_reset: arm_smmu_write_s2cr(" + index + ")"; }
    }

    /** {@code arm_smmu_device_reset} → {@code arm_smmu_write_sme(i)}: SMR[i] from the shadow. */
    record ResetSmr(int index) implements DriverStep {
        public String name() { return "reset.smr[" + index + "]"; }
        public String citation() { return "arm_smmu_device_reset: arm_smmu_write_smr(" + index + ")"; }
    }

    /**
     * {@code arm_smmu_device_reset} → {@code arm_smmu_write_context_bank(j)}: SCTLR := 0 for a bank
     * without a domain, the domain's configuration again for a bank that has one.
     */
    record ResetBank(int index) implements DriverStep {
        public String name() { return "reset.cb[" + index + "]"; }
        public String citation() { return "arm_smmu_device_reset: arm_smmu_write_context_bank(" + index + ")"; }
    }

    /** {@code arm_smmu_device_reset}: sCR0 := read-modify-write, CLIENTPD cleared, USFCFG = disable_bypass. */
    record ResetScr0() implements DriverStep {
        public String name() { return "reset.scr0"; }
        public String citation() { return "arm_smmu_device_reset: sCR0 (GFRE GFIE GCFGFRE GCFGFIE VMIDPNE PTM, ~CLIENTPD, USFCFG)"; }
    }

    /** {@code arm_smmu_test_smr_masks}: all-ones ID then MASK into the first invalid SMR, VALID clear. */
    record TestSmrMasks() implements DriverStep {
        public String name() { return "test_smr_masks"; }
        public String citation() { return "arm_smmu_test_smr_masks"; }
    }

    /**
     * {@code iommu_device_register}: the SMMU is known to the IOMMU core. Its bus walk finds no
     * client with a fwspec yet, and a client that probes before arm-smmu's probe returns is
     * deferred ({@code arm_smmu_probe_device}: "smmu dev has not bound yet"), so clients are
     * probed after the reset.
     */
    record Register() implements DriverStep {
        public String name() { return "register"; }
        public String citation() { return "iommu_device_register"; }
    }

    /** v3 {@code arm_smmu_device_reset}: SMMU enabled by firmware: warn, GBPA.ABORT := 1. */
    record V3GbpaAbort() implements DriverStep {
        public String name() { return "v3.gbpa_abort"; }
        public String citation() { return "arm_smmu_device_reset: arm_smmu_update_gbpa(GBPA_ABORT)"; }
    }

    /** v3 {@code arm_smmu_device_disable}: CR0.SMMUEN := 0 (traffic follows GBPA). */
    record V3Disable() implements DriverStep {
        public String name() { return "v3.disable"; }
        public String citation() { return "arm_smmu_device_disable: CR0 := 0"; }
    }

    /** v3 {@code arm_smmu_device_reset}: CR0.SMMUEN := 1 with Linux's stream table (RMR bypass STEs, others abort). */
    record V3Enable() implements DriverStep {
        public String name() { return "v3.enable"; }
        public String citation() { return "arm_smmu_device_reset: CR0 |= SMMUEN (stream table from arm_smmu_rmr_install_bypass_ste)"; }
    }
}
