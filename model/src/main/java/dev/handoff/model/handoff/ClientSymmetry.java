package dev.handoff.model.handoff;

import dev.handoff.model.firmware.Firmware;
import dev.handoff.model.kernel.DeviceState;
import dev.handoff.model.kernel.DriverState;
import dev.handoff.model.scenario.StreamEntry;
import dev.handoff.model.smmu.Registers;
import dev.handoff.model.smmu.Shadow;
import dev.handoff.model.smmu.SmmuV2;
import dev.handoff.model.smmu.SmmuV3;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Interchangeable clients, and the canonical form of a state under their permutations.
 *
 * <p>Two other masters are interchangeable when the kernel treats them alike and nothing tells
 * them apart but their entries: the probe order is free ({@code kernel.probe-order=any}), they
 * have the same number of {@code iommus} entries, zero masks in the same places (the only thing
 * the kernel asks of a mask is whether it fits {@code smr_mask_mask}, which is 0 or 0x7fff, and of
 * an ID whether it fits {@code streamid_mask}, 0 or 0x7fff, and IDs 0 and 0x7fff are excluded),
 * and no entry of either
 * matches a stream ID that any other entry can match (another client's, the display's, the
 * firmware's, an RMR's, the undescribed master's, Tegra's passthrough ID), so {@code arm_smmu_find_sme} never relates
 * them to anything. Swapping two such clients, together with their stream IDs wherever the state
 * holds them (SMR registers, the driver's shadow: ID and mask together), their default-domain tables and their group
 * names, maps runs onto runs and leaves every property's value alone: the SME indices and banks
 * they take are the first free ones in either order.
 *
 * <p>The representative sorts each class by the clients' own state (probe counter, probe result,
 * domain, bank, SME indices), so states that differ only by such a swap have one form.
 */
final class ClientSymmetry {
    private final HandoffConfig config;
    private final List<int[]> classes;

    private ClientSymmetry(HandoffConfig config, List<int[]> classes) {
        this.config = config;
        this.classes = classes;
    }

