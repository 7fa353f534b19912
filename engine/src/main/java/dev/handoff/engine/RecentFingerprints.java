package dev.handoff.engine;

/**
 * One worker's cache in front of the fingerprint set: a direct-mapped table of fingerprints the
 * worker lately found in the set or added to it. A breadth-first level meets most of its states
 * several times (each from several parents), and the first meeting was recent, so a repeat is
 * answered from this table, a few hundred kilobytes that stay in the core's cache, instead of a
 * probe into the set, which a large run keeps in main memory. A fingerprint here is in the set
 * (nothing leaves the set), so a hit is the set's own answer; a miss asks the set. Only for
 * fingerprint mode: in exact mode equal fingerprints do not make equal states.
 *
 * <p>Not thread-safe: one per worker.
 */
final class RecentFingerprints implements VisitedSet {
    /**
     * 8,192 entries (64 KiB, well inside a core's L2): on one worker, fastest of two rounds of
     * {@code bench --repeat 5}, wide counters 0.161-0.166 s with 2^13 against 0.197-0.208 with 2^11
     * and 0.219-0.225 with 2^17; the philosophers at 16 and the filter lock at 7 alike within noise
     * from 2^11 to 2^17 (2026-12-03).
     */
    static final int ENTRIES = 1 << 13;

    private final VisitedSet set;
    /** A fixed 64 KiB a worker (two with the shared levels' table), outside the memory budget, which counts the stores. */
    private final long[] recent = new long[ENTRIES];

    RecentFingerprints(VisitedSet set) {
        this.set = set;
    }

    @Override
    public boolean add(long[] words, int off, long fp) {
        int i = (int) fp & (ENTRIES - 1);
        if (recent[i] == fp) {
            return false;
        }
        boolean added = set.add(words, off, fp);
        recent[i] = fp;
        return added;
    }

    /** A fingerprint this cache holds costs no probe, and so no prefetch. */
    @Override
    public long prefetch(long fp) {
        return recent[(int) fp & (ENTRIES - 1)] == fp ? 0 : set.prefetch(fp);
    }

    @Override
    public long size() {
        return set.size();
    }

    @Override
    public long bytes() {
        return set.bytes();
    }
}
