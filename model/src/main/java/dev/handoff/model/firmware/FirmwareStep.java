package dev.handoff.model.firmware;

/** The boot firmware's steps (BRIEF 6.1), in order; each is atomic and precedes the kernel. */
public enum FirmwareStep {
    /** {@code fw_program_smmu}: the display's stream map entries, its context bank and sCR0 (v3: STEs, SMMUEN). */
    PROGRAM_SMMU("fw_program_smmu"),
    /** Tegra: the memory controller's SID override for the display client holds the passthrough SID. */
    PROGRAM_MC_OVERRIDE("fw: MC SID override register"),
    /** {@code fw_start_scanout}: the display engine fetches the splash buffer at the firmware IOVA. */
    START_SCANOUT("fw_start_scanout"),
    /** {@code fw_quiesce_display}: the firmware stops the engine before handing off ({@code fw.quiesce=yes}). */
    QUIESCE_DISPLAY("fw_quiesce_display"),
    /** {@code fw_handoff}: ExitBootServices / jump to the kernel. The properties' window opens here. */
    HANDOFF("fw_handoff");

    private final String citation;

    FirmwareStep(String citation) {
        this.citation = citation;
    }

    public String citation() {
        return citation;
    }
}
