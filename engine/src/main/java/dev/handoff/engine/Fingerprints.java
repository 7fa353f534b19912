package dev.handoff.engine;

/**
 * 64-bit fingerprints of packed states.
 *
 * <p>Design: MurmurHash3's 64-bit block mix applied per word, then its {@code fmix64}
 * finaliser (Austin Appleby, public domain). Zero is reserved as the empty-slot marker of the
 * visited sets, so a state whose hash is zero is given fingerprint {@link #ZERO_SUBSTITUTE};
 * that merges it with one other 1-in-2^64 hash, which the collision estimate already covers.
 */
final class Fingerprints {
    static final long ZERO_SUBSTITUTE = 0x5bd1e9955bd1e995L;
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Fingerprints() {
    }

    /** The fingerprint of {@code words[off .. off + n)}; never zero. */
    static long of(long[] words, int off, int n) {
        long h = 0x9e3779b97f4a7c15L ^ n;
        for (int i = off, end = off + n; i < end; i++) {
            long k = words[i] * C1;
            k = Long.rotateLeft(k, 31) * C2;
            h ^= k;
            h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
        }
        h = fmix64(h);
        return h == 0 ? ZERO_SUBSTITUTE : h;
    }

    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    /**
     * Estimated probability that fingerprinting merged two distinct states somewhere in a run
     * that stored {@code distinct} fingerprints: the birthday bound n(n-1)/2 / 2^64, the
     * "optimistic" figure TLC reports.
     */
    static double collisionProbability(long distinct) {
        double n = distinct;
        return n * (n - 1) / 2 / 0x1p64;
    }
}
