package dev.handoff.model.smmu;

import dev.handoff.model.constraints.ConstraintAdapter;
import dev.handoff.model.constraints.MappedRange;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transaction resolution (BRIEF 2.4) for every S2CR type and sCR0 setting, and pruned = naive. */
class ResolverTest {
    private static final int SID = 0x880;
    private static final long FB = 0x9d400;
    private static final Resolver.Window IDENTITY_WINDOW = new Resolver.Window(List.of(SID | 0x8 << 16), FB, 8, FB, FB + 8, false);

    private static SmmuV2 hw(int scr0) {
        return SmmuV2.reset(4, 4).withScr0(scr0);
    }

    private static SmmuV2 matched(int scr0, int s2cr) {
        return hw(scr0).withSmr(0, Registers.smr(SID, 0x8, true)).withS2cr(0, s2cr);
    }

    /**
     * Severity: an unidentified stream and an S2CR of type FAULT are global faults (sGFSR), fatal
     * only where firmware resets on them (fw.global-fault=reset); a context fault with CFCFG=0 is
     * a reported fault either way, and with CFCFG=1 a hang.
     */
    @Test
    void globalFaultsAreFatalOnlyWhereFirmwareResetsOnThem() {
        ConstraintAdapter c = new ConstraintAdapter();
        Resolver.Window fatal = new Resolver.Window(IDENTITY_WINDOW.streams(), FB, 8, FB, FB + 8, true);
        IntFunction<TableView> none = id -> TableView.EMPTY;
        assertEquals(EnumSet.of(FetchOutcome.FATAL), Resolver.fetch(hw(Registers.SCR0_USFCFG), fatal, none, c).keySet());
        assertEquals(EnumSet.of(FetchOutcome.FAULT), Resolver.fetch(hw(Registers.SCR0_USFCFG), IDENTITY_WINDOW, none, c).keySet());
        SmmuV2 s2crFault = matched(0, Registers.s2cr(Registers.S2CR_TYPE_FAULT, 0, 0));
        assertEquals(EnumSet.of(FetchOutcome.FATAL), Resolver.fetch(s2crFault, fatal, none, c).keySet());
        SmmuV2 emptyTable = matched(0, Registers.s2cr(Registers.S2CR_TYPE_TRANS, 1, 0))
                .withBank(1, Registers.cbar(1), Registers.SCTLR_M, Tables.DISPLAY_OWN);
        assertEquals(EnumSet.of(FetchOutcome.FAULT), Resolver.fetch(emptyTable, fatal, none, c).keySet(),
                "a context fault with CFCFG=0 terminates the transaction and is logged");
        SmmuV2 stalling = emptyTable.withSctlr(1, Registers.SCTLR_M | Registers.SCTLR_CFCFG);
        assertEquals(EnumSet.of(FetchOutcome.HANG), Resolver.fetch(stalling, fatal, none, c).keySet());
    }

    @Test
    void clientpdBypassesEverything() {
        List<Resolver.Route> r = Resolver.routesV2(matched(Registers.SCR0_CLIENTPD, Registers.s2cr(2, 0, 0)), List.of(0));
        assertInstanceOf(Resolver.Route.Bypass.class, r.get(0));
    }

    @Test
    void unmatchedStreamFollowsUsfcfg() {
        assertInstanceOf(Resolver.Route.Abort.class, Resolver.routesV2(hw(Registers.SCR0_USFCFG), List.of()).get(0));
        assertInstanceOf(Resolver.Route.Bypass.class, Resolver.routesV2(hw(0), List.of()).get(0));
    }

