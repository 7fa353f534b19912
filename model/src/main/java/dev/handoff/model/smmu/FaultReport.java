package dev.handoff.model.smmu;

/**
 * How the SMMU records a failing transaction, which is what a kernel log can show of it.
 */
public enum FaultReport {
    /**
     * A global fault: sGFSR (USF, SMCF, ICF, or an S2CR of type FAULT), which arm_smmu_global_fault
     * prints ("Blocked unknown Stream ID", "Unexpected global fault") unless firmware resets first.
     */
    GLOBAL,
    /**
     * A context fault: the bank's FSR and FAR, which arm_smmu_context_fault prints ("Unhandled
     * context fault") once Linux has requested that bank's interrupt (a bank of its own domains).
     */
    CONTEXT,
    /** An SMMUv3 event queue record (F_TRANSLATION and kin), which arm_smmu_evtq_thread prints. */
    EVENT,
    /** Nothing is recorded: a bypass to the wrong page, or an SMMUv3 abort STE or GBPA abort (no event). */
    NONE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
