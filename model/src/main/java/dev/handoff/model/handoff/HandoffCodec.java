package dev.handoff.model.handoff;

import dev.handoff.model.display.DisplayDriverState;
import dev.handoff.model.display.Scanout;
import dev.handoff.engine.formalism.BitPacker;
import dev.handoff.engine.formalism.StateCodec;
import dev.handoff.model.kernel.DeviceState;
import dev.handoff.model.kernel.DriverState;
import dev.handoff.model.memory.PageState;
import dev.handoff.model.smmu.FetchOutcome;
import dev.handoff.model.smmu.Shadow;
import dev.handoff.model.smmu.SmmuV2;
import dev.handoff.model.smmu.SmmuV3;
import dev.handoff.model.smmu.Tables;
import dev.handoff.model.smmu.Witness;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs a {@link HandoffState} into words. Registers keep their full 32 bits; counters and
 * indices get the widths the kernel gives them (u16 IDs and masks, u8 cbndx). The one thing not
 * packed is a witness's human-readable {@code path}, which decodes as the empty string: it is
 * recomputed from the preceding state when a trace is shown.
 */
final class HandoffCodec implements StateCodec<HandoffState> {
    private final int groups;
    private final int banks;
    private final int[] entries;
    private final int fwBits;
    private final int driverBits;
    private final int[] probeBits;
    private final int ddrvBits;
    /** An SME index + 1 (0: none) or {@code num_mapping_groups}: 0..groups. */
    private final int smeBits;
    /** A context bank + 1 (0: none): 0..banks. */
    private final int cbBits;
    /** A group (the client that created it) + 1 (0: none): 0..clients. */
    private final int groupBits;
    /** A translation table id ({@link Tables}). */
    private final int tableBits;
    private final int words;

    /**
     * The lengths of the firmware's, arm-smmu's, each client's probe and the display driver's
     * programs fix their counters' widths: each runs from 0 to its length.
     */
    HandoffCodec(HandoffConfig c, int fwSteps, int driverSteps, int[] probeSteps, int ddrvSteps) {
        this.groups = c.groups();
        this.banks = c.banks();
        this.entries = c.clients().stream().mapToInt(x -> x.streams().size()).toArray();
        this.fwBits = bitsFor(fwSteps);
        this.driverBits = bitsFor(driverSteps);
        this.probeBits = java.util.Arrays.stream(probeSteps).map(HandoffCodec::bitsFor).toArray();
        this.ddrvBits = bitsFor(ddrvSteps);
        this.smeBits = bitsFor(groups);
        this.cbBits = bitsFor(banks);
        this.groupBits = bitsFor(entries.length);
        this.tableBits = bitsFor(c.clients().stream().mapToInt(Client::table).max().orElse(0) | Tables.FOREIGN);
        int bits = fwBits + driverBits + java.util.Arrays.stream(probeBits).sum() + ddrvBits + 1
                + 32 + groups * 64 + banks * (64 + tableBits)
                + 2 + (8 + tableBits) * entries.length
                + groups * (1 + 16 + 16 + 2 + 8 + 8 + groupBits) + smeBits + banks + 1 + 32
                + cbBits + 2
                + 2 + 2 + 2 + 2 + 1 + 1 + 16
                + 1 + 3 + 2 + 16 + 40 + 41 + 2;
        for (int n : entries) {
            bits += 2 + n * smeBits + 2 + cbBits + 2 + groupBits;
        }
        this.words = BitPacker.wordsFor(bits);
    }