    @Test
    void everyS2crType() {
        assertInstanceOf(Resolver.Route.Bypass.class,
                Resolver.routesV2(matched(0, Registers.s2cr(Registers.S2CR_TYPE_BYPASS, 0, 0)), List.of(0)).get(0));
        assertInstanceOf(Resolver.Route.Abort.class,
                Resolver.routesV2(matched(0, Registers.s2cr(Registers.S2CR_TYPE_FAULT, 0, 0)), List.of(0)).get(0));
        assertInstanceOf(Resolver.Route.Abort.class,
                Resolver.routesV2(matched(0, Registers.s2cr(3, 0, 0)), List.of(0)).get(0), "reserved type");
        SmmuV2 trans = matched(0, Registers.s2cr(Registers.S2CR_TYPE_TRANS, 1, 0));
        assertInstanceOf(Resolver.Route.Bypass.class, Resolver.routesV2(trans, List.of(0)).get(0), "bank with SCTLR.M=0");
        SmmuV2 walking = trans.withBank(1, Registers.cbar(1), Registers.SCTLR_M, Tables.FIRMWARE);
        Resolver.Route.Walk w = assertInstanceOf(Resolver.Route.Walk.class, Resolver.routesV2(walking, List.of(0)).get(0));
        assertEquals(Tables.FIRMWARE, w.table());
        SmmuV2 beyond = matched(0, Registers.s2cr(Registers.S2CR_TYPE_TRANS, 9, 0));
        assertInstanceOf(Resolver.Route.Abort.class, Resolver.routesV2(beyond, List.of(0)).get(0), "cbndx >= NUMCB");
        SmmuV2 s2fault = trans.withBank(1, Registers.cbar(Registers.CBAR_TYPE_S1_TRANS_S2_FAULT), Registers.SCTLR_M, 0);
        assertInstanceOf(Resolver.Route.Abort.class, Resolver.routesV2(s2fault, List.of(0)).get(0));
    }

    /**
     * IHI 0062D.c §2.1.1: several matching SMRs raise a stream match conflict fault (a global
     * fault) with sCR0.SMCFCFG=1 and bypass the SMMU with SMCFCFG=0, whatever the S2CRs say.
     */
    @Test
    void streamMatchConflictFaultsOrBypasses() {
        SmmuV2 two = hw(0).withSmr(0, Registers.smr(SID, 0x8, true)).withSmr(1, Registers.smr(SID, 0, true))
                .withS2cr(0, Registers.s2cr(Registers.S2CR_TYPE_FAULT, 0, 0))
                .withS2cr(1, Registers.s2cr(Registers.S2CR_TYPE_FAULT, 0, 0));
        List<Resolver.Route> bypassing = Resolver.routesV2(two, List.of(0, 1));
        assertEquals(1, bypassing.size());
        assertInstanceOf(Resolver.Route.Bypass.class, bypassing.get(0), "SMCFCFG=0: neither S2CR applies");
        List<Resolver.Route> faulting = Resolver.routesV2(two.withScr0(Registers.SCR0_SMCFCFG), List.of(0, 1));
        assertEquals(1, faulting.size());
        assertTrue(assertInstanceOf(Resolver.Route.Abort.class, faulting.get(0)).global(), "SMCF is a global fault");
    }

    @Test
    void wholeFetchOutcomes() {
        ConstraintAdapter c = new ConstraintAdapter();
        IntFunction<TableView> none = id -> TableView.EMPTY;
        SmmuV2 walking = matched(0, Registers.s2cr(0, 1, 0)).withBank(1, Registers.cbar(1), Registers.SCTLR_M, Tables.FIRMWARE);
        Map<FetchOutcome, Witness> empty = Resolver.fetch(walking, IDENTITY_WINDOW, none, c);
        assertEquals(EnumSet.of(FetchOutcome.FAULT), empty.keySet(), "empty table: context fault");
        Map<FetchOutcome, Witness> stall = Resolver.fetch(
                walking.withSctlr(1, Registers.SCTLR_M | Registers.SCTLR_CFCFG), IDENTITY_WINDOW, none, c);
        assertEquals(EnumSet.of(FetchOutcome.HANG), stall.keySet(), "CFCFG=1 stalls");
        IntFunction<TableView> garbage = id -> new TableView(List.of(), true);
        assertEquals(EnumSet.of(FetchOutcome.FAULT, FetchOutcome.HANG, FetchOutcome.WRONG_PAGE),
                Resolver.fetch(walking, IDENTITY_WINDOW, garbage, c).keySet(), "a walk of rewritten pages: anything but a global fault");
        IntFunction<TableView> half = id -> new TableView(List.of(new MappedRange(FB, FB, 4)), false);
        Witness w = Resolver.fetch(walking, IDENTITY_WINDOW, half, c).get(FetchOutcome.FAULT);
        assertEquals(FB + 4, w.iovaPage(), "the first unmapped page is the witness");
        Resolver.Window translated = new Resolver.Window(IDENTITY_WINDOW.streams(), 0x1000, 8, FB, FB + 8, false);
        Map<FetchOutcome, Witness> bypass = Resolver.fetch(matched(0, Registers.s2cr(1, 0, 0)), translated, none, c);
        assertEquals(EnumSet.of(FetchOutcome.WRONG_PAGE), bypass.keySet(), "bypass with IOVA != PA reads the wrong page");
        assertEquals(0x1000, bypass.get(FetchOutcome.WRONG_PAGE).paPage());
        Map<FetchOutcome, Witness> partly = Resolver.fetch(hw(Registers.SCR0_USFCFG).withSmr(0, Registers.smr(SID, 0, true))
                        .withS2cr(0, Registers.s2cr(Registers.S2CR_TYPE_BYPASS, 0, 0)), IDENTITY_WINDOW, none, c);
        assertEquals(0x888, partly.get(FetchOutcome.FAULT).sid(), "the stream ID the SMR misses faults");
    }

