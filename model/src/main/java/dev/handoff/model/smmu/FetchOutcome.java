package dev.handoff.model.smmu;

/**
 * How a display transaction can fail, which is also how bad it is: its severity. Declared from
 * the worst to the mildest; {@link #rank()} orders them for gating ({@code --fail-on}).
 */
public enum FetchOutcome {
    /**
     * A global fault (unidentified stream with USFCFG=1, an S2CR of type FAULT, a stream match
     * conflict with SMCFCFG=1, a context index beyond NUMCB) on firmware that resets the machine
     * on it ({@code fw.global-fault=reset}, as Qualcomm's does).
     */
    FATAL,
    /**
     * The bus stalls: a context fault with SCTLR.CFCFG=1 waits for a RESUME nobody writes, or a
     * walk of rewritten table pages never completes.
     */
    HANG,
    /**
     * The transaction is aborted and reported, the machine runs on: a context fault with
     * CFCFG=0 ("Unhandled context fault"), a global fault that firmware leaves to Linux
     * ({@code arm_smmu_global_fault} logs it), an SMMUv3 abort.
     */
    FAULT,
    /** Translated to a physical page outside the framebuffer the engine was programmed with. */
    WRONG_PAGE;

    public String label() {
        return switch (this) {
            case FATAL -> "fatal";
            case HANG -> "hang";
            case FAULT -> "fault";
            case WRONG_PAGE -> "wrong-page";
        };
    }

    /** Higher is worse: fatal 4, hang 3, fault 2, wrong-page 1. */
    public int rank() {
        return values().length - ordinal();
    }

    /** The outcome labelled {@code label}, or null. */
    public static FetchOutcome ofLabel(String label) {
        for (FetchOutcome o : values()) {
            if (o.label().equals(label)) {
                return o;
            }
        }
        return null;
    }
}
