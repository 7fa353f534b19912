package dev.handoff.model.kernel;

import dev.handoff.model.handoff.HandoffConfig;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.smmu.Registers;
import dev.handoff.model.smmu.Shadow;
import dev.handoff.model.smmu.SmmuV2;
import dev.handoff.model.smmu.SmmuV3;
import dev.handoff.model.smmu.StreamMapping;
import dev.handoff.model.smmu.Tables;

import java.util.ArrayList;
import java.util.List;

/**
 * The arm-smmu driver (SDRV, BRIEF 3.1 and 6.3) with its qcom hooks: the probe sequence and the
 * helpers every caller uses to push shadow state to the hardware exactly as
 * {@code arm_smmu_write_s2cr}, {@code qcom_smmu_write_s2cr} and {@code arm_smmu_write_smr} do.
 */
public final class ArmSmmuDriver {
    private ArmSmmuDriver() {
    }

    /**
     * The probe steps for this configuration, in the order of v6.12 {@code arm_smmu_device_probe}:
     * {@code iommu_device_register} comes before {@code arm_smmu_rmr_install_bypass_smr} and
     * {@code arm_smmu_device_reset}. Its {@code bus_iommu_probe} finds no DT/ACPI client with a
     * fwspec yet ({@code __iommu_probe_device} returns -ENODEV for them), and a client probing
     * later defers until this probe has returned ({@link dev.handoff.model.handoff.HandoffModel#clientsMayProbe}).
     */
    public static List<DriverStep> program(HandoffConfig c) {
        List<DriverStep> p = new ArrayList<>();
        if (c.v3()) {
            p.add(new DriverStep.V3GbpaAbort());
            p.add(new DriverStep.V3Disable());
            p.add(new DriverStep.V3Enable());
            p.add(new DriverStep.Register());
            return p;
        }
        p.add(new DriverStep.CfgProbe());
        p.addAll(c.impl().cfgProbe(c));
        if (c.inherit().equals("keep-translation")) { // no vendor's cfg_probe reads back for it
            p.add(new DriverStep.InheritSmrs()); // the 2019 RFC's read-back, in the generic driver
        }
        p.add(new DriverStep.Register());
        if (c.rmrInstall()) {
            // arm_smmu_device_probe calls arm_smmu_rmr_install_bypass_smr unconditionally (6.12
            // arm-smmu.c:2264): the CLIENTPD write happens whether or not the IORT lists RMRs
            p.add(new DriverStep.RmrClientPd());
            if (c.description().equals("rmr")) {
                p.add(new DriverStep.RmrFindSmes());
            }
        }
        for (int i = 0; i < c.groups(); i++) {
            p.add(new DriverStep.ResetS2cr(i));
            p.add(new DriverStep.ResetSmr(i));
        }
        for (int j = 0; j < c.banks(); j++) {
            p.add(new DriverStep.ResetBank(j));
        }
        p.add(new DriverStep.ResetScr0());
        p.add(new DriverStep.TestSmrMasks());
        return p;
    }

    /** Whether a step does anything in this state; steps that do not are passed over. */
    public static boolean applies(DriverStep step, HandoffState s, HandoffConfig c) {
        return switch (step) {
            case DriverStep.QcomQuirkSctlr q -> s.driver().bypassQuirk() && c.sctlrFix();
            case DriverStep.QcomQuirkCbar q -> s.driver().bypassQuirk();
            case DriverStep.ResetBank b -> !(c.inherit().equals("keep-translation") && b.index() == c.fwBank());
            case DriverStep.V3GbpaAbort g -> s.v3().smmuen();
            case DriverStep.TestSmrMasks t -> s.driver().used().stream().anyMatch(x -> !x.valid());
            case DriverStep.ResetS2cr r -> r.index() < s.driver().numGroups();
            case DriverStep.ResetSmr r -> r.index() < s.driver().numGroups();
            default -> true;
        };
    }