    /**
     * What the SMMU records of each failure, which is what a kernel log can show: sGFSR for an
     * unidentified stream, an S2CR FAULT or a bank beyond NUMCB; the bank's FSR (and which bank)
     * for a walk fault, a stall, or a bank that faults stage 2; nothing for a bypass to the wrong
     * page or a walk of rewritten pages that hangs or lands anywhere; an SMMUv3 walk is an event,
     * its abort STE records none.
     */
    @Test
    void eachFailureSaysHowTheSmmuRecordsIt() {
        ConstraintAdapter c = new ConstraintAdapter();
        IntFunction<TableView> none = id -> TableView.EMPTY;
        Witness usf = Resolver.fetch(hw(Registers.SCR0_USFCFG), IDENTITY_WINDOW, none, c).get(FetchOutcome.FAULT);
        assertEquals(FaultReport.GLOBAL, usf.report());
        assertEquals(-1, usf.bank());
        assertEquals(FaultReport.GLOBAL, Resolver.fetch(matched(0, Registers.s2cr(Registers.S2CR_TYPE_FAULT, 0, 0)), IDENTITY_WINDOW, none, c)
                .get(FetchOutcome.FAULT).report());
        assertEquals(FaultReport.GLOBAL, Resolver.fetch(matched(0, Registers.s2cr(Registers.S2CR_TYPE_TRANS, 9, 0)), IDENTITY_WINDOW, none, c)
                .get(FetchOutcome.FAULT).report(), "cbndx beyond NUMCB: an invalid context fault is global");
        SmmuV2 walking = matched(0, Registers.s2cr(Registers.S2CR_TYPE_TRANS, 2, 0)).withBank(2, Registers.cbar(1), Registers.SCTLR_M, Tables.FIRMWARE);
        Witness ctx = Resolver.fetch(walking, IDENTITY_WINDOW, none, c).get(FetchOutcome.FAULT);
        assertEquals(FaultReport.CONTEXT, ctx.report());
        assertEquals(2, ctx.bank(), "the bank the stream's S2CR names");
        Witness stalled = Resolver.fetch(walking.withSctlr(2, Registers.SCTLR_M | Registers.SCTLR_CFCFG), IDENTITY_WINDOW, none, c)
                .get(FetchOutcome.HANG);
        assertEquals(FaultReport.CONTEXT, stalled.report(), "a stalled fault is recorded in FSR before the bus waits");
        Map<FetchOutcome, Witness> garbage = Resolver.fetch(walking, IDENTITY_WINDOW, id -> new TableView(List.of(), true), c);
        assertEquals(FaultReport.CONTEXT, garbage.get(FetchOutcome.FAULT).report());
        assertEquals(FaultReport.NONE, garbage.get(FetchOutcome.HANG).report(), "a walk that never completes records nothing");
        assertEquals(FaultReport.NONE, garbage.get(FetchOutcome.WRONG_PAGE).report());
        SmmuV2 s2fault = walking.withBank(2, Registers.cbar(Registers.CBAR_TYPE_S1_TRANS_S2_FAULT), Registers.SCTLR_M, 0);
        Witness s2 = Resolver.fetch(s2fault, IDENTITY_WINDOW, none, c).get(FetchOutcome.FAULT);
        assertEquals(FaultReport.CONTEXT, s2.report());
        assertEquals(2, s2.bank());
        Resolver.Window translated = new Resolver.Window(IDENTITY_WINDOW.streams(), 0x1000, 8, FB, FB + 8, false);
        assertEquals(FaultReport.NONE, Resolver.fetch(matched(0, Registers.s2cr(Registers.S2CR_TYPE_BYPASS, 0, 0)), translated, none, c)
                .get(FetchOutcome.WRONG_PAGE).report());
        SmmuV3 v3 = SmmuV3.reset(1).withSmmuen(true);
        assertEquals(FaultReport.NONE, assertInstanceOf(Resolver.Route.Abort.class, Resolver.routesV3Unknown(v3).get(0)).report(),
                "an SMMUv3 abort STE aborts without an event");
        Witness event = Resolver.fetch(v3.withSte(0, SmmuV3.ste(SmmuV3.STE_S1_TRANS, Tables.FIRMWARE)), IDENTITY_WINDOW, none, c)
                .get(FetchOutcome.FAULT);
        assertEquals(FaultReport.EVENT, event.report(), "an SMMUv3 walk fault is an event queue record");
    }