    /** Bits for an unsigned field holding 0..max. */
    static int bitsFor(int max) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(max));
    }

    @Override
    public int words() {
        return words;
    }

    @Override
    public void encode(HandoffState s, long[] out, int off) {
        BitPacker w = BitPacker.writer(out, off, words);
        w.put(s.fwPc(), fwBits).put(s.driverPc(), driverBits);
        for (int i = 0; i < probeBits.length; i++) {
            w.put(s.probePc(i), probeBits[i]);
        }
        w.put(s.ddrvPc(), ddrvBits).put(s.mcPc(), 1);
        SmmuV2 h = s.v2();
        w.putRegister(h.scr0());
        for (int i = 0; i < groups; i++) {
            w.putRegister(h.smr()[i]).putRegister(h.s2cr()[i]);
        }
        for (int j = 0; j < banks; j++) {
            w.putRegister(h.cbar()[j]).putRegister(h.sctlr()[j]).put(h.ttbr()[j], tableBits);
        }
        SmmuV3 v = s.v3();
        w.put(v.smmuen()).put(v.gbpaAbort());
        for (int i = 0; i < entries.length; i++) {
            w.put(v.ste(i), 8 + tableBits);
        }
        DriverState d = s.driver();
        for (Shadow x : d.shadow()) {
            w.put(x.valid()).put(x.id(), 16).put(x.mask(), 16).put(x.type(), 2).put(x.cbndx(), 8).put(x.count(), 8).put(x.group() + 1, groupBits);
        }
        w.put(d.numGroups(), smeBits);
        for (int j = 0; j < banks; j += 64) {
            w.put(d.contextMap().shiftRight(j).longValue(), Math.min(64, banks - j));
        }
        w.put(d.bypassQuirk()).put(d.streamIdMask(), 16).put(d.smrMaskMask(), 16);
        for (DeviceState x : s.devices()) {
            device(w, x);
        }
        DisplayDriverState dd = s.ddrv();
        w.put(dd.ownCb() + 1, cbBits).put(dd.fwBufferMapped()).put(dd.newBufferMapped());
        w.put(s.tables().ordinal(), 2).put(s.framebuffer().ordinal(), 2).put(s.fbdrv(), 2).put(s.scanout().ordinal(), 2).put(s.extraPipe()).put(s.lateInit());
        w.put(s.mcSid(), 16);
        Failure f = s.failure();
        w.put(f != null);
        if (f != null) {
            w.put(f.kind().ordinal(), 3);
            Witness x = f.witness();
            w.put(x.outcome().ordinal(), 2).put(x.sid(), 16).put(x.iovaPage(), 40).put(x.paPage() + 1, 41);
        }
        w.put(s.corrupted(), 2);
    }

    private void device(BitPacker w, DeviceState d) {
        w.put(d.probe(), 2);
        for (int i : d.smendx()) {
            w.put(i + 1, smeBits);
        }
        w.put(d.domain(), 2).put(d.cb() + 1, cbBits).put(d.directFailed()).put(d.directMapped()).put(d.group() + 1, groupBits);
    }

    @Override
    public HandoffState decode(long[] in, int off) {
        BitPacker r = BitPacker.reader(in, off);
        int fwPc = r.getInt(fwBits);
        int driverPc = r.getInt(driverBits);
        List<Integer> probePc = new ArrayList<>(probeBits.length);
        for (int b : probeBits) {
            probePc.add(r.getInt(b));
        }
        int ddrvPc = r.getInt(ddrvBits);
        int mcPc = r.getInt(1);
        int scr0 = r.getInt(32);
        int[] smr = new int[groups];
        int[] s2cr = new int[groups];
        for (int i = 0; i < groups; i++) {
            smr[i] = r.getInt(32);
            s2cr[i] = r.getInt(32);
        }
        int[] cbar = new int[banks];
        int[] sctlr = new int[banks];
        int[] ttbr = new int[banks];
        for (int j = 0; j < banks; j++) {
            cbar[j] = r.getInt(32);
            sctlr[j] = r.getInt(32);
            ttbr[j] = r.getInt(tableBits);
        }
        boolean smmuen = r.getBoolean();
        boolean gbpaAbort = r.getBoolean();
        int[] ste = new int[entries.length];
        for (int i = 0; i < ste.length; i++) {
            ste[i] = r.getInt(8 + tableBits);
        }
        SmmuV3 v3 = new SmmuV3(smmuen, gbpaAbort, ste);
        List<Shadow> shadow = new ArrayList<>(groups);
        for (int i = 0; i < groups; i++) {
            shadow.add(new Shadow(r.getBoolean(), r.getInt(16), r.getInt(16), r.getInt(2), r.getInt(8), r.getInt(8),
                    r.getInt(groupBits) - 1));
        }
        int numGroups = r.getInt(smeBits);
        java.math.BigInteger map = java.math.BigInteger.ZERO;
        for (int j = 0; j < banks; j += 64) {
            int n = Math.min(64, banks - j);
            long v = r.get(n);
            java.math.BigInteger chunk = java.math.BigInteger.valueOf(v);
            map = map.or((v < 0 ? chunk.add(java.math.BigInteger.ONE.shiftLeft(64)) : chunk).shiftLeft(j));
        }
        DriverState driver = new DriverState(shadow, numGroups, map, r.getBoolean(), r.getInt(16), r.getInt(16));
        List<DeviceState> devices = new ArrayList<>(entries.length);
        for (int n : entries) {
            devices.add(device(r, n));
        }
        DisplayDriverState dd = new DisplayDriverState(r.getInt(cbBits) - 1, r.getBoolean(), r.getBoolean());
        PageState tables = PageState.values()[r.getInt(2)];
        PageState fb = PageState.values()[r.getInt(2)];
        int fbdrv = r.getInt(2);
        Scanout scanout = Scanout.values()[r.getInt(2)];
        boolean extraPipe = r.getBoolean();
        boolean lateInit = r.getBoolean();
        int mcSid = r.getInt(16);
        Failure failure = null;
        if (r.getBoolean()) {
            Failure.Kind kind = Failure.Kind.values()[r.getInt(3)];
            FetchOutcome o = FetchOutcome.values()[r.getInt(2)];
            int sid = r.getInt(16);
            long iova = r.get(40);
            long pa = r.get(41) - 1;
            failure = new Failure(kind, new Witness(o, sid, iova, pa, ""));
        }
        int corrupted = r.getInt(2);
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, new SmmuV2(scr0, smr, s2cr, cbar, sctlr, ttbr),
                v3, driver, devices, dd, tables, fb, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    private DeviceState device(BitPacker r, int n) {
        int probe = r.getInt(2);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = r.getInt(smeBits) - 1;
        }
        return new DeviceState(probe, idx, r.getInt(2), r.getInt(cbBits) - 1, r.getBoolean(), r.getBoolean(),
                r.getInt(groupBits) - 1);
    }
}
