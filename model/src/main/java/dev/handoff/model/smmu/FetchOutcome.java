package dev.handoff.model.smmu;

/** How a display transaction can fail. */
public enum FetchOutcome {
    /** Aborted: unmatched stream with USFCFG=1, S2CR FAULT, stream match conflict fault, context fault, v3 abort. */
    FAULT,
    /** The bus stalls: a context fault with SCTLR.CFCFG=1, or a walk through garbage. */
    HANG,
    /** Translated to a physical page outside the framebuffer the engine was programmed with. */
    WRONG_PAGE;

    public String label() {
        return switch (this) {
            case FAULT -> "fault";
            case HANG -> "hang";
            case WRONG_PAGE -> "wrong-page";
        };
    }
}