    public static HandoffState apply(DriverStep step, HandoffState s, HandoffConfig c) {
        SmmuV2 hw = s.v2();
        DriverState d = s.driver();
        return switch (step) {
            // streamid_mask = (1 << NUMSIDB) - 1: 15-bit stream IDs without EXIDS; smr_mask_mask stays 0
            // until arm_smmu_test_smr_masks
            case DriverStep.CfgProbe p -> s.withDriver(new DriverState(
                    java.util.Collections.nCopies(c.groups(), Shadow.initial(c.disableBypass())), c.groups(), java.math.BigInteger.ZERO, false, 0x7fff, 0));
            case DriverStep.QcomProbeS2cr p -> {
                // with more than 128 groups the probe targets S2CR[127] (5583a55e074b), as the clamp
                // to 128 (122611347326) did: the model's last group below the clamp
                int last = c.clampedGroups() - 1;
                int written = Registers.s2cr(Registers.S2CR_TYPE_BYPASS, 0xff, Registers.S2CR_PRIVCFG_DEFAULT);
                SmmuV2 after = hw.withS2cr(last, c.hypervisor().s2cr(hw.s2cr()[last], written));
                boolean quirk = Registers.s2crType(after.s2cr()[last]) != Registers.S2CR_TYPE_BYPASS;
                DriverState nd = d.withBypassQuirk(quirk);
                if (c.clampAlways() || quirk) {
                    nd = nd.withNumGroups(Math.min(nd.numGroups(), c.clampedGroups()));
                }
                if (quirk) {
                    nd = nd.withBankTaken(bypassBank(c));
                }
                yield s.withV2(after).withDriver(nd);
            }
            case DriverStep.QcomQuirkSctlr p -> s.withV2(hw.withSctlr(bypassBank(c), 0));
            case DriverStep.QcomQuirkCbar p -> s.withV2(hw.withCbar(bypassBank(c),
                    Registers.cbar(Registers.CBAR_TYPE_S1_TRANS_S2_BYPASS)));
            case DriverStep.InheritSmrs p -> s.withDriver(inherit(hw, d, c));
            case DriverStep.RmrClientPd p -> s.withV2(hw.withScr0(c.hypervisor().scr0(hw.scr0(), hw.scr0() | Registers.SCR0_CLIENTPD)));
            case DriverStep.RmrFindSmes p -> s.withDriver(installRmr(d, c));
            case DriverStep.ResetS2cr r -> writeS2cr(s, c, r.index());
            case DriverStep.ResetSmr r -> writeSmr(s, c, r.index());
            case DriverStep.ResetBank b -> s.withV2(writeContextBank(s, c, hw, b.index()));
            case DriverStep.ResetScr0 r -> s.withV2(hw.withScr0(c.hypervisor().scr0(hw.scr0(), resetScr0(hw.scr0(), c))));
            case DriverStep.TestSmrMasks t -> {
                int i = 0;
                while (d.used().get(i).valid()) {
                    i++;
                }
                // write ID = streamid_mask, read back the ID field; then MASK = that, read back the mask
                int reg = c.hypervisor().smr(hw.smr()[i], Registers.smr(d.streamIdMask(), 0, false));
                int ids = Registers.smrId(reg);
                reg = c.hypervisor().smr(reg, Registers.smr(0, ids, false));
                yield s.withV2(hw.withSmr(i, reg)).withDriver(d.withMasks(ids, Registers.smrMask(reg)));
            }
            case DriverStep.Register r -> s;
            case DriverStep.V3GbpaAbort g -> s.withV3(s.v3().withGbpaAbort(true));
            case DriverStep.V3Disable g -> s.withV3(s.v3().withSmmuen(false));
            case DriverStep.V3Enable g -> {
                // the stream table as arm_smmu_device_reset enables it: abort STEs, but bypass for the
                // RMR's stream IDs (arm_smmu_rmr_install_bypass_ste)
                int[] ste = new int[s.v3().clients()];
                ste[0] = SmmuV3.ste(c.rmrCoversDisplay() ? SmmuV3.STE_BYPASS : SmmuV3.STE_ABORT, 0);
                for (int k = 1; k < ste.length; k++) {
                    // every stream ID an RMR names gets its bypass STE, whoever it belongs to
                    boolean named = c.description().equals("rmr") && c.rmrInstall() && dev.handoff.model.smmu.Resolver
                            .enumerate(c.clients().get(k).entries()).stream().anyMatch(c.rmrSids()::contains);
                    ste[k] = SmmuV3.ste(named ? SmmuV3.STE_BYPASS : SmmuV3.STE_ABORT, 0);
                }
                yield s.withV3(new SmmuV3(true, s.v3().gbpaAbort(), ste));
            }
        };
    }

    /**
     * {@code arm_smmu_write_context_bank(smmu, idx)}: a bank without a domain ({@code cb->cfg}
     * NULL, which includes qcom's reserved bypass bank) only gets SCTLR := 0; a bank that belongs
     * to a domain is programmed again from it (CBAR, TTBR, then SCTLR with M set).
     */
    static SmmuV2 writeContextBank(HandoffState s, HandoffConfig c, SmmuV2 hw, int j) {
        int table = -1;
        for (int i = 0; i < s.devices().size() && table < 0; i++) {
            if (s.device(i).cb() == j) {
                table = c.clients().get(i).table();
            }
        }
        if (table < 0 && s.ddrv().ownCb() == j) {
            table = Tables.DISPLAY_OWN;
        }
        if (table < 0) {
            return hw.withSctlr(j, 0);
        }
        return hw.withBank(j, Registers.cbar(Registers.CBAR_TYPE_S1_TRANS_S2_BYPASS), IommuCore.domainSctlr(), table);
    }

    /** {@code qsmmu->bypass_cbndx = smmu->num_context_banks - 1}. */
    public static int bypassBank(HandoffConfig c) {
        return c.banks() - 1;
    }

