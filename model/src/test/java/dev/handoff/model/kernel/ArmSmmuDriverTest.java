package dev.handoff.model.kernel;

import dev.handoff.model.handoff.HandoffConfig;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.smmu.Registers;
import dev.handoff.model.smmu.Shadow;
import dev.handoff.model.smmu.SmmuV2;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arm-smmu driver's register arithmetic, as the kernel has it. */
class ArmSmmuDriverTest {
    private static HandoffConfig config(Map<String, String> knobs) {
        return HandoffConfig.of(Scenario.of(Platforms.C630, null, knobs));
    }

    @Test
    void resetScr0ClearsClientpdAndFollowsDisableBypassButKeepsSmcfcfg() {
        int fw = Registers.SCR0_CLIENTPD | Registers.SCR0_SMCFCFG | Registers.SCR0_FB | Registers.SCR0_BSU;
        int on = ArmSmmuDriver.resetScr0(fw, config(Map.of(Knobs.KERNEL_DISABLE_BYPASS, "yes")));
        assertEquals(0, on & Registers.SCR0_CLIENTPD);
        assertEquals(Registers.SCR0_USFCFG, on & Registers.SCR0_USFCFG);
        assertEquals(Registers.SCR0_SMCFCFG, on & Registers.SCR0_SMCFCFG, "Linux never writes SMCFCFG");
        assertEquals(0, on & (Registers.SCR0_FB | Registers.SCR0_BSU));
        int off = ArmSmmuDriver.resetScr0(fw | Registers.SCR0_USFCFG, config(Map.of(Knobs.KERNEL_DISABLE_BYPASS, "no")));
        assertEquals(0, off & Registers.SCR0_USFCFG);
    }

    @Test
    void qcomReadBackStripsValidUnlessThePreFixKernel() {
        SmmuV2 hw = SmmuV2.reset(8, 8).withSmr(0, Registers.smr(0x880, 0x8, true));
        DriverState fixed = ArmSmmuDriver.inherit(hw, DriverState.empty(8), config(Map.of()));
        assertEquals(new Shadow(true, 0x880, 0x8, Registers.S2CR_TYPE_BYPASS, 0xff, 0), fixed.shadow().get(0));
        DriverState old = ArmSmmuDriver.inherit(hw, DriverState.empty(8), config(Map.of(Knobs.KERNEL_QCOM_MASK_FIX, "no")));
        assertEquals(0x8008, old.shadow().get(0).mask(), "VALID read into mask bit 15");
        assertFalse(old.shadow().get(1).valid());
    }

    @Test
    void rmrInstallKeepsOnlyTheFirstStreamId() {
        HandoffConfig c = config(Map.of(Knobs.FW_DESCRIPTION, "rmr"));
        DriverState d = ArmSmmuDriver.installRmr(new DriverState(
                java.util.Collections.nCopies(8, Shadow.initial(true)), 8, java.math.BigInteger.ZERO, false, 0x7fff, 0x7fff), c);
        assertEquals(new Shadow(true, 0x880, 0, Registers.S2CR_TYPE_BYPASS, 0, 1), d.shadow().get(0));
        assertFalse(d.shadow().get(1).valid(), "0x888 and the rest: find_sme(sid, ~0) returns -EINVAL");
    }

    @Test
    void qcomS2crHookWithTheQuirkTurnsBypassIntoTheReservedBank() {
        HandoffConfig c = config(Map.of(Knobs.HYP_BYPASS_QUIRK, "no"));
        var model = new dev.handoff.model.handoff.HandoffModel(c, true, new dev.handoff.model.constraints.ConstraintAdapter());
        var s = model.initialStates().get(0);
        s = s.withDriver(new DriverState(java.util.Collections.nCopies(8,
                new Shadow(true, 0x880, 0x8, Registers.S2CR_TYPE_BYPASS, 0xff, 1)), 8, java.math.BigInteger.ONE.shiftLeft(7), true, 0x7fff, 0x7fff));
        var t = ArmSmmuDriver.writeS2cr(s, c, 0);
        assertEquals(Registers.S2CR_TYPE_TRANS, Registers.s2crType(t.v2().s2cr()[0]));
        assertEquals(7, Registers.s2crCbndx(t.v2().s2cr()[0]), "the last bank emulates bypass");
        assertTrue(IommuCore.defaultDomainType(c, 0) == DeviceState.IDENTITY, "qcom,sdm845-mdss is a qcom client");
        assertTrue(IommuCore.defaultDomainType(c, 1) == DeviceState.DMA);
    }

    @Test
    void resetReprogramsBanksThatHaveADomainAndDisablesTheRest() {
        var m = new dev.handoff.model.handoff.HandoffModel(config(Map.of()), true, new dev.handoff.model.constraints.ConstraintAdapter());
        var s = m.initialStates().get(0);
        s = s.withDevice(1, s.device(1).withCb(2));
        SmmuV2 hw = s.v2().withBank(2, 0, 0, 0).withBank(3, Registers.cbar(1), Registers.SCTLR_M, dev.handoff.model.smmu.Tables.FIRMWARE);
        SmmuV2 assigned = ArmSmmuDriver.writeContextBank(s, m.config(), hw, 2);
        assertEquals(Registers.SCTLR_M, assigned.sctlr()[2] & Registers.SCTLR_M, "cb->cfg set: programmed again, M last");
        assertEquals(dev.handoff.model.smmu.Tables.OTHER_DEFAULT, assigned.ttbr()[2]);
        SmmuV2 free = ArmSmmuDriver.writeContextBank(s, m.config(), hw, 3);
        assertEquals(0, free.sctlr()[3], "no cfg: SCTLR := 0");
        assertEquals(dev.handoff.model.smmu.Tables.FIRMWARE, free.ttbr()[3], "only SCTLR is written");
    }
}
