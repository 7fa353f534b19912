package dev.handoff.engine;

/**
 * The set of states already seen. Thread-safe: several workers add concurrently.
 *
 * <p>Implementations: {@link FingerprintSet} keeps only 64-bit fingerprints (fast, small,
 * with a reported probability of merging two states); {@link ExactStateSet} keeps every
 * state's words (no false merges, more memory). Both must give identical counts on every model
 * whose run has no fingerprint collision.
 */
interface VisitedSet {
    /**
     * Adds the state at {@code words[off .. off + stateWords)} whose fingerprint is {@code fp}.
     *
     * @return true if the state was not in the set before this call (exactly one of several
     *         concurrent callers adding the same state gets true)
     * @throws CapacityExceededException if the set is full and the memory budget forbids growing
     */
    boolean add(long[] words, int off, long fp);

    /**
     * Starts loading the part of the set where {@code fp} would be looked up, without looking it
     * up: a hint for a caller that knows its next fingerprints in advance (a shared level's
     * look-up pass), so that several cache misses overlap instead of following one another. Has
     * no effect on the set. The value read is returned so that the caller can fold it into a
     * sink: a load whose value nobody uses is dropped by the JIT.
     */
    default long prefetch(long fp) {
        return 0;
    }

    /** Number of distinct states added. Exact once all writers have stopped. */
    long size();

    /** Bytes currently allocated for the set's tables. */
    long bytes();
}
