package dev.handoff.engine;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The visited sets and the parent log, including their invariants under concurrent use. */
class StoresTest {
    private static MemoryBudget budget() {
        return new MemoryBudget(1L << 30);
    }

    @Test
    void fingerprintSetAcceptsEachFingerprintOnceUnderConcurrency() throws Exception {
        FingerprintSet set = new FingerprintSet(budget());
        int threads = 4;
        int perThread = 200_000;
        long[] keys = new long[perThread];
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < perThread; i++) {
            keys[i] = rnd.nextLong() | 1;
        }
        AtomicLong accepted = new AtomicLong();
        Set<Long> winners = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int offset = t * 1_000;
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    long k = keys[(i + offset) % perThread];
                    if (set.add(k)) {
                        accepted.incrementAndGet();
                        assertTrue(winners.add(k), "a fingerprint was accepted twice");
                    }
                }
            });
            ts[t].start();
        }
        start.countDown();
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(perThread, accepted.get());
        assertEquals(perThread, set.size());
        for (long k : keys) {
            assertTrue(set.contains(k));
        }
        assertFalse(set.contains(2L));
        double load = set.size() / (set.bytes() / 8.0);
        assertTrue(load > 0.7 && load <= FingerprintSet.MAX_LOAD, "load " + load);
    }

    @Test
    void exactSetSeparatesStatesWithEqualFingerprints() {
        ExactStateSet set = new ExactStateSet(2, budget());
        long fp = 0x1234_5678_9abc_def0L;
        assertTrue(set.add(new long[] {1, 2}, 0, fp));
        assertTrue(set.add(new long[] {1, 3}, 0, fp), "same fingerprint, different state");
        assertFalse(set.add(new long[] {9, 1, 2}, 1, fp), "same state at an offset");
        assertEquals(2, set.size());
        for (int i = 0; i < 10_000; i++) {
            set.add(new long[] {i, -i}, 0, Fingerprints.of(new long[] {i, -i}, 0, 2));
        }
        assertEquals(10_002, set.size());
    }

    @Test
    void fingerprintsAreNeverZeroAndDependOnEveryWord() {
        Set<Long> seen = new HashSet<>();
        for (long a = 0; a < 100; a++) {
            for (long b = 0; b < 100; b++) {
                long fp = Fingerprints.of(new long[] {a, b}, 0, 2);
                assertNotEquals(0, fp);
                seen.add(fp);
            }
        }
        assertEquals(10_000, seen.size());
        assertNotEquals(Fingerprints.of(new long[] {0}, 0, 1), Fingerprints.of(new long[] {0, 0}, 0, 2),
                "the width is part of the fingerprint");
    }

    @Test
    void homeBucketsStayInsideTheHomeRegion() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int b = FingerprintSet.INITIAL_BUCKETS; b < 100_000; b = FingerprintSet.grownBuckets(b)) {
            for (int i = 0; i < 1000; i++) {
                int h = FingerprintSet.home(rnd.nextLong(), b);
                assertTrue(h >= 1 && (h - 1) % FingerprintSet.BUCKET == 0 && h + FingerprintSet.BUCKET <= 1 + b * FingerprintSet.BUCKET,
                        "home " + h + " with " + b + " buckets");
            }
        }
        assertEquals(1, FingerprintSet.home(0, 5), "the smallest fingerprint's home is the first bucket");
        assertEquals(1 + 4 * FingerprintSet.BUCKET, FingerprintSet.home(-1L, 5), "the largest fingerprint's home is the last bucket");
    }

    @Test
    void homesAreMonotoneInTheFingerprint() {
        // the ordered table and its merging growth rest on it: within a segment, a larger fingerprint never has an earlier home
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++) {
            long a = rnd.nextLong() >>> FingerprintSet.SEGMENT_BITS;
            long b = rnd.nextLong() >>> FingerprintSet.SEGMENT_BITS;
            int buckets = 1 + rnd.nextInt(1 << 20);
            if (Long.compareUnsigned(a, b) <= 0) {
                assertTrue(FingerprintSet.home(a, buckets) <= FingerprintSet.home(b, buckets));
            }
        }
    }

    @Test
    void clusteredFingerprintsRunIntoTheTailAndStayFindable() {
        // 3,000 fingerprints of one segment and a handful of home buckets: every cluster is long, the
        // last ones run past the home region (the tail lengthens), inserts land in the middle of
        // clusters (shifts) and in every order
        FingerprintSet set = new FingerprintSet(budget());
        SplittableRandom rnd = new SplittableRandom(5);
        long[] keys = new long[3_000];
        for (int i = 0; i < keys.length; i++) {
            // segment 1; two neighbourhoods in the middle of the home region, two at its end
            long neighbourhood = new long[] {0x0200_0000_0000_0000L, 0x0280_0000_0000_0000L, 0x03ff_ff00_0000_0000L,
                0x03ff_ffff_0000_0000L}[rnd.nextInt(4)];
            keys[i] = 0x0400_0000_0000_0000L | neighbourhood | (long) rnd.nextInt(1 << 16) << 16 | i + 1;
        }
        Set<Long> added = new HashSet<>();
        for (long k : keys) {
            assertEquals(added.add(k), set.add(k), "first add of " + Long.toHexString(k) + " is new, a repeat is not");
        }
        for (long k : keys) {
            assertFalse(set.add(k), "added twice: " + Long.toHexString(k));
            assertTrue(set.contains(k));
        }
        for (int i = 0; i < 10_000; i++) {
            long k = 0x0400_0000_0000_0000L | rnd.nextLong() & 0x03ff_ffff_ffff_ffffL;
            assertEquals(added.contains(k), set.contains(k), Long.toHexString(k));
        }
        assertEquals(added.size(), set.size());
        assertTrue(set.tailSlots() > (long) FingerprintSet.SEGMENTS * FingerprintSet.MIN_TAIL, "no tail was lengthened");
    }

    @Test
    void fingerprintSetRefusesToGrowPastTheBudget() {
        FingerprintSet set = new FingerprintSet(new MemoryBudget(64 * 1024));
        SplittableRandom rnd = new SplittableRandom(3);
        CapacityExceededException e = assertThrows(CapacityExceededException.class, () -> {
            for (int i = 0; i < 100_000; i++) {
                set.add(rnd.nextLong() | 1);
            }
        });
        assertTrue(e.getMessage().contains("memory budget"), e.getMessage());
        assertTrue(set.bytes() <= 64 * 1024, "bytes " + set.bytes());
    }

    @Test
    void parentLogKeepsActionsAbove256() {
        ParentLog log = new ParentLog(budget());
        IdBlock ids = new IdBlock(log);
        int first = ids.record(-1, 0);
        ids.record(first, 999);
        ids.record(first + 1, 255);
        assertEquals(-1, log.parent(first));
        assertEquals(999, log.action(first + 1));
        assertEquals(255, log.action(first + 2));
        assertEquals(first + 1, log.parent(first + 2));
        int second = log.allocateBlock();
        assertEquals(first + ParentLog.BLOCK, second);
    }

    /**
     * The delta-coded log gives back every parent and action it was given, whatever their jumps
     * (roots, backward moves of a depth-first search, jumps across the whole id range, actions
     * past one byte), across block boundaries and with blocks filled by turns, as two workers do.
     */
    @Test
    void parentLogReturnsWhatWasRecorded() {
        ParentLog log = new ParentLog(budget());
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 3 * ParentLog.BLOCK + 17;
        int[] ids = new int[n];
        int[] parents = new int[n];
        int[] actions = new int[n];
        IdBlock a = new IdBlock(log);
        IdBlock b = new IdBlock(log);
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(10);
            parents[i] = kind == 0 ? -1 - rnd.nextInt(5) : kind == 1 ? rnd.nextInt(Integer.MAX_VALUE)
                    : kind == 2 ? Math.max(0, i - rnd.nextInt(200)) : i;
            actions[i] = rnd.nextInt(10) == 0 ? rnd.nextInt(70_000) : rnd.nextInt(100);
            ids[i] = (rnd.nextBoolean() ? a : b).record(parents[i], actions[i]);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(parents[i], log.parent(ids[i]), "parent of entry " + i);
            assertEquals(actions[i], log.action(ids[i]), "action of entry " + i);
        }
    }

    /** A breadth-first log (parents in order, small actions) costs about two bytes a state. */
    @Test
    void parentLogCostsAboutTwoBytesAState() {
        ParentLog log = new ParentLog(budget());
        IdBlock ids = new IdBlock(log);
        int states = 64 * ParentLog.BLOCK;
        for (int i = 0; i < states; i++) {
            ids.record(i / 3, i % 7);
        }
        double perState = (double) log.bytes() / states;
        assertTrue(perState > 2 && perState < 2.05, "bytes per state: " + perState);
    }

    @Test
    void parentLogRefusesToGrowPastTheBudget() {
        ParentLog log = new ParentLog(new MemoryBudget(1 << 20));
        CapacityExceededException e = assertThrows(CapacityExceededException.class, () -> {
            for (int i = 0; i < 1_000; i++) {
                log.allocateBlock();
            }
        });
        assertTrue(e.getMessage().contains("memory budget"));
    }

    @Test
    void recentFingerprintsAnswerAsTheSetDoes() {
        // many repeats (the cache's hits) and fingerprints that share the cache's index bits (its evictions)
        FingerprintSet set = new FingerprintSet(budget());
        RecentFingerprints recent = new RecentFingerprints(set);
        Set<Long> reference = new HashSet<>();
        SplittableRandom rnd = new SplittableRandom(17);
        long[] pool = new long[50_000];
        for (int i = 0; i < pool.length; i++) {
            long low = i % 3 == 0 ? 42 : rnd.nextLong() & (RecentFingerprints.ENTRIES - 1);
            pool[i] = (rnd.nextLong() & ~(long) (RecentFingerprints.ENTRIES - 1)) | low | 1L << 40;
        }
        for (int i = 0; i < 400_000; i++) {
            long fp = pool[rnd.nextInt(i < 200_000 ? pool.length : 1_000)];
            assertEquals(reference.add(fp), recent.add(null, 0, fp), "add #" + i + " of " + Long.toHexString(fp));
        }
        assertEquals(reference.size(), recent.size());
        assertEquals(set.size(), recent.size());
        // a fingerprint added around the cache is seen through it
        long direct = 0x1234_5678_9abc_def1L;
        assertTrue(set.add(direct));
        assertFalse(recent.add(null, 0, direct));
    }
}
