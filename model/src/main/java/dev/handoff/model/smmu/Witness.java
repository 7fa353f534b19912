package dev.handoff.model.smmu;

/**
 * A concrete failing transaction.
 *
 * @param outcome  how it fails
 * @param sid      its stream ID
 * @param iovaPage its IOVA, in 4 KiB pages
 * @param paPage   where it lands, in pages, or -1 when it lands nowhere (fault, hang)
 * @param report   how the SMMU records it, or null where it was not kept (a decoded state)
 * @param bank     the context bank its route reached, or -1
 * @param path     how the SMMU resolved it, for the reader: {@code SMR[2] -> S2CR[2] FAULT}
 */
public record Witness(FetchOutcome outcome, int sid, long iovaPage, long paPage, FaultReport report, int bank, String path) {
    /** A witness whose route was not kept (a state decoded from its packed form, a naive fetch). */
    public Witness(FetchOutcome outcome, int sid, long iovaPage, long paPage, String path) {
        this(outcome, sid, iovaPage, paPage, null, -1, path);
    }
}
