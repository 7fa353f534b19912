package dev.handoff.model.firmware;

import dev.handoff.model.display.Scanout;
import dev.handoff.model.scenario.ScenarioException;
import dev.handoff.model.handoff.Client;
import dev.handoff.model.handoff.HandoffConfig;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.scenario.StreamEntry;
import dev.handoff.model.smmu.Registers;
import dev.handoff.model.smmu.SmmuV2;
import dev.handoff.model.smmu.SmmuV3;
import dev.handoff.model.smmu.Tables;

import java.util.ArrayList;
import java.util.List;

/**
 * The boot firmware as a state machine (BRIEF 6.1). What the firmware writes is a parameter
 * of the scenario ({@code fw.*} knobs): nobody has documented what Qualcomm's or NVIDIA's boot
 * loaders leave in the SMMU, so the alternatives are explored.
 */
public final class Firmware {
    private Firmware() {
    }

    /**
     * The firmware's steps for this configuration.
     *
     * @throws ScenarioException if the stream-match entries {@code fw.programmed} asks for do not fit
     */
    public static List<FirmwareStep> program(HandoffConfig c) {
        if (!c.v3()) {
            otherEntries(c); // fits, or says why not before any run
        }
        List<FirmwareStep> p = new ArrayList<>();
        p.add(FirmwareStep.PROGRAM_SMMU);
        if (c.tegra()) {
            p.add(FirmwareStep.PROGRAM_MC_OVERRIDE);
        }
        p.add(FirmwareStep.START_SCANOUT);
        if (c.quiesce()) {
            p.add(FirmwareStep.QUIESCE_DISPLAY);
        }
        p.add(FirmwareStep.HANDOFF);
        return p;
    }

    public static HandoffState apply(FirmwareStep step, HandoffState s, HandoffConfig c) {
        return switch (step) {
            case PROGRAM_SMMU -> c.v3() ? s.withV3(programV3(c)) : s.withV2(programV2(s.v2(), c));
            case PROGRAM_MC_OVERRIDE -> s.withMcSid(c.tegraPassthroughSid());
            case START_SCANOUT -> s.withScanout(Scanout.FIRMWARE_BUFFER).withExtraPipe(c.extraPipe());
            case QUIESCE_DISPLAY -> s.withScanout(Scanout.STOPPED).withExtraPipe(false);
            case HANDOFF -> s;
        };
    }

    /**
     * The firmware's stream map entries for the display, by {@code fw.smr}: {@code match} one
     * SMR per DT entry; {@code superset} one SMR whose mask covers every DT entry;
     * {@code partial} one exact-ID SMR per DT entry (mask 0), narrower than the DT's.
     */
    public static List<StreamEntry> fwEntries(HandoffConfig c) {
        if (c.tegra() && c.passthroughBypassesSmmu()) {
            return List.of();
        }
        List<StreamEntry> dt = c.tegra() ? List.of(new StreamEntry(c.tegraPassthroughSid(), 0)) : c.displayStreams();
        return switch (c.fwSmr()) {
            case "superset" -> {
                int id = dt.get(0).sid();
                int mask = 0;
                for (StreamEntry e : dt) {
                    mask |= e.mask() | (e.sid() ^ id);
                }
                yield List.of(new StreamEntry(id & ~mask & 0xffff, mask & 0x7fff));
            }
            case "partial" -> dt.stream().map(e -> new StreamEntry(e.sid(), 0)).toList();
            default -> dt;
        };
    }

    private static SmmuV2 programV2(SmmuV2 hw, HandoffConfig c) {
        List<StreamEntry> entries = fwEntries(c);
        int first = switch (c.fwSmrSlot()) {
            case "last" -> c.clampedGroups() - entries.size();
            case "above-clamp" -> c.clampedGroups();
            default -> 0;
        };
        for (int k = 0; k < entries.size(); k++) {
            StreamEntry e = entries.get(k);
            int i = first + k;
            hw = hw.withS2cr(i, Registers.s2cr(Registers.S2CR_TYPE_TRANS, c.fwBank(), Registers.S2CR_PRIVCFG_DEFAULT));
            hw = hw.withSmr(i, Registers.smr(e.sid(), e.mask(), true));
        }
        for (Placed o : otherEntries(c)) {
            hw = hw.withS2cr(o.index(), Registers.s2cr(o.type(), o.type() == Registers.S2CR_TYPE_TRANS ? c.fwBank() : 0,
                    Registers.S2CR_PRIVCFG_DEFAULT));
            hw = hw.withSmr(o.index(), Registers.smr(o.entry().sid(), o.entry().mask(), true));
        }
        if (c.foreignLastBank() && c.fwBank() != c.banks() - 1) {
            // another context (a GPU, a DSP, an earlier boot stage) left the last bank translating
            hw = hw.withBank(c.banks() - 1, Registers.cbar(Registers.CBAR_TYPE_S1_TRANS_S2_BYPASS),
                    Registers.SCTLR_M | Registers.SCTLR_TRE | Registers.SCTLR_AFE | Registers.SCTLR_CFRE | Registers.SCTLR_CFIE,
                    Tables.FOREIGN);
        }
        if (entries.isEmpty()) {
            return hw.withScr0(fwScr0(c));
        }
        int sctlr = c.fwTranslated()
                ? Registers.SCTLR_M | Registers.SCTLR_TRE | Registers.SCTLR_AFE | Registers.SCTLR_CFRE | Registers.SCTLR_CFIE
                : 0;
        hw = hw.withBank(c.fwBank(), Registers.cbar(Registers.CBAR_TYPE_S1_TRANS_S2_BYPASS), sctlr,
                c.fwTranslated() ? Tables.FIRMWARE : Tables.NONE);
        return hw.withScr0(fwScr0(c));
    }

