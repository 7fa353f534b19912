package dev.handoff.model.smmu;

/**
 * The part of SMMUv3 that decides a transaction during the reset window (BRIEF 2.7):
 * CR0.SMMUEN, GBPA.ABORT, and the stream table entry of each client the model follows (indexed
 * as the clients are, the display first).
 * An STE is {@code config | table << 8} with config 0 abort, 4 bypass, 5 stage-1 translate
 * (STE.Config values) and {@code table} the id of the stage-1 table ({@link Tables}).
 *
 * <p>Simplification: all of one master's stream IDs share one STE (Linux writes the same STE
 * for every ID of a master).
 */
public record SmmuV3(boolean smmuen, boolean gbpaAbort, int[] ste) {
    public static final int STE_ABORT = 0;
    public static final int STE_BYPASS = 4;
    public static final int STE_S1_TRANS = 5;

    public SmmuV3 {
        ste = ste.clone();
    }

    /** Out of reset: SMMUEN=0, GBPA.ABORT=0, every STE abort (invalid). */
    public static SmmuV3 reset(int clients) {
        return new SmmuV3(false, false, new int[clients]);
    }

    /** Client {@code i}'s STE. */
    public int ste(int i) {
        return ste[i];
    }

    @Override
    public int[] ste() {
        return ste.clone();
    }

    public int clients() {
        return ste.length;
    }

    public SmmuV3 withSte(int i, int v) {
        int[] t = ste.clone();
        t[i] = v;
        return new SmmuV3(smmuen, gbpaAbort, t);
    }

    public SmmuV3 withSmmuen(boolean v) {
        return new SmmuV3(v, gbpaAbort, ste);
    }

    public SmmuV3 withGbpaAbort(boolean v) {
        return new SmmuV3(smmuen, v, ste);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmmuV3 v && smmuen == v.smmuen && gbpaAbort == v.gbpaAbort && java.util.Arrays.equals(ste, v.ste);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(ste) * 4 + (smmuen ? 2 : 0) + (gbpaAbort ? 1 : 0);
    }

    @Override
    public String toString() {
        return "SmmuV3[smmuen=" + smmuen + ", gbpaAbort=" + gbpaAbort + ", ste=" + java.util.Arrays.toString(ste) + "]";
    }

    public static int ste(int config, int table) {
        return config | table << 8;
    }

    public static int steConfig(int ste) {
        return ste & 7;
    }

    public static int steTable(int ste) {
        return ste >>> 8;
    }

    public static String steName(int ste) {
        return switch (steConfig(ste)) {
            case STE_ABORT -> "abort";
            case STE_BYPASS -> "bypass";
            default -> "translate(" + Tables.name(steTable(ste)) + ")";
        };
    }
}