    /**
     * {@code qcom_smmu_cfg_probe}'s read-back: for each SMR with VALID, shadow := {valid, ID,
     * MASK} with VALID stripped first (the 2021 fix; without it bit 31 lands in mask bit 15),
     * S2CR := BYPASS, cbndx 0xff, count unchanged. The 2019 RFC ({@code keep-translation}) keeps
     * the S2CR as the hardware has it and claims the firmware's bank in {@code context_map}.
     */
    static DriverState inherit(SmmuV2 hw, DriverState d, HandoffConfig c) {
        List<Shadow> sh = new ArrayList<>(d.shadow());
        java.math.BigInteger map = d.contextMap();
        boolean keep = c.inherit().equals("keep-translation");
        for (int i = 0; i < d.numGroups(); i++) {
            int smr = hw.smr()[i];
            if (!Registers.smrValid(smr)) {
                continue;
            }
            int raw = c.maskFix() ? smr & ~Registers.SMR_VALID : smr;
            Shadow old = sh.get(i);
            if (keep) {
                int s2cr = hw.s2cr()[i];
                sh.set(i, new Shadow(true, Registers.smrId(raw), Registers.smrMask(raw), Registers.s2crType(s2cr),
                        Registers.s2crCbndx(s2cr), old.count()));
                if (Registers.s2crType(s2cr) == Registers.S2CR_TYPE_TRANS && Registers.s2crCbndx(s2cr) < c.banks()) {
                    map = map.setBit(Registers.s2crCbndx(s2cr));
                }
            } else {
                sh.set(i, new Shadow(true, Registers.smrId(raw), Registers.smrMask(raw), Registers.S2CR_TYPE_BYPASS,
                        0xff, old.count()));
            }
        }
        return d.withShadow(sh).withContextMap(map);
    }

    /**
     * {@code arm_smmu_rmr_install_bypass_smr}'s loop: for each RMR stream ID,
     * {@code idx = arm_smmu_find_sme(smmu, sid, ~0)}; skip on error; if the entry's count was 0
     * claim it as {id = sid, mask = 0, valid}; count++, type BYPASS.
     */
    static DriverState installRmr(DriverState d, HandoffConfig c) {
        List<Shadow> sh = new ArrayList<>(d.shadow());
        for (int sid : c.rmrSids()) {
            int idx = StreamMapping.findSme(sh.subList(0, d.numGroups()), sid, ~0);
            if (idx < 0) {
                continue;
            }
            Shadow e = sh.get(idx);
            if (e.count() == 0) {
                e = e.withSmr(true, sid, 0);
            }
            sh.set(idx, new Shadow(e.valid(), e.id(), e.mask(), Registers.S2CR_TYPE_BYPASS, e.cbndx(), e.count() + 1));
        }
        return d.withShadow(sh);
    }

    /** sCR0 as {@code arm_smmu_device_reset} computes it from the value read back. */
    static int resetScr0(int reg, HandoffConfig c) {
        reg |= Registers.SCR0_GFRE | Registers.SCR0_GFIE | Registers.SCR0_GCFGFRE | Registers.SCR0_GCFGFIE;
        reg |= Registers.SCR0_VMIDPNE | Registers.SCR0_PTM;
        reg &= ~Registers.SCR0_CLIENTPD;
        if (c.disableBypass()) {
            reg |= Registers.SCR0_USFCFG;
        } else {
            reg &= ~Registers.SCR0_USFCFG;
        }
        reg &= ~Registers.SCR0_FB;
        reg &= ~Registers.SCR0_BSU;
        return reg;
    }

    /**
     * {@code arm_smmu_write_s2cr(idx)}: the register value from the shadow, through
     * {@code qcom_smmu_write_s2cr} when the qcom impl is active (with {@code bypass_quirk}:
     * BYPASS becomes TRANS to the reserved bank, FAULT becomes BYPASS), then through the
     * hypervisor.
     */
    public static HandoffState writeS2cr(HandoffState s, HandoffConfig c, int idx) {
        Shadow sh = s.driver().shadow().get(idx);
        int[] w = c.impl().s2cr(sh.type(), sh.cbndx(), s.driver(), c);
        int reg = Registers.s2cr(w[0], w[1], Registers.S2CR_PRIVCFG_DEFAULT);
        SmmuV2 hw = s.v2();
        return s.withV2(hw.withS2cr(idx, c.hypervisor().s2cr(hw.s2cr()[idx], reg)));
    }

    /** {@code arm_smmu_write_smr(idx)}: ID | MASK << 16, | VALID when valid (no EXIDS); through the hypervisor. */
    public static HandoffState writeSmr(HandoffState s, HandoffConfig c, int idx) {
        Shadow sh = s.driver().shadow().get(idx);
        int reg = Registers.smr(sh.id(), sh.mask(), sh.valid());
        SmmuV2 hw = s.v2();
        return s.withV2(hw.withSmr(idx, c.hypervisor().smr(hw.smr()[idx], reg)));
    }
}