    /** The symmetry of {@code c}'s clients, or null when no two are interchangeable. */
    static ClientSymmetry of(HandoffConfig c) {
        if (!c.anyProbeOrder()) {
            return null; // a fixed order tells every client apart
        }
        List<StreamEntry> fixed = new ArrayList<>(c.displayStreams());
        fixed.addAll(Firmware.fwEntries(c));
        Map<String, List<Integer>> byShape = new LinkedHashMap<>();
        for (Client m : c.masters()) {
            if (!eligible(c, m, fixed)) {
                continue;
            }
            // what the kernel checks of a mask is only whether it fits smr_mask_mask, which is 0 or
            // 0x7fff (arm_smmu_test_smr_masks read back, or not run): zero or not is the shape
            // and what its compatibles mean to the kernel: a Qualcomm client gets an identity
            // default domain (ArmSmmuImpl.Qcom#defDomainType), another none, so the two are never swapped
            String shape = m.streams().stream().map(e -> e.mask() == 0 ? "0" : "m").toList()
                    + dev.handoff.model.scenario.Master.traits(m.compatible(), c.scenario().knob(dev.handoff.model.scenario.Knobs.KERNEL_VERSION));
            byShape.computeIfAbsent(shape, k -> new ArrayList<>()).add(m.index());
        }
        List<int[]> classes = new ArrayList<>();
        for (List<Integer> members : byShape.values()) {
            if (members.size() > 1) {
                classes.add(members.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return classes.isEmpty() ? null : new ClientSymmetry(c, classes);
    }

    private static boolean eligible(HandoffConfig c, Client m, List<StreamEntry> fixed) {
        if (c.litDisplays().contains(m) || c.fwBypassed().contains(m)) {
            return false; // the firmware's entries for it sit at fixed indices (and a lit display is fetched)
        }
        for (StreamEntry e : m.streams()) {
            // stream IDs 0 and 0x7fff and wide masks are values the reset and arm_smmu_test_smr_masks write
            if (e.sid() < 1 || e.sid() >= 0x7fff || e.mask() >= 0x7fff) {
                return false;
            }
            if (e.matches(c.undescribedSid()) || c.rmrSids().stream().anyMatch(e::matches)
                    || c.tegraPassthroughSid() >= 0 && e.matches(c.tegraPassthroughSid())) {
                return false;
            }
            for (StreamEntry f : fixed) {
                if (overlap(e, f)) {
                    return false;
                }
            }
            for (Client o : c.masters()) {
                for (int k = 0; k < o.streams().size(); k++) {
                    StreamEntry f = o.streams().get(k);
                    if (f != e && overlap(e, f)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The two entries match a common stream ID. */
    private static boolean overlap(StreamEntry a, StreamEntry b) {
        return ((a.sid() ^ b.sid()) & ~(a.mask() | b.mask()) & 0xffff) == 0;
    }

    /** The classes, each a list of client indices (for tests and reports). */
    List<int[]> classes() {
        return classes;
    }

    private static final Comparator<DeviceState> LOCAL = Comparator
            .comparingInt(DeviceState::probe)
            .thenComparingInt(DeviceState::domain)
            .thenComparingInt(DeviceState::cb)
            .thenComparing(DeviceState::directFailed)
            .thenComparing(DeviceState::directMapped)
            .thenComparing(DeviceState::smendx, Arrays::compare);

    /** The representative of {@code s}'s class. */
    HandoffState canonical(HandoffState s) {
        int n = s.devices().size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        boolean moved = false;
        for (int[] cls : classes) {
            Integer[] order = new Integer[cls.length];
            for (int i = 0; i < cls.length; i++) {
                order[i] = cls[i];
            }
            Arrays.sort(order, Comparator.<Integer>comparingInt(s::probePc).thenComparing(s::device, LOCAL));
            for (int i = 0; i < cls.length; i++) {
                perm[order[i]] = cls[i];
                moved |= order[i] != cls[i];
            }
        }
        return moved ? apply(s, perm) : s;
    }

    /** {@code s} with client {@code x} renamed {@code perm[x]}. */
    private HandoffState apply(HandoffState s, int[] perm) {
        int n = perm.length;
        List<Client> clients = config.clients();
        DeviceState[] devices = new DeviceState[n];
        Integer[] pcs = new Integer[n];
        int[] ste = new int[n];
        for (int x = 0; x < n; x++) {
            DeviceState d = s.device(x);
            devices[perm[x]] = d.group() >= 0 ? d.withGroup(perm[d.group()]) : d;
            pcs[perm[x]] = s.probePc(x);
            ste[perm[x]] = renameSte(s.v3().ste(x), perm);
        }
        Map<Integer, Integer> entries = new java.util.HashMap<>();
        for (int x = 0; x < n; x++) {
            if (perm[x] != x) {
                List<StreamEntry> from = clients.get(x).streams();
                List<StreamEntry> to = clients.get(perm[x]).streams();
                for (int k = 0; k < from.size(); k++) {
                    entries.put(Registers.smr(from.get(k).sid(), from.get(k).mask(), false),
                            Registers.smr(to.get(k).sid(), to.get(k).mask(), false));
                }
            }
        }
        SmmuV2 hw = s.v2();
        int[] smr = hw.smr().clone();
        for (int i = 0; i < smr.length; i++) {
            Integer r = entries.get(smr[i] & ~Registers.SMR_VALID);
            if (r != null) {
                smr[i] = r | smr[i] & Registers.SMR_VALID;
            }
        }
        int[] ttbr = hw.ttbr().clone();
        for (int j = 0; j < ttbr.length; j++) {
            ttbr[j] = renameTable(ttbr[j], perm);
        }
        DriverState d = s.driver();
        List<Shadow> shadow = new ArrayList<>(d.shadow().size());
        for (Shadow x : d.shadow()) {
            Integer r = entries.get(Registers.smr(x.id(), x.mask(), false));
            Shadow y = r == null ? x : x.withSmr(x.valid(), Registers.smrId(r), Registers.smrMask(r));
            shadow.add(y.group() >= 0 ? y.withGroup(perm[y.group()]) : y);
        }
        return s.withV2(new SmmuV2(hw.scr0(), smr, hw.s2cr(), hw.cbar(), hw.sctlr(), ttbr))
                .withV3(new SmmuV3(s.v3().smmuen(), s.v3().gbpaAbort(), ste))
                .withDriver(d.withShadow(shadow))
                .withDevices(List.of(devices))
                .withProbePcs(List.of(pcs));
    }

    private int renameTable(int table, int[] perm) {
        for (int x = 1; x < perm.length; x++) {
            if (perm[x] != x && config.clients().get(x).table() == table) {
                return config.clients().get(perm[x]).table();
            }
        }
        return table;
    }

    private int renameSte(int ste, int[] perm) {
        if (SmmuV3.steConfig(ste) != SmmuV3.STE_S1_TRANS) {
            return ste;
        }
        return SmmuV3.ste(SmmuV3.steConfig(ste), renameTable(SmmuV3.steTable(ste), perm));
    }
}
