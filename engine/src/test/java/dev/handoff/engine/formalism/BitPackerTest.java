package dev.handoff.engine.formalism;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BitPackerTest {
    @Test
    void randomFieldsRoundTripAcrossWordBoundaries() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + rnd.nextInt(40);
            int[] widths = new int[n];
            long[] values = new long[n];
            int total = 0;
            for (int i = 0; i < n; i++) {
                widths[i] = 1 + rnd.nextInt(64);
                values[i] = widths[i] == 64 ? rnd.nextLong() : rnd.nextLong() & ((1L << widths[i]) - 1);
                total += widths[i];
            }
            long[] buf = new long[BitPacker.wordsFor(total) + 2];
            java.util.Arrays.fill(buf, -1L);
            BitPacker w = BitPacker.writer(buf, 1, BitPacker.wordsFor(total));
            for (int i = 0; i < n; i++) {
                w.put(values[i], widths[i]);
            }
            assertEquals(total, w.position());
            assertEquals(-1L, buf[0], "the writer stays in its words");
            BitPacker r = BitPacker.reader(buf, 1);
            for (int i = 0; i < n; i++) {
                assertEquals(values[i], r.get(widths[i]), "field " + i + " of width " + widths[i]);
            }
        }
    }

    @Test
    void aValueWiderThanItsFieldIsRefusedNotMasked() {
        long[] buf = new long[2];
        BitPacker w = BitPacker.writer(buf, 0, 2);
        w.put(255, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.put(256, 8));
        assertTrue(e.getMessage().contains("does not fit in 8 bits at bit 8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.put(-1, 63), "a negative value is a 64-bit pattern");
        assertThrows(IllegalArgumentException.class, () -> w.put(0, 0));
        assertThrows(IllegalArgumentException.class, () -> w.put(0, 65));
    }

    @Test
    void aRegisterWithBit31SetRoundTripsAsItsBitPattern() {
        long[] buf = new long[1];
        BitPacker.writer(buf, 0, 1).putRegister(0x8000_0001).putRegister(-1);
        BitPacker r = BitPacker.reader(buf, 0);
        assertEquals(0x8000_0001, r.getInt(32));
        assertEquals(-1, r.getInt(32));
    }
}
