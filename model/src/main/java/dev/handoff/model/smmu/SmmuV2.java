package dev.handoff.model.smmu;

import java.util.Arrays;

/**
 * SMMUv2 / MMU-500 hardware state that decides where a transaction goes (BRIEF 2.1-2.3): sCR0,
 * the stream map (SMR[n], S2CR[n]) and the context banks' CBAR, SCTLR and TTBR0. Values are raw
 * 32-bit register contents, except TTBR0, which holds the id of the translation table it
 * points at ({@link Tables}) instead of a physical address. Immutable: the {@code with…}
 * methods copy.
 *
 * <p>Not modelled: the TLB (every fetch walks; Linux's reset issues TLBIALLH/TLBIALLNSNH before
 * it enables translation, and firmware tables are walked, not cached, in the model), fault
 * syndrome registers (a fault is an outcome, not a state), and power (the SMMU stays clocked:
 * H5 is out of scope for now).
 */
public record SmmuV2(int scr0, int[] smr, int[] s2cr, int[] cbar, int[] sctlr, int[] ttbr) {

    /**
     * Reset: CLIENTPD = 1, every SMR invalid, every S2CR of type FAULT (MMU-500's SMMU_S2CRn resets
     * to 0x00020000: Xilinx UG1087, Intel Stratix 10 HPS register maps; the architecture leaves it
     * UNKNOWN, H4), banks zero.
     */
    public static SmmuV2 reset(int groups, int banks) {
        int[] s2cr = new int[groups];
        java.util.Arrays.fill(s2cr, Registers.s2cr(Registers.S2CR_TYPE_FAULT, 0, 0));
        return new SmmuV2(Registers.SCR0_CLIENTPD, new int[groups], s2cr, new int[banks], new int[banks], new int[banks]);
    }

    public int groups() {
        return smr.length;
    }

    public int banks() {
        return cbar.length;
    }

    public SmmuV2 withScr0(int v) {
        return new SmmuV2(v, smr, s2cr, cbar, sctlr, ttbr);
    }

    public SmmuV2 withSmr(int i, int v) {
        int[] a = smr.clone();
        a[i] = v;
        return new SmmuV2(scr0, a, s2cr, cbar, sctlr, ttbr);
    }

    public SmmuV2 withS2cr(int i, int v) {
        int[] a = s2cr.clone();
        a[i] = v;
        return new SmmuV2(scr0, smr, a, cbar, sctlr, ttbr);
    }

    public SmmuV2 withBank(int j, int cbarValue, int sctlrValue, int ttbrValue) {
        int[] c = cbar.clone();
        int[] s = sctlr.clone();
        int[] t = ttbr.clone();
        c[j] = cbarValue;
        s[j] = sctlrValue;
        t[j] = ttbrValue;
        return new SmmuV2(scr0, smr, s2cr, c, s, t);
    }

    public SmmuV2 withSctlr(int j, int v) {
        int[] s = sctlr.clone();
        s[j] = v;
        return new SmmuV2(scr0, smr, s2cr, cbar, s, ttbr);
    }

    public SmmuV2 withCbar(int j, int v) {
        int[] c = cbar.clone();
        c[j] = v;
        return new SmmuV2(scr0, smr, s2cr, c, sctlr, ttbr);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmmuV2 h && scr0 == h.scr0 && Arrays.equals(smr, h.smr) && Arrays.equals(s2cr, h.s2cr)
                && Arrays.equals(cbar, h.cbar) && Arrays.equals(sctlr, h.sctlr) && Arrays.equals(ttbr, h.ttbr);
    }

    @Override
    public int hashCode() {
        return ((((scr0 * 31 + Arrays.hashCode(smr)) * 31 + Arrays.hashCode(s2cr)) * 31 + Arrays.hashCode(cbar)) * 31
                + Arrays.hashCode(sctlr)) * 31 + Arrays.hashCode(ttbr);
    }

    @Override
    public String toString() {
        return String.format("sCR0=0x%08x SMR=%s S2CR=%s CBAR=%s SCTLR=%s TTBR=%s", scr0, hex(smr), hex(s2cr),
                hex(cbar), hex(sctlr), Arrays.toString(ttbr));
    }

    private static String hex(int[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%08x", a[i]));
        }
        return sb.append(']').toString();
    }
}
