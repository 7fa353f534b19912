package dev.handoff.model.board;

import java.nio.charset.Charset;

/**
 * Reads fixed-width integers and NUL-terminated strings from a firmware table, refusing any read
 * past {@link #limit}: the one place the DTB and IORT readers touch raw bytes. Errors name the
 * source and the offset.
 */
final class BoundedBytes {
    final String source;
    final byte[] b;
    private final boolean bigEndian;
    /** Reads must end at or before this offset (the table's declared size once it is known). */
    int limit;

    BoundedBytes(String source, byte[] b, boolean bigEndian) {
        this.source = source;
        this.b = b;
        this.bigEndian = bigEndian;
        this.limit = b.length;
    }

    BoardInputException error(long off, String what) {
        return new BoardInputException(source + ": offset 0x" + Long.toHexString(off) + ": " + what);
    }

    private void check(long off, int n) {
        if (off < 0 || off + n > limit) {
            throw error(off, "read of " + n + " bytes past the end (" + limit + " bytes)");
        }
    }

    int u16(int off) {
        check(off, 2);
        return bigEndian ? (b[off] & 0xff) << 8 | (b[off + 1] & 0xff) : (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    /** An unsigned 32-bit value. */
    long u32(int off) {
        check(off, 4);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int k = bigEndian ? i : 3 - i;
            v = v << 8 | (b[off + k] & 0xffL);
        }
        return v;
    }

    long u64(int off) {
        long first = u32(off);
        long second = u32(off + 4);
        return bigEndian ? first << 32 | second : second << 32 | first;
    }

    /** A NUL-terminated string from {@code off}, which must end before {@code end} (and {@link #limit}). */
    String cstring(int off, int end, String what, Charset charset) {
        return new String(b, off, nul(off, end, what) - off, charset);
    }

    /** The offset of the NUL that ends the string at {@code off}: a string's length in bytes, whatever its decoding. */
    int nul(int off, int end, String what) {
        end = Math.min(end, limit);
        for (int i = off; i < end; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        throw error(off, what + " is not NUL-terminated within its block");
    }
}
