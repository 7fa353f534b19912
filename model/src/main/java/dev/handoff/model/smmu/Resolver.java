package dev.handoff.model.smmu;

import dev.handoff.model.constraints.ConstraintAdapter;
import dev.handoff.model.constraints.Coverage;
import dev.handoff.model.constraints.MappedRange;
import dev.handoff.model.constraints.MatchClass;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Transaction resolution as a pure function of the hardware state (BRIEF 2.4 for v2, 2.7 for v3).
 *
 * <p>A transaction first takes a {@link Route} (bypass, abort, or a walk of a table), decided
 * by sCR0, the stream map and the context bank; the route then decides each page. Where a walk
 * reads rewritten table pages every outcome is possible.
 *
 * <p>Two evaluations of the same rules: {@link #fetch} decides a whole display fetch (every
 * live stream ID × every page) through the {@link ConstraintAdapter}; {@link #naive} decides a
 * single (stream ID, page) by direct computation. They must agree; a test holds them to it.
 */
public final class Resolver {
    private Resolver() {
    }

    /** How a walk through a table that does not hold the display's mapping is described. */
    public static final String GARBAGE = ": its pages do not hold this display's mapping";

    /** Where the SMMU sends a transaction before looking at its address. */
    public sealed interface Route {
        /** Untranslated: PA = IOVA. */
        record Bypass(String why) implements Route {
        }

        /**
         * Aborted before any walk, recorded as {@code report}: a global fault (sGFSR: USF, SMCF,
         * ICF, or an S2CR of type FAULT), which firmware may escalate; a context-level fault of
         * {@code bank} (-1: none); or an SMMUv3 abort, which records nothing.
         */
        record Abort(String why, FaultReport report, int bank) implements Route {
            Abort(String why, FaultReport report) {
                this(why, report, -1);
            }

            /** Whether the abort is a global fault, which firmware may escalate. */
            public boolean global() {
                return report == FaultReport.GLOBAL;
            }
        }

        /**
         * Translated through a table; a missing leaf stalls when {@code stall} (SCTLR.CFCFG=1), else
         * faults, recorded as {@code report} (a v2 bank's FSR, {@code bank}; a v3 event).
         */
        record Walk(int table, boolean stall, FaultReport report, int bank, String why) implements Route {
        }
    }

    /**
     * A display fetch: the live stream IDs ({@code id | mask << 16} each), the IOVA window, the
     * framebuffer's PA pages, and whether a global fault resets the machine ({@code fw.global-fault}).
     */
    public record Window(List<Integer> streams, long iovaPage, long pages, long fbLoPage, long fbHiPage,
                         boolean globalFaultFatal) {
        public Window {
            streams = List.copyOf(streams);
        }
    }

    /**
     * The routes a v2 transaction matching exactly the SMR indices {@code matching} can take.
     * Follows BRIEF 2.4 steps 2-7 in order.
     */
    public static List<Route> routesV2(SmmuV2 hw, List<Integer> matching) {
        if ((hw.scr0() & Registers.SCR0_CLIENTPD) != 0) {
            return List.of(new Route.Bypass("sCR0.CLIENTPD=1"));
        }
        if (matching.isEmpty()) {
            return (hw.scr0() & Registers.SCR0_USFCFG) != 0
                    ? List.of(new Route.Abort("no SMR matches and sCR0.USFCFG=1 (unidentified stream fault)", FaultReport.GLOBAL))
                    : List.of(new Route.Bypass("no SMR matches and sCR0.USFCFG=0"));
        }
        if (matching.size() > 1) {
            // IHI 0062D.c §2.1.1: "If a search of the Stream mapping table yields multiple matches,
            // SMMU_sCR0.SMCFCFG determines whether the transaction bypasses subsequent SMMU processing
            // or generates a Stream match conflict fault."
            return (hw.scr0() & Registers.SCR0_SMCFCFG) != 0
                    ? List.of(new Route.Abort("stream match conflict on SMR" + matching + " with sCR0.SMCFCFG=1", FaultReport.GLOBAL))
                    : List.of(new Route.Bypass("stream match conflict on SMR" + matching + " with sCR0.SMCFCFG=0: bypasses"));
        }
        List<Route> out = new ArrayList<>(matching.size());
        for (int n : matching) {
            String via = "SMR[" + n + "] -> S2CR[" + n + "]";
            int s2cr = hw.s2cr()[n];
            switch (Registers.s2crType(s2cr)) {
                case Registers.S2CR_TYPE_BYPASS -> out.add(new Route.Bypass(via + " BYPASS"));
                case Registers.S2CR_TYPE_FAULT -> out.add(new Route.Abort(via + " FAULT", FaultReport.GLOBAL));
                case Registers.S2CR_TYPE_TRANS -> out.add(bank(hw, Registers.s2crCbndx(s2cr), via + " TRANS"));
                default -> out.add(new Route.Abort(via + " reserved TYPE 3 [UNVERIFIED outcome]", FaultReport.GLOBAL));
            }
        }
        return out;
    }

    private static Route bank(SmmuV2 hw, int cb, String via) {
        if (cb >= hw.banks()) {
            return new Route.Abort(via + " -> CB[" + cb + "] beyond NUMCB (invalid context fault)", FaultReport.GLOBAL);
        }
        String at = via + " -> CB[" + cb + "]";
        if (Registers.cbarType(hw.cbar()[cb]) == Registers.CBAR_TYPE_S1_TRANS_S2_FAULT) {
            return new Route.Abort(at + " CBAR.TYPE=S1_TRANS_S2_FAULT", FaultReport.CONTEXT, cb);
        }
        int sctlr = hw.sctlr()[cb];
        if ((sctlr & Registers.SCTLR_M) == 0) {
            return new Route.Bypass(at + " SCTLR.M=0");
        }
        return new Route.Walk(hw.ttbr()[cb], (sctlr & Registers.SCTLR_CFCFG) != 0, FaultReport.CONTEXT, cb,
                at + " SCTLR.M=1 walk " + Tables.name(hw.ttbr()[cb]));
    }

    /** The routes of a v3 transaction of client {@code client} (0: the display). */
    public static List<Route> routesV3(SmmuV3 hw, int client) {
        if (!hw.smmuen()) {
            return hw.gbpaAbort() ? List.of(new Route.Abort("CR0.SMMUEN=0 and GBPA.ABORT=1", FaultReport.NONE))
                    : List.of(new Route.Bypass("CR0.SMMUEN=0 and GBPA.ABORT=0"));
        }
        int ste = hw.ste(client);
        return switch (SmmuV3.steConfig(ste)) {
            case SmmuV3.STE_BYPASS -> List.of(new Route.Bypass("STE.Config=bypass"));
            case SmmuV3.STE_S1_TRANS -> List.of(new Route.Walk(SmmuV3.steTable(ste), false, FaultReport.EVENT, -1,
                    "STE.Config=S1 translate " + Tables.name(SmmuV3.steTable(ste))));
            default -> List.of(new Route.Abort("STE.Config=abort", FaultReport.NONE));
        };
    }

    /**
     * The routes of a v3 transaction whose stream ID no master Linux knows uses: GBPA while
     * SMMUEN=0; once enabled, Linux's stream table gives every unused stream ID an abort STE
     * ({@code arm_smmu_init_bypass_stes} with bypass disabled, the only v3 choice since v6.10).
     */
    public static List<Route> routesV3Unknown(SmmuV3 hw) {
        if (!hw.smmuen()) {
            return hw.gbpaAbort() ? List.of(new Route.Abort("CR0.SMMUEN=0 and GBPA.ABORT=1", FaultReport.NONE))
                    : List.of(new Route.Bypass("CR0.SMMUEN=0 and GBPA.ABORT=0"));
        }
        return List.of(new Route.Abort("STE.Config=abort (no master of this stream ID)", FaultReport.NONE));
    }

    /**
     * Decides a whole v2 fetch with constraints: for each failure outcome that some live
     * stream ID × page (× outcome of a walk through rewritten tables) can produce, one witness.
     */
    public static Map<FetchOutcome, Witness> fetch(SmmuV2 hw, Window w, IntFunction<TableView> tables,
                                                   ConstraintAdapter c) {
        Map<FetchOutcome, Witness> out = new EnumMap<>(FetchOutcome.class);
        if ((hw.scr0() & Registers.SCR0_CLIENTPD) != 0) {
            int sid = c.matchClasses(w.streams(), new int[0]).get(0).witness();
            pages(new Route.Bypass("sCR0.CLIENTPD=1"), sid, w, tables, c, out);
            return out;
        }
        for (MatchClass mc : c.matchClasses(w.streams(), hw.smr())) {
            for (Route r : routesV2(hw, mc.matching())) {
                pages(r, mc.witness(), w, tables, c, out);
            }
        }
        return out;
    }

    /** Decides a whole fetch that takes one given route for every stream ID (a path around the SMMU). */
    public static Map<FetchOutcome, Witness> fetch(Route route, Window w, ConstraintAdapter c) {
        Map<FetchOutcome, Witness> out = new EnumMap<>(FetchOutcome.class);
        int sid = c.matchClasses(w.streams(), new int[0]).get(0).witness();
        pages(route, sid, w, id -> TableView.EMPTY, c, out);
        return out;
    }

    /** The failures one page meets on a given route. */
    public static EnumSet<FetchOutcome> naive(Route route, long iovaPage, Window w, IntFunction<TableView> tables) {
        return naivePage(route, iovaPage, w, tables);
    }

    /** Decides a whole v3 fetch; the display's stream IDs share one STE. */
    public static Map<FetchOutcome, Witness> fetch(SmmuV3 hw, Window w, IntFunction<TableView> tables,
                                                   ConstraintAdapter c) {
        return fetch(hw, 0, w, tables, c);
    }

    /** Decides a whole v3 fetch of client {@code client}'s streams, which share its STE. */
    public static Map<FetchOutcome, Witness> fetch(SmmuV3 hw, int client, Window w, IntFunction<TableView> tables,
                                                   ConstraintAdapter c) {
        Map<FetchOutcome, Witness> out = new EnumMap<>(FetchOutcome.class);
        int sid = c.matchClasses(w.streams(), new int[0]).get(0).witness();
        for (Route r : routesV3(hw, client)) {
            pages(r, sid, w, tables, c, out);
        }
        return out;
    }

    private static void pages(Route r, int sid, Window w, IntFunction<TableView> tables, ConstraintAdapter c,
                              Map<FetchOutcome, Witness> out) {
        switch (r) {
            case Route.Abort a -> {
                FetchOutcome o = abortOutcome(a, w);
                out.putIfAbsent(o, new Witness(o, sid, w.iovaPage(), -1, a.report(), a.bank(), a.why() + (o == FetchOutcome.FATAL
                        ? ": a global fault, which this firmware answers with a reset" : "")));
            }
            case Route.Bypass b -> {
                Coverage cov = c.coverage(w.iovaPage(), w.pages(), List.of(new MappedRange(w.iovaPage(), w.iovaPage(), w.pages())),
                        w.fbLoPage(), w.fbHiPage());
                if (cov.outsidePage() >= 0) {
                    long iova = w.iovaPage() + cov.outsidePage();
                    out.putIfAbsent(FetchOutcome.WRONG_PAGE, new Witness(FetchOutcome.WRONG_PAGE, sid, iova, iova, FaultReport.NONE, -1,
                            b.why() + ": PA = IOVA, outside the framebuffer"));
                }
            }
            case Route.Walk wk -> {
                TableView t = tables.apply(wk.table());
                if (t.garbage()) {
                    String why = wk.why() + GARBAGE;
                    // a walk of rewritten pages: a translation fault the bank records, a walk that
                    // never completes, or a leaf that lands anywhere (neither records anything)
                    out.putIfAbsent(FetchOutcome.FAULT, new Witness(FetchOutcome.FAULT, sid, w.iovaPage(), -1, wk.report(), wk.bank(), why));
                    out.putIfAbsent(FetchOutcome.HANG, new Witness(FetchOutcome.HANG, sid, w.iovaPage(), -1, FaultReport.NONE, wk.bank(), why));
                    out.putIfAbsent(FetchOutcome.WRONG_PAGE, new Witness(FetchOutcome.WRONG_PAGE, sid, w.iovaPage(), -1,
                            FaultReport.NONE, wk.bank(), why));
                    return;
                }
                Coverage cov = c.coverage(w.iovaPage(), w.pages(), t.ranges(), w.fbLoPage(), w.fbHiPage());
                if (cov.unmappedPage() >= 0) {
                    FetchOutcome o = wk.stall() ? FetchOutcome.HANG : FetchOutcome.FAULT;
                    // a stalled fault is recorded in FSR all the same (SS set); the transaction waits
                    out.putIfAbsent(o, new Witness(o, sid, w.iovaPage() + cov.unmappedPage(), -1, wk.report(), wk.bank(),
                            wk.why() + ": no leaf (context fault" + (wk.stall() ? ", stalled)" : ")")));
                }
                if (cov.outsidePage() >= 0) {
                    out.putIfAbsent(FetchOutcome.WRONG_PAGE, new Witness(FetchOutcome.WRONG_PAGE, sid,
                            w.iovaPage() + cov.outsidePage(), cov.outsidePa(), FaultReport.NONE, wk.bank(), wk.why() + ": leaf outside the framebuffer"));
                }
            }
        }
    }

    /** The failures one (stream ID, IOVA page) can meet on v2, by direct computation. */
    public static EnumSet<FetchOutcome> naive(SmmuV2 hw, int sid, long iovaPage, Window w, IntFunction<TableView> tables) {
        List<Integer> matching = new ArrayList<>();
        if ((hw.scr0() & Registers.SCR0_CLIENTPD) == 0) {
            for (int n = 0; n < hw.groups(); n++) {
                if (Registers.smrMatches(hw.smr()[n], sid)) {
                    matching.add(n);
                }
            }
        }
        EnumSet<FetchOutcome> out = EnumSet.noneOf(FetchOutcome.class);
        for (Route r : routesV2(hw, matching)) {
            out.addAll(naivePage(r, iovaPage, w, tables));
        }
        return out;
    }

    /** The failures one (stream ID, IOVA page) of the display can meet on v3. */
    public static EnumSet<FetchOutcome> naive(SmmuV3 hw, long iovaPage, Window w, IntFunction<TableView> tables) {
        return naive(hw, 0, iovaPage, w, tables);
    }

    /** The failures one page of client {@code client}'s fetch meets on v3. */
    public static EnumSet<FetchOutcome> naive(SmmuV3 hw, int client, long iovaPage, Window w, IntFunction<TableView> tables) {
        EnumSet<FetchOutcome> out = EnumSet.noneOf(FetchOutcome.class);
        for (Route r : routesV3(hw, client)) {
            out.addAll(naivePage(r, iovaPage, w, tables));
        }
        return out;
    }

    /**
     * One route of one (stream ID, IOVA page): why the SMMU takes it, its kind ({@code bypass}:
     * untranslated, {@code walk}: translated, {@code abort}), the failures a display fetch
     * meets on it, and the physical page it reaches (-1: none, or unknown for a walk of rewritten
     * table pages).
     */
    public record PageRoute(String why, String kind, EnumSet<FetchOutcome> outcomes, long paPage) {
    }

    /** Each route's outcome for one IOVA page, by the same rules as {@link #naive}. */
    public static List<PageRoute> pages(List<Route> routes, long iovaPage, Window w, IntFunction<TableView> tables) {
        List<PageRoute> out = new ArrayList<>();
        for (Route r : routes) {
            EnumSet<FetchOutcome> o = naivePage(r, iovaPage, w, tables);
            out.add(switch (r) {
                case Route.Abort a -> new PageRoute(a.why(), "abort", o, -1);
                case Route.Bypass b -> new PageRoute(b.why(), "bypass", o, iovaPage);
                case Route.Walk wk -> {
                    TableView t = tables.apply(wk.table());
                    yield new PageRoute(t.garbage() ? wk.why() + GARBAGE : wk.why(), "walk", o, t.garbage() ? -1 : leaf(t, iovaPage));
                }
            });
        }
        return out;
    }

    /** An abort's severity: a global fault is fatal where firmware resets on it, else a reported fault. */
    static FetchOutcome abortOutcome(Route.Abort a, Window w) {
        return a.global() && w.globalFaultFatal() ? FetchOutcome.FATAL : FetchOutcome.FAULT;
    }

    private static EnumSet<FetchOutcome> naivePage(Route r, long iova, Window w, IntFunction<TableView> tables) {
        return switch (r) {
            case Route.Abort a -> EnumSet.of(abortOutcome(a, w));
            case Route.Bypass b -> iova >= w.fbLoPage() && iova < w.fbHiPage()
                    ? EnumSet.noneOf(FetchOutcome.class) : EnumSet.of(FetchOutcome.WRONG_PAGE);
            case Route.Walk wk -> {
                TableView t = tables.apply(wk.table());
                if (t.garbage()) {
                    yield EnumSet.of(FetchOutcome.FAULT, FetchOutcome.HANG, FetchOutcome.WRONG_PAGE);
                }
                long pa = leaf(t, iova);
                if (pa < 0) {
                    yield EnumSet.of(wk.stall() ? FetchOutcome.HANG : FetchOutcome.FAULT);
                }
                yield pa >= w.fbLoPage() && pa < w.fbHiPage() ? EnumSet.noneOf(FetchOutcome.class) : EnumSet.of(FetchOutcome.WRONG_PAGE);
            }
        };
    }

    /** The physical page a table's leaf gives IOVA page {@code iova} (its first range holding it), or -1 for none. */
    private static long leaf(TableView t, long iova) {
        for (MappedRange m : t.ranges()) {
            if (iova >= m.iovaPage() && iova < m.iovaEnd()) {
                return m.paPage() + (iova - m.iovaPage());
            }
        }
        return -1;
    }

    /** Every stream ID the entries match (for the naive enumeration), ascending, without duplicates. */
    public static List<Integer> enumerate(List<Integer> entries) {
        java.util.TreeSet<Integer> ids = new java.util.TreeSet<>();
        for (int e : entries) {
            int id = e & 0x7fff;
            int mask = e >>> 16 & 0x7fff;
            for (int sub = mask; ; sub = (sub - 1) & mask) {
                ids.add((id & ~mask) | sub);
                if (sub == 0) {
                    break;
                }
            }
        }
        return List.copyOf(ids);
    }
}