    /** A stream-match entry the firmware left for a client other than the display. */
    public record Placed(int index, StreamEntry entry, int type) {
    }

    /**
     * The entries {@code fw.programmed} adds to the display's: each other lit display's DT entries
     * translated through the firmware's bank, then one BYPASS entry per stream of every other
     * client, in client order, each in the lowest group the display's entries leave free (below
     * qcom's clamp). An entry that would match a stream an earlier one matches is left out:
     * firmware that programmed overlapping entries would meet a stream match conflict itself.
     *
     * @throws ScenarioException if the groups run out
     */
    public static List<Placed> otherEntries(HandoffConfig c) {
        List<Client> lit = c.litDisplays();
        List<Client> bypassed = c.fwBypassed();
        if (lit.isEmpty() && bypassed.isEmpty()) {
            return List.of();
        }
        List<StreamEntry> display = fwEntries(c);
        int first = switch (c.fwSmrSlot()) {
            case "last" -> c.clampedGroups() - display.size();
            case "above-clamp" -> c.clampedGroups();
            default -> 0;
        };
        java.util.BitSet used = new java.util.BitSet();
        used.set(first, first + display.size());
        List<StreamEntry> placed = new ArrayList<>(display);
        List<Placed> out = new ArrayList<>();
        for (Client k : lit) {
            place(c, k, Registers.S2CR_TYPE_TRANS, used, placed, out);
        }
        for (Client k : bypassed) {
            place(c, k, Registers.S2CR_TYPE_BYPASS, used, placed, out);
        }
        return out;
    }

    private static void place(HandoffConfig c, Client k, int type, java.util.BitSet used, List<StreamEntry> placed, List<Placed> out) {
        for (StreamEntry e : k.streams()) {
            if (placed.stream().anyMatch(p -> overlap(p, e))) {
                continue;
            }
            int i = used.nextClearBit(0);
            if (i >= c.clampedGroups()) {
                throw new ScenarioException("fw.programmed=" + c.scenario().knob(
                        dev.handoff.model.scenario.Knobs.FW_PROGRAMMED) + ": the firmware's entries need more than the "
                        + c.clampedGroups() + " stream-match groups modelled (" + k.name() + " does not fit)");
            }
            used.set(i);
            placed.add(e);
            out.add(new Placed(i, e, type));
        }
    }

    /** Two SMRs match a common stream ID: their IDs agree outside both masks. */
    private static boolean overlap(StreamEntry a, StreamEntry b) {
        return ((a.sid() ^ b.sid()) & ~(a.mask() | b.mask()) & 0x7fff) == 0;
    }

    private static int fwScr0(HandoffConfig c) {
        int scr0 = Registers.SCR0_GFRE | Registers.SCR0_GFIE | Registers.SCR0_GCFGFRE | Registers.SCR0_GCFGFIE;
        if (c.fwUnmatchedAbort()) {
            scr0 |= Registers.SCR0_USFCFG;
        }
        if (c.fwConflictFault()) {
            scr0 |= Registers.SCR0_SMCFCFG;
        }
        return scr0;
    }

    private static SmmuV3 programV3(HandoffConfig c) {
        int display = c.fwTranslated() ? SmmuV3.ste(SmmuV3.STE_S1_TRANS, Tables.FIRMWARE) : SmmuV3.ste(SmmuV3.STE_BYPASS, 0);
        SmmuV3 hw = SmmuV3.reset(c.clients().size()).withSmmuen(true).withSte(0, display);
        for (Client k : c.litDisplays()) {
            hw = hw.withSte(k.index(), display);
        }
        for (Client k : c.fwBypassed()) {
            hw = hw.withSte(k.index(), SmmuV3.ste(SmmuV3.STE_BYPASS, 0));
        }
        return hw;
    }
}
