package dev.handoff.engine.formalism;

/**
 * Packs a model state into a fixed number of 64-bit words and back.
 *
 * <p>Contract: {@code decode(encode(s)) equals s}, and two states are equal exactly when their
 * encodings are equal word for word (the engine deduplicates on the words). Every state of a
 * model encodes to the same number of words. Implementations must be stateless and thread-safe.
 *
 * @param <S> the model's state type
 */
public interface StateCodec<S> {
    /** Words per state; constant for a model. */
    int words();

    /** Writes {@code state} into {@code out[off .. off + words())}. */
    void encode(S state, long[] out, int off);

    /** Reads a state from {@code in[off .. off + words())}. */
    S decode(long[] in, int off);
}
