package dev.handoff.model.smmu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Register packing as FIELD_PREP/FIELD_GET do it, and the hypervisor's rewrites. */
class RegistersAndFilterTest {
    @Test
    void smrMaskBit15LandsOnValid() {
        // the pre-2021 qcom read-back kept VALID in mask bit 15; writing such a mask back sets VALID (H2)
        int reg = Registers.smr(0x880, 0x8008, false);
        assertTrue(Registers.smrValid(reg));
        assertEquals(0x8008, Registers.smrMask(reg) & 0xffff);
    }

    @Test
    void smrMatchingUsesFifteenBitsAndTheMask() {
        int reg = Registers.smr(0x880, 0x8, true);
        assertTrue(Registers.smrMatches(reg, 0x880));
        assertTrue(Registers.smrMatches(reg, 0x888));
        assertFalse(Registers.smrMatches(reg, 0xc80));
        assertFalse(Registers.smrMatches(Registers.smr(0x880, 0x8, false), 0x880), "an invalid SMR matches nothing");
        int x13s = Registers.smr(0x1000, 0x402, true);
        for (int sid : new int[] {0x1000, 0x1002, 0x1400, 0x1402}) {
            assertTrue(Registers.smrMatches(x13s, sid), Integer.toHexString(sid));
        }
        assertFalse(Registers.smrMatches(x13s, 0x1001));
    }

    @Test
    void s2crFields() {
        int reg = Registers.s2cr(Registers.S2CR_TYPE_TRANS, 7, 0);
        assertEquals(0, Registers.s2crType(reg));
        assertEquals(7, Registers.s2crCbndx(reg));
        assertEquals(Registers.S2CR_TYPE_FAULT, Registers.s2crType(Registers.s2cr(Registers.S2CR_TYPE_FAULT, 0xff, 0)));
    }

    @Test
    void hypervisorWithTheQuirkRewritesBypassAndIgnoresFault() {
        HypervisorFilter h = new HypervisorFilter(true, false, false);
        int trans = Registers.s2cr(Registers.S2CR_TYPE_TRANS, 3, 0);
        int bypass = Registers.s2cr(Registers.S2CR_TYPE_BYPASS, 0xff, 0);
        int fault = Registers.s2cr(Registers.S2CR_TYPE_FAULT, 0, 0);
        assertEquals(Registers.S2CR_TYPE_FAULT, Registers.s2crType(h.s2cr(trans, bypass)), "BYPASS lands as FAULT");
        assertEquals(trans, h.s2cr(trans, fault), "FAULT is ignored");
        assertEquals(trans, h.s2cr(bypass, trans), "TRANS lands as written");
        assertEquals(bypass, HypervisorFilter.NONE.s2cr(trans, bypass));
        assertEquals(5, new HypervisorFilter(false, true, false).smr(5, 9), "ignored SMR write");
        assertEquals(9, h.smr(5, 9));
    }

    /** hyp.clientpd=ignored: a written sCR0 keeps CLIENTPD as it was, every other bit lands. */
    @Test
    void hypervisorMayKeepClientpd() {
        HypervisorFilter keep = new HypervisorFilter(false, false, true);
        int written = Registers.SCR0_CLIENTPD | Registers.SCR0_USFCFG;
        assertEquals(Registers.SCR0_USFCFG, keep.scr0(0, written), "CLIENTPD stays 0");
        assertEquals(Registers.SCR0_CLIENTPD | Registers.SCR0_GFRE, keep.scr0(Registers.SCR0_CLIENTPD, Registers.SCR0_GFRE));
        assertEquals(written, HypervisorFilter.NONE.scr0(0, written));
    }
}
