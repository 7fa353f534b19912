package dev.handoff.model.constraints;

import org.chocosolver.solver.Model;
import org.chocosolver.solver.Solver;
import org.chocosolver.solver.constraints.Constraint;
import org.chocosolver.solver.variables.BoolVar;
import org.chocosolver.solver.variables.IntVar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one place that speaks to choco-solver. Two questions are decided with constraints instead
 * of by enumerating stream IDs or pages, so that a 36 MiB framebuffer or a mask that matches
 * 2^k stream IDs costs no more than one page and one ID:
 * <ul>
 * <li>{@link #matchClasses}: partition a stream-ID set, given as (id, mask) entries, by which
 *     valid SMRs match each ID (the SMR id/mask test of BRIEF 2.2 over 15 ID bits);</li>
 * <li>{@link #coverage}: for a window of IOVA pages and a table's mapped ranges, find a page
 *     that is unmapped and a page mapped outside a target PA range.</li>
 * </ul>
 * Results are cached by their inputs (the state slice they depend on), so a run that meets the
 * same SMR table or domain again pays a hash lookup. Thread-safe. {@code FetchBenchmark} (module
 * checker) measures a C630 fetch of 4 stream IDs × 2,026 pages: 0.08 µs from the cache, 37 µs
 * solved cold, 81 µs by enumerating every (stream ID, page).
 *
 * <p>Model and run are kept apart as choco intends: each question builds a small {@code Model},
 * solves it, and keeps nothing.
 */
public final class ConstraintAdapter {
    private static final int ID_BITS = 15;
    /** Entries a cache holds before it is emptied (a bound on memory, far above any real run). */
    private static final int CACHE_LIMIT = 1 << 17;

    /**
     * Answers by question. The answers are pure functions of the question, so one set of caches
     * can serve every model of a process: a sweep or a board meets the same SMR tables and
     * domains in many cells, and a question solved for one cell is a lookup for the next.
     */
    public static final class Caches {
        private final Map<MatchKey, List<MatchClass>> match = new ConcurrentHashMap<>();
        private final Map<CoverageKey, Coverage> coverage = new ConcurrentHashMap<>();
    }

    private static final Caches PROCESS = new Caches();

    private final Caches caches;
    private final LongAdder queries = new LongAdder();
    private final LongAdder solves = new LongAdder();

    /** An adapter with caches of its own (tests, benchmarks of cold solving). */
    public ConstraintAdapter() {
        this(new Caches());
    }

    private ConstraintAdapter(Caches caches) {
        this.caches = caches;
    }

    /**
     * An adapter that shares the process-wide caches; its counters are its own, so
     * {@link #solves} counts the questions this model was first to ask.
     */
    public static ConstraintAdapter sharingProcessCaches() {
        return new ConstraintAdapter(PROCESS);
    }

    private record MatchKey(List<Integer> entries, List<Integer> smrs) {
    }

    private record CoverageKey(long start, long pages, List<MappedRange> ranges, long targetLo, long targetHi) {
    }

    /** Questions asked, including cache hits. */
    public long queries() {
        return queries.sum();
    }

    /** Questions not answered from the cache (each answered by listing IDs or by the solver). */
    public long solves() {
        return solves.sum();
    }

    /**
     * Partitions the stream IDs matched by {@code entries} (each {@code id | mask << 16}) by the
     * set of SMR registers in {@code smrRegs} that match them; registers without VALID match
     * nothing.
     *
     * @return one class per distinct match set, each with a witness ID; classes are ordered by
     *         their smallest witness search, deterministically
     */
    public List<MatchClass> matchClasses(List<Integer> entries, int[] smrRegs) {
        queries.increment();
        List<Integer> smrs = new ArrayList<>(smrRegs.length);
        for (int r : smrRegs) {
            smrs.add(r);
        }
        if (caches.match.size() > CACHE_LIMIT) {
            caches.match.clear();
        }
        return caches.match.computeIfAbsent(new MatchKey(List.copyOf(entries), smrs), k -> {
            solves.increment();
            List<MatchClass> listed = enumerateMatchClasses(k.entries(), smrRegs, ENUMERATE_LIMIT);
            if (listed != null) {
                return listed;
            }
            return solveMatchClasses(k.entries(), smrRegs.clone());
        });
    }

    /**
     * Sets of at most this many stream IDs are partitioned by listing them, the rest by the
     * solver. Listing a few hundred IDs against 60 SMRs takes microseconds; the solver builds one
     * model per class (a board's 27 masters make dozens of classes) and takes milliseconds, which
     * was most of a Qualcomm catalogue cell's time. Both give the same classes, witnesses and
     * order ({@code MatchClassesTest} compares them).
     */
    static final int ENUMERATE_LIMIT = 1024;

    /**
     * {@link #matchClasses} by listing: every ID of the entries, in the order the solver's search
     * meets them (it fixes ID bit 0 first, then bit 1, ..., each to 0 before 1: ascending
     * bit-reversed value); each ID whose match vector is new starts a class and is its witness.
     * That is exactly the sequence of first solutions the solver returns, each excluding the
     * vectors before it. Null when the entries name more than {@code limit} IDs.
     */
    static List<MatchClass> enumerateMatchClasses(List<Integer> entries, int[] smrRegs, int limit) {
        java.util.BitSet ids = new java.util.BitSet(1 << ID_BITS);
        int all = (1 << ID_BITS) - 1;
        for (int e : entries) {
            int mask = e >>> 16 & all;
            if (Integer.bitCount(mask) > 20 || 1 << Integer.bitCount(mask) > limit) {
                return null;
            }
            int base = e & all & ~mask;
            // every submask of mask, from mask down to 0
            for (int sub = mask; ; sub = (sub - 1) & mask) {
                ids.set(base | sub);
                if (sub == 0) {
                    break;
                }
            }
            if (ids.cardinality() > limit) {
                return null;
            }
        }
        int[] order = ids.stream().map(id -> Integer.reverse(id) >>> (32 - ID_BITS)).sorted()
                .map(r -> Integer.reverse(r) >>> (32 - ID_BITS)).toArray();
        List<MatchClass> out = new ArrayList<>();
        java.util.Set<java.util.BitSet> seen = new java.util.HashSet<>();
        for (int id : order) {
            java.util.BitSet vector = new java.util.BitSet(smrRegs.length);
            for (int n = 0; n < smrRegs.length; n++) {
                int reg = smrRegs[n];
                if (reg < 0 && ((id ^ reg) & ~(reg >>> 16) & all) == 0) {
                    vector.set(n);
                }
            }
            if (seen.add(vector)) {
                out.add(new MatchClass(vector.stream().boxed().toList(), id));
                if (smrRegs.length == 0) {
                    break;
                }
            }
        }
        return out;
    }

    static List<MatchClass> solveMatchClasses(List<Integer> entries, int[] smrRegs) {
        List<boolean[]> found = new ArrayList<>();
        List<MatchClass> out = new ArrayList<>();
        while (true) {
            Model m = new Model("stream-match");
            BoolVar[] bit = m.boolVarArray("sid", ID_BITS);
            BoolVar[] in = new BoolVar[entries.size()];
            for (int e = 0; e < entries.size(); e++) {
                in[e] = conjunction(m, bit, entries.get(e) & 0x7fff, entries.get(e) >>> 16 & 0x7fff);
            }
            m.addClausesBoolOrArrayEqualTrue(in);
            BoolVar[] match = new BoolVar[smrRegs.length];
            for (int n = 0; n < smrRegs.length; n++) {
                int reg = smrRegs[n];
                match[n] = reg < 0 ? conjunction(m, bit, reg & 0x7fff, reg >>> 16 & 0x7fff) : m.boolVar(false);
            }
            for (boolean[] seen : found) {
                BoolVar[] differ = new BoolVar[match.length];
                for (int n = 0; n < match.length; n++) {
                    differ[n] = seen[n] ? match[n].not() : match[n];
                }
                m.addClausesBoolOrArrayEqualTrue(differ);
            }
            Solver s = m.getSolver();
            s.setSearch(org.chocosolver.solver.search.strategy.Search.inputOrderLBSearch(bit));
            if (!s.solve()) {
                return out;
            }
            boolean[] vector = new boolean[match.length];
            List<Integer> matching = new ArrayList<>();
            for (int n = 0; n < match.length; n++) {
                vector[n] = match[n].getValue() == 1;
                if (vector[n]) {
                    matching.add(n);
                }
            }
            int sid = 0;
            for (int b = 0; b < ID_BITS; b++) {
                sid |= bit[b].getValue() << b;
            }
            found.add(vector);
            out.add(new MatchClass(matching, sid));
            if (match.length == 0) {
                return out;
            }
        }
    }

    /** A variable true exactly when the ID bits equal {@code id} wherever {@code mask} is clear. */
    private static BoolVar conjunction(Model m, BoolVar[] bit, int id, int mask) {
        List<BoolVar> lits = new ArrayList<>();
        for (int b = 0; b < ID_BITS; b++) {
            if ((mask >>> b & 1) == 0) {
                lits.add((id >>> b & 1) == 1 ? bit[b] : bit[b].not());
            }
        }
        if (lits.isEmpty()) {
            return m.boolVar(true);
        }
        return m.and(lits.toArray(new BoolVar[0])).reify();
    }

    /**
     * For the window of {@code pages} IOVA pages from {@code start}, finds a page no range maps
     * and a page mapped outside PA pages [{@code targetLo}, {@code targetHi}). Ranges may
     * overlap (the first one listed wins, like a lookup that stops at the first hit).
     */
    public Coverage coverage(long start, long pages, List<MappedRange> ranges, long targetLo, long targetHi) {
        queries.increment();
        if (caches.coverage.size() > CACHE_LIMIT) {
            caches.coverage.clear();
        }
        return caches.coverage.computeIfAbsent(new CoverageKey(start, pages, List.copyOf(ranges), targetLo, targetHi), k -> {
            solves.increment();
            return solveCoverage(k);
        });
    }

    private static Coverage solveCoverage(CoverageKey k) {
        long unmapped = -1;
        {
            Model m = new Model("unmapped");
            IntVar p = m.intVar("page", 0, toInt(k.pages() - 1), true);
            for (MappedRange r : k.ranges()) {
                long a = r.iovaPage() - k.start();
                long b = r.iovaEnd() - k.start();
                if (b <= 0 || a >= k.pages()) {
                    continue;
                }
                m.or(m.arithm(p, "<", clamp(a)), m.arithm(p, ">=", clamp(b))).post();
            }
            if (m.getSolver().solve()) {
                unmapped = p.getValue();
            }
        }
        long outside = -1;
        long outsidePa = -1;
        {
            Model m = new Model("outside");
            IntVar p = m.intVar("page", 0, toInt(k.pages() - 1), true);
            List<Constraint> hits = new ArrayList<>();
            List<MappedRange> earlier = new ArrayList<>();
            for (MappedRange r : k.ranges()) {
                long a = r.iovaPage() - k.start();
                long b = r.iovaEnd() - k.start();
                if (b <= 0 || a >= k.pages()) {
                    earlier.add(r);
                    continue;
                }
                long shift = r.paPage() - r.iovaPage() + k.start();
                List<Constraint> parts = new ArrayList<>();
                parts.add(m.arithm(p, ">=", clamp(a)));
                parts.add(m.arithm(p, "<", clamp(b)));
                parts.add(m.or(m.arithm(p, "<", clamp(k.targetLo() - shift)),
                        m.arithm(p, ">=", clamp(k.targetHi() - shift))));
                for (MappedRange e : earlier) {
                    long ea = e.iovaPage() - k.start();
                    long eb = e.iovaEnd() - k.start();
                    parts.add(m.or(m.arithm(p, "<", clamp(ea)), m.arithm(p, ">=", clamp(eb))));
                }
                hits.add(m.and(parts.toArray(new Constraint[0])));
                earlier.add(r);
            }
            if (!hits.isEmpty()) {
                m.or(hits.toArray(new Constraint[0])).post();
                if (m.getSolver().solve()) {
                    outside = p.getValue();
                    for (MappedRange r : k.ranges()) {
                        long iova = k.start() + outside;
                        if (iova >= r.iovaPage() && iova < r.iovaEnd()) {
                            outsidePa = r.paPage() + (iova - r.iovaPage());
                            break;
                        }
                    }
                }
            }
        }
        return new Coverage(unmapped, outside, outsidePa);
    }

    private static int clamp(long v) {
        return (int) Math.max(Integer.MIN_VALUE / 2, Math.min(Integer.MAX_VALUE / 2, v));
    }

    private static int toInt(long v) {
        if (v > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("window of " + v + " pages is too large");
        }
        return (int) v;
    }
}
