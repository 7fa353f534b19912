package dev.handoff.model.formalism;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
