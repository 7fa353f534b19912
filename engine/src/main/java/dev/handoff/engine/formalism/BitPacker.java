package dev.handoff.engine.formalism;

/**
 * Writes and reads unsigned bit fields across a run of {@code long} words, for codecs. Fields
 * never straddle more than two words. A writer and a reader visit fields in the same order.
 */
public final class BitPacker {
    private final long[] words;
    private final int off;
    private int bit;

    private BitPacker(long[] words, int off) {
        this.words = words;
        this.off = off;
    }

    /** A writer over {@code words[off ..]}; clears the words it will write as it goes. */
    public static BitPacker writer(long[] words, int off, int count) {
        java.util.Arrays.fill(words, off, off + count, 0L);
        return new BitPacker(words, off);
    }

    public static BitPacker reader(long[] words, int off) {
        return new BitPacker(words, off);
    }

    /**
     * Writes {@code value} as an unsigned field of {@code bits} bits (1..64).
     *
     * @throws IllegalArgumentException if the value does not fit: a wider value silently masked
     *                                  would make two distinct states encode alike, and the
     *                                  search would merge them without a word
     */
    public BitPacker put(long value, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("a field has 1 to 64 bits, not " + bits);
        }
        if (bits < 64 && value >>> bits != 0) {
            throw new IllegalArgumentException("value " + value + " (0x" + Long.toHexString(value) + ") does not fit in "
                    + bits + " bits at bit " + bit);
        }
        long v = value;
        int w = off + (bit >>> 6);
        int s = bit & 63;
        words[w] |= v << s;
        if (s + bits > 64) {
            words[w + 1] |= v >>> (64 - s);
        }
        bit += bits;
        return this;
    }

    public BitPacker put(boolean value) {
        return put(value ? 1 : 0, 1);
    }

    /** Writes a 32-bit register (its bit pattern, so an {@code int} with bit 31 set fits). */
    public BitPacker putRegister(int value) {
        return put(Integer.toUnsignedLong(value), 32);
    }

    /** Reads {@code bits} bits (1..64) as an unsigned value. */
    public long get(int bits) {
        int w = off + (bit >>> 6);
        int s = bit & 63;
        long v = words[w] >>> s;
        if (s + bits > 64) {
            v |= words[w + 1] << (64 - s);
        }
        bit += bits;
        return bits == 64 ? v : v & ((1L << bits) - 1);
    }

    public int getInt(int bits) {
        return (int) get(bits);
    }

    public boolean getBoolean() {
        return get(1) != 0;
    }

    /** Bits written or read so far. */
    public int position() {
        return bit;
    }

    /** Words needed for {@code bits} bits. */
    public static int wordsFor(int bits) {
        return (bits + 63) >>> 6;
    }
}
