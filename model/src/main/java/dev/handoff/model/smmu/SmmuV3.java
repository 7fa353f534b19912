package dev.handoff.model.smmu;

/**
 * The part of SMMUv3 that decides a transaction during the reset window (BRIEF 2.7):
 * CR0.SMMUEN, GBPA.ABORT, and the stream table entries of the two masters the model follows.
 * An STE is {@code config | table << 8} with config 0 abort, 4 bypass, 5 stage-1 translate
 * (STE.Config values) and {@code table} the id of the stage-1 table ({@link Tables}).
 *
 * <p>Simplification: all of one master's stream IDs share one STE (Linux writes the same STE
 * for every ID of a master).
 */
public record SmmuV3(boolean smmuen, boolean gbpaAbort, int steDisplay, int steOther) {
    public static final int STE_ABORT = 0;
    public static final int STE_BYPASS = 4;
    public static final int STE_S1_TRANS = 5;

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
