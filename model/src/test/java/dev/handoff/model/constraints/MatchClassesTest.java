package dev.handoff.model.constraints;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Stream-match classes by listing IDs agree with the solver's exactly: the same classes, the same
 * witnesses, in the same order, on random entry sets and SMR tables shaped like real ones (small
 * masks, shared IDs, invalid registers, registers whose mask covers the entries' bits), and on
 * the shapes the model meets (no SMR, no entry, every ID).
 */
class MatchClassesTest {
    private static int entry(int id, int mask) {
        return (mask & 0x7fff) << 16 | id & 0x7fff;
    }

    private static int smr(boolean valid, int id, int mask) {
        return (valid ? 0x8000_0000 : 0) | (mask & 0x7fff) << 16 | id & 0x7fff;
    }

    @Test
    void listingAgreesWithTheSolver() {
        Random r = new Random(20261202);
        for (int c = 0; c < 400; c++) {
            List<Integer> entries = new ArrayList<>();
            int base = r.nextInt(0x2000);
            for (int e = 0, n = 1 + r.nextInt(6); e < n; e++) {
                // IDs near each other (a SoC's masters share high bits), masks of a few low bits
                entries.add(entry(base + r.nextInt(64), r.nextInt(4) == 0 ? 0 : r.nextInt(16)));
            }
            int[] smrs = new int[r.nextInt(8)];
            for (int n = 0; n < smrs.length; n++) {
                int id = r.nextBoolean() ? entries.get(r.nextInt(entries.size())) & 0x7fff : base + r.nextInt(64);
                smrs[n] = smr(r.nextInt(5) != 0, id, r.nextInt(3) == 0 ? r.nextInt(0x40) : 0);
            }
            List<MatchClass> solved = ConstraintAdapter.solveMatchClasses(entries, smrs.clone());
            assertEquals(solved, ConstraintAdapter.enumerateMatchClasses(entries, smrs, ConstraintAdapter.ENUMERATE_LIMIT),
                    "entries " + entries + ", SMRs " + java.util.Arrays.toString(smrs));
        }
    }

    @Test
    void edgeShapesAgreeAndLargeSetsGoToTheSolver() {
        int[] none = new int[0];
        List<Integer> one = List.of(entry(0x880, 0x8));
        assertEquals(ConstraintAdapter.solveMatchClasses(one, none), ConstraintAdapter.enumerateMatchClasses(one, none, 1024));
        assertEquals(List.of(), ConstraintAdapter.enumerateMatchClasses(List.of(), new int[] {smr(true, 0x880, 0)}, 1024), "no ID, no class");
        int[] catchAll = {smr(true, 0, 0x7fff), smr(true, 0x880, 0)};
        assertEquals(ConstraintAdapter.solveMatchClasses(one, catchAll), ConstraintAdapter.enumerateMatchClasses(one, catchAll, 1024));
        // a mask that names 2^15 IDs is the solver's: listing refuses it
        assertNull(ConstraintAdapter.enumerateMatchClasses(List.of(entry(0, 0x7fff)), catchAll, 1024));
        assertEquals(2, ConstraintAdapter.solveMatchClasses(List.of(entry(0, 0x7fff)), catchAll).size());
    }
}