    /** Random stream maps, banks and tables: the constraint-decided fetch equals the union of per-page answers. */
    @Test
    void prunedAgreesWithNaiveOnRandomConfigurations() {
        SplittableRandom rnd = new SplittableRandom(11);
        ConstraintAdapter c = new ConstraintAdapter();
        for (int trial = 0; trial < 400; trial++) {
            SmmuV2 h = SmmuV2.reset(4, 3).withScr0(rnd.nextInt(4) == 0 ? Registers.SCR0_CLIENTPD
                    : (rnd.nextBoolean() ? Registers.SCR0_USFCFG : 0) | (rnd.nextBoolean() ? Registers.SCR0_SMCFCFG : 0));
            for (int i = 0; i < 4; i++) {
                h = h.withSmr(i, Registers.smr(0x880 | rnd.nextInt(4) << 2 | (rnd.nextBoolean() ? 0x400 : 0),
                        rnd.nextInt(16), rnd.nextInt(3) > 0));
                h = h.withS2cr(i, Registers.s2cr(rnd.nextInt(4), rnd.nextInt(4), 0));
            }
            for (int j = 0; j < 3; j++) {
                h = h.withBank(j, Registers.cbar(rnd.nextInt(3)), rnd.nextBoolean() ? Registers.SCTLR_M : 0, 1 + rnd.nextInt(2));
            }
            long fb = 100;
            long start = rnd.nextBoolean() ? fb : 40;
            long pages = 1 + rnd.nextInt(6);
            List<MappedRange> ranges = rnd.nextBoolean()
                    ? List.of(new MappedRange(start + rnd.nextInt(3), fb + rnd.nextInt(4) - 1, 1 + rnd.nextInt(5)))
                    : List.of();
            boolean garbage = rnd.nextInt(6) == 0;
            IntFunction<TableView> tables = id -> id == 1 ? new TableView(ranges, garbage) : TableView.EMPTY;
            List<Integer> streams = rnd.nextBoolean() ? List.of(0x880 | 0x8 << 16, 0xc80 | 0x8 << 16) : List.of(0x884);
            Resolver.Window w = new Resolver.Window(streams, start, pages, fb, fb + 6, rnd.nextBoolean());
            EnumSet<FetchOutcome> naive = EnumSet.noneOf(FetchOutcome.class);
            for (int sid : Resolver.enumerate(streams)) {
                for (long p = 0; p < pages; p++) {
                    naive.addAll(Resolver.naive(h, sid, start + p, w, tables));
                }
            }
            assertEquals(naive, Resolver.fetch(h, w, tables, c).keySet(), "trial " + trial + ": " + h);
        }
        assertTrue(c.solves() < c.queries(), "repeated questions come from the cache");
    }
}
