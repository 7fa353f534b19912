package dev.handoff.model.smmu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code arm_smmu_find_sme} edge cases, with the masks of real device trees. */
class StreamMappingTest {
    private static List<Shadow> table(int size, Shadow... valid) {
        List<Shadow> t = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            t.add(Shadow.initial(true));
        }
        for (int i = 0; i < valid.length; i++) {
            if (valid[i] != null) {
                t.set(i, valid[i]);
            }
        }
        return t;
    }

    private static Shadow smr(int id, int mask) {
        return new Shadow(true, id, mask, Registers.S2CR_TYPE_BYPASS, 0xff, 0);
    }

    @Test
    void emptyTableGivesTheFirstIndex() {
        assertEquals(0, StreamMapping.findSme(table(4), 0x880, 0x8));
    }

    @Test
    void identicalEntryIsReused() {
        assertEquals(0, StreamMapping.findSme(table(4, smr(0x880, 0x8)), 0x880, 0x8));
    }

    @Test
    void widerExistingEntryCoversANarrowerOne() {
        // 0x880/0x408 matches 0x880, 0x888, 0xc80, 0xc88: it covers 0xc80/0x8 entirely (H13: takeover narrows it)
        assertEquals(0, StreamMapping.findSme(table(4, smr(0x880, 0x408)), 0xc80, 0x8));
    }

    @Test
    void partialOverlapIsRefused() {
        // firmware's exact-ID entry 0x880/0x0 overlaps the DT's 0x880/0x8 without covering it
        assertEquals(StreamMapping.EINVAL, StreamMapping.findSme(table(4, smr(0x880, 0x0)), 0x880, 0x8));
    }

    @Test
    void disjointEntriesTakeTheFirstFreeIndex() {
        assertEquals(1, StreamMapping.findSme(table(4, smr(0x880, 0x8)), 0xc80, 0x8));
        assertEquals(0, StreamMapping.findSme(table(4, null, smr(0x880, 0x8)), 0x100, 0xf),
                "a free index before a valid, unrelated entry");
    }

    @Test
    void coveringEntryLaterInTheTableWinsOverAnEarlierFreeIndex() {
        assertEquals(1, StreamMapping.findSme(table(4, null, smr(0x880, 0x8)), 0x888, 0x0));
    }

    @Test
    void fullTableIsEnospc() {
        assertEquals(StreamMapping.ENOSPC, StreamMapping.findSme(table(2, smr(0x1, 0), smr(0x2, 0)), 0x3, 0));
    }

    @Test
    void rmrCallWithAllOnesMaskConflictsWithAnyValidEntry() {
        // arm_smmu_rmr_install_bypass_smr passes ~0: as u16 0xffff, and in int arithmetic
        // ~(smr.mask | 0xffff) keeps only bits 31:16, which a u16 XOR never sets: "overlap".
        assertEquals(StreamMapping.EINVAL, StreamMapping.findSme(table(4, smr(0x880, 0)), 0x888, ~0));
        assertEquals(StreamMapping.EINVAL, StreamMapping.findSme(table(4, smr(0x100, 0xf)), 0x880, ~0),
                "even an entry for an unrelated stream");
        assertEquals(0, StreamMapping.findSme(table(4, smr(0x0, 0xffff)), 0x880, ~0), "only an all-ones mask covers it");
        assertEquals(0, StreamMapping.findSme(table(4), 0x880, ~0));
    }

    @Test
    void argumentsAreTruncatedToU16() {
        assertEquals(0, StreamMapping.findSme(table(4, smr(0x880, 0x8)), 0x10880, 0x10008));
    }
}
