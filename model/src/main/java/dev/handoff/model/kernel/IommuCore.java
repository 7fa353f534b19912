package dev.handoff.model.kernel;

import dev.handoff.model.handoff.Client;
import dev.handoff.model.handoff.HandoffConfig;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.scenario.StreamEntry;
import dev.handoff.model.smmu.Registers;
import dev.handoff.model.smmu.Shadow;
import dev.handoff.model.smmu.SmmuV3;
import dev.handoff.model.smmu.StreamMapping;

import java.util.ArrayList;
import java.util.List;

/**
 * The IOMMU core (CORE, BRIEF 3.2) probing each client device. A DT client is probed when its
 * driver binds: {@code really_probe -> dma_configure -> of_iommu_configure -> iommu_probe_device}
 * (6.12 dd.c:699, of_iommu.c:160); {@code bus_iommu_probe} at {@code iommu_device_register} finds
 * no fwspec yet. {@code iommu_probe_device} holds {@code iommu_probe_device_lock} over
 * {@code __iommu_probe_device} (SME allocation and writes, the group, the default domain and its
 * attach) and drops it before {@code probe_finalize} (iommu.c:605-613), so two clients' probes do
 * not interleave, except a probe_finalize; they interleave with the page allocator, the display
 * engine and the display driver. A probe that fails after its SMEs were written releases them
 * ({@code iommu_deinit_device -> arm_smmu_release_device -> arm_smmu_master_free_smes}).
 */
public final class IommuCore {
    private IommuCore() {
    }

    /**
     * Each client's probe, indexed as {@link HandoffConfig#clients()}; a client the kernel never
     * probes ({@link HandoffConfig#probeOrder()} leaves it out) has none.
     */
    public static List<List<CoreStep>> programs(HandoffConfig c) {
        List<List<CoreStep>> out = new ArrayList<>();
        for (Client client : c.clients()) {
            List<CoreStep> p = new ArrayList<>();
            if (c.probeOrder().contains(client.index())) {
                device(p, c, client);
            }
            out.add(List.copyOf(p));
        }
        return out;
    }

    private static void device(List<CoreStep> p, HandoffConfig c, Client client) {
        int i = client.index();
        String l = client.label();
        int entries = client.streams().size();
        p.add(new CoreStep.AllocSmes(i, l));
        if (!c.v3()) {
            for (int k = 0; k < entries; k++) {
                p.add(new CoreStep.WriteS2cr(i, l, k));
                p.add(new CoreStep.WriteSmr(i, l, k));
            }
        }
        p.add(new CoreStep.DefaultDomain(i, l));
        p.add(new CoreStep.DirectMap(i, l));
        if (c.v3()) {
            p.add(new CoreStep.AttachSte(i, l));
        } else {
            p.add(new CoreStep.AttachBank(i, l));
            for (int k = 0; k < entries; k++) {
                p.add(new CoreStep.AttachS2cr(i, l, k));
            }
        }
        p.add(new CoreStep.DirectMapRetry(i, l));
        if (!c.v3()) {
            for (int k = 0; k < entries; k++) {
                p.add(new CoreStep.ReleaseS2cr(i, l, k));
                p.add(new CoreStep.ReleaseSmr(i, l, k));
            }
            p.add(new CoreStep.Released(i, l));
        }
        if (c.impl().probeFinalize(c, client)) {
            p.add(new CoreStep.ProbeFinalize(i, l));
        }
    }

    /**
     * The device's fwspec IDs as {@code arm_smmu_of_xlate} packs its {@code iommus} (a 1-cell
     * specifier takes the SMMU's {@code stream-match-mask}: Tegra's display is 0x9 with 0x7f80).
     */
    static List<StreamEntry> entries(HandoffConfig c, int device) {
        return c.clients().get(device).streams();
    }

    /**
     * The default domain type: the driver's {@code def_domain_type} hook first
     * ({@code qcom_smmu_def_domain_type}: IDENTITY for {@code qcom_smmu_client_of_match}), then
     * a firmware passthrough flag, then {@code iommu.passthrough}. A display whose driver manages
     * the IOMMU gets none attached.
     */
    public static int defaultDomainType(HandoffConfig c, int device) {
        if (c.handledAsDisplay(device) && c.explicit()) {
            return DeviceState.NO_DOMAIN;
        }
        int hook = c.impl().defDomainType(c, c.clients().get(device));
        if (hook != ArmSmmuImpl.NO_OPINION) {
            return hook;
        }
        if (c.describedAsLive(device) && c.passthroughFlag()) {
            return DeviceState.IDENTITY;
        }
        return c.defaultDomain().equals("identity") ? DeviceState.IDENTITY : DeviceState.DMA;
    }

    /** Whether the device has firmware regions to map 1:1 (or, out of tree, translated) into a DMA domain. */
    static boolean hasDirectRegions(HandoffConfig c, int device) {
        return c.describedAsLive(device) && (c.directRegion() || c.translatedRegion());
    }

    public static boolean applies(CoreStep step, HandoffState s, HandoffConfig c) {
        DeviceState d = s.device(step.device());
        boolean ok = d.probe() == DeviceState.PROBED;
        return switch (step) {
            case CoreStep.AllocSmes a -> true;
            case CoreStep.WriteS2cr w -> ok;
            case CoreStep.WriteSmr w -> ok;
            case CoreStep.DefaultDomain x -> ok;
            case CoreStep.DirectMap x -> ok && c.directMapBeforeAttach() && d.domain() == DeviceState.DMA
                    && hasDirectRegions(c, step.device());
            case CoreStep.AttachBank x -> ok && d.domain() == DeviceState.DMA && d.group() == step.device();
            case CoreStep.AttachS2cr x -> ok && d.domain() != DeviceState.NO_DOMAIN && s2crChanges(s, d, x.entry());
            case CoreStep.AttachSte x -> ok && d.domain() != DeviceState.NO_DOMAIN;
            case CoreStep.DirectMapRetry x -> ok && d.group() == step.device() && (c.directMapBeforeAttach() ? d.directFailed()
                    : d.domain() == DeviceState.DMA && hasDirectRegions(c, step.device()));
            case CoreStep.ProbeFinalize x -> ok && c.lateSid();
            case CoreStep.ReleaseS2cr x -> releases(s, d, x.entry());
            case CoreStep.ReleaseSmr x -> releases(s, d, x.entry());
            case CoreStep.Released x -> d.probe() == DeviceState.RELEASING;
        };
    }

    private static boolean s2crChanges(HandoffState s, DeviceState d, int entry) {
        int idx = d.smendx()[entry];
        Shadow sh = s.driver().shadow().get(idx);
        int[] want = wantedS2cr(d);
        return !(sh.type() == want[0] && sh.cbndx() == want[1]);
    }

    /** {@code arm_smmu_attach_dev_identity} installs BYPASS with cbndx 0; a paging domain TRANS to its bank. */
    private static int[] wantedS2cr(DeviceState d) {
        return d.domain() == DeviceState.IDENTITY ? new int[] {Registers.S2CR_TYPE_BYPASS, 0}
                : new int[] {Registers.S2CR_TYPE_TRANS, d.cb()};
    }

    public static HandoffState apply(CoreStep step, HandoffState s, HandoffConfig c) {
        int dev = step.device();
        DeviceState d = s.device(dev);
        return switch (step) {
            case CoreStep.AllocSmes a -> c.v3() ? s.withDevice(dev, d.withProbe(DeviceState.PROBED, d.smendx()))
                    : allocSmes(s, c, dev);
            case CoreStep.WriteS2cr w -> ArmSmmuDriver.writeS2cr(s, c, d.smendx()[w.entry()]);
            case CoreStep.WriteSmr w -> ArmSmmuDriver.writeSmr(s, c, d.smendx()[w.entry()]);
            case CoreStep.DefaultDomain x -> c.v3() ? s.withDevice(dev, d.withGroup(dev).withDomain(defaultDomainType(c, dev)))
                    : deviceGroup(s, c, dev);
            // a device joining a group maps into the group's default domain, attached already
            case CoreStep.DirectMap x -> s.withDevice(dev, c.mapBeforeAttachWorks() || d.group() != dev ? d.withDirect(false, true)
                    : d.withDirect(true, false));
            case CoreStep.AttachBank x -> {
                int cb = s.driver().firstFreeBank(c.banks());
                if (cb < 0) {
                    // arm_smmu_init_domain_context: -ENOSPC before any register write; the first attach
                    // must succeed (WARN in iommu_setup_default_domain, 6.12 iommu.c:2997-2999), so
                    // __iommu_probe_device fails and releases the device (iommu.c:589-595)
                    yield release(s, c, dev);
                }
                HandoffState t = s.withDriver(s.driver().withBankTaken(cb));
                t = t.withV2(t.v2().withBank(cb, Registers.cbar(Registers.CBAR_TYPE_S1_TRANS_S2_BYPASS),
                        domainSctlr(), c.clients().get(dev).table()));
                yield t.withDevice(dev, d.withCb(cb));
            }
            case CoreStep.AttachS2cr x -> {
                int idx = d.smendx()[x.entry()];
                int[] want = wantedS2cr(d);
                HandoffState t = s.withDriver(s.driver().withShadow(idx,
                        s.driver().shadow().get(idx).withS2cr(want[0], want[1])));
                yield ArmSmmuDriver.writeS2cr(t, c, idx);
            }
            case CoreStep.AttachSte x -> {
                int ste = d.domain() == DeviceState.IDENTITY ? SmmuV3.ste(SmmuV3.STE_BYPASS, 0)
                        : SmmuV3.ste(SmmuV3.STE_S1_TRANS, c.clients().get(dev).table());
                yield s.withV3(s.v3().withSte(dev, ste));
            }
            case CoreStep.DirectMapRetry x -> s.withDevice(dev, d.withDirect(false, true));
            // tegra186_mc_client_sid_override: a locked override (WRITE_ACCESS_DISABLED) is left alone
            case CoreStep.ProbeFinalize x -> c.mcSidLocked() ? s : s.withMcSid(c.displayKernelSid());
            case CoreStep.ReleaseS2cr x -> ArmSmmuDriver.writeS2cr(s, c, d.smendx()[x.entry()]);
            case CoreStep.ReleaseSmr x -> ArmSmmuDriver.writeSmr(s, c, d.smendx()[x.entry()]);
            case CoreStep.Released x -> {
                int[] none = new int[d.smendx().length];
                java.util.Arrays.fill(none, -1);
                yield s.withDevice(dev, d.withProbe(DeviceState.FAILED, none).withDomain(DeviceState.NO_DOMAIN).withCb(-1));
            }
        };
    }

    /**
     * {@code arm_smmu_device_group} (6.12 arm-smmu.c:1532), then {@code __iommu_probe_device}
     * (iommu.c:562-570). The group is the one the device's last stream map entry remembers
     * ({@code group = s2crs[idx].group} for each entry, so an entry with none makes it NULL
     * again), -EINVAL when two entries remember different groups; with none, a new group, which
     * every entry then remembers. A device that joins a group with a domain is attached to that
     * domain (same context bank, no default-domain setup of its own); a new group gets its
     * default domain. On -EINVAL the probe fails and {@code arm_smmu_release_device} frees the
     * entries ({@code arm_smmu_master_free_smes}), written in the same step.
     */
    static HandoffState deviceGroup(HandoffState s, HandoffConfig c, int dev) {
        DeviceState d = s.device(dev);
        List<Shadow> sh = new ArrayList<>(s.driver().shadow());
        int group = -1;
        for (int idx : d.smendx()) {
            int g = sh.get(idx).group();
            if (group >= 0 && g >= 0 && group != g) {
                return release(s, c, dev);
            }
            group = g;
        }
        if (group < 0) {
            for (int idx : d.smendx()) {
                sh.set(idx, sh.get(idx).withGroup(dev));
            }
            return s.withDriver(s.driver().withShadow(sh))
                    .withDevice(dev, d.withGroup(dev).withDomain(defaultDomainType(c, dev)));
        }
        DeviceState leader = s.device(group);
        return s.withDevice(dev, d.withGroup(group).withDomain(leader.domain()).withCb(leader.cb()));
    }

    /**
     * A failed probe starts its release: {@code arm_smmu_master_free_smes} takes each entry's
     * count down ({@code arm_smmu_free_sme}: at 0 the entry returns to {@code s2cr_init_val}, its
     * group NULL, and the SMR shadow loses VALID); the entries that reached 0 are then written,
     * S2CR before SMR, one step each ({@link CoreStep.ReleaseS2cr}, {@link CoreStep.ReleaseSmr}).
     * The shadow changes at once: nothing else reads it while the probe lock is held.
     */
    static HandoffState release(HandoffState s, HandoffConfig c, int dev) {
        DeviceState d = s.device(dev);
        List<Shadow> sh = new ArrayList<>(s.driver().shadow());
        for (int idx : d.smendx()) {
            sh.set(idx, sh.get(idx).freed(c.disableBypass()));
        }
        return s.withDriver(s.driver().withShadow(sh)).withDevice(dev, d.withProbe(DeviceState.RELEASING, d.smendx()));
    }

    /** Entry k of a releasing device was freed (its count reached 0) and so is written. */
    private static boolean releases(HandoffState s, DeviceState d, int k) {
        if (d.probe() != DeviceState.RELEASING) {
            return false;
        }
        Shadow x = s.driver().shadow().get(d.smendx()[k]);
        return x.count() == 0;
    }

    /** SCTLR of a Linux stage-1 domain: M | TRE | AFE | CFRE | CFIE | ASIDPNE ({@code arm_smmu_write_context_bank}). */
    public static int domainSctlr() {
        return Registers.SCTLR_M | Registers.SCTLR_TRE | Registers.SCTLR_AFE | Registers.SCTLR_CFRE
                | Registers.SCTLR_CFIE | 1 << 12;
    }

    /**
     * {@code arm_smmu_master_alloc_smes}: {@code arm_smmu_find_sme(sid, mask)} per entry; a
     * claimed entry (count 0) takes the device's (id, mask); count++. On any error every entry
     * taken so far is released ({@code arm_smmu_free_sme}: count--, and at 0 the S2CR shadow returns
     * to {@code s2cr_init_val} and the SMR shadow loses VALID; no register is written) and the
     * device's IOMMU probe fails.
     */
    static HandoffState allocSmes(HandoffState s, HandoffConfig c, int dev) {
        List<StreamEntry> entries = entries(c, dev);
        // arm_smmu_probe_device: an ID or mask beyond what the SMMU implements fails the probe
        // (-EINVAL) before any stream map entry is taken
        for (StreamEntry e : entries) {
            if ((e.sid() & ~s.driver().streamIdMask()) != 0 || (e.mask() & ~s.driver().smrMaskMask()) != 0) {
                int[] none = new int[entries.size()];
                java.util.Arrays.fill(none, -1);
                return s.withDevice(dev, s.device(dev).withProbe(DeviceState.FAILED, none));
            }
        }
        List<Shadow> sh = new ArrayList<>(s.driver().shadow());
        int[] idx = new int[entries.size()];
        for (int k = 0; k < entries.size(); k++) {
            StreamEntry e = entries.get(k);
            int r = StreamMapping.findSme(sh.subList(0, s.driver().numGroups()), e.sid(), e.mask());
            if (r < 0) {
                for (int j = k - 1; j >= 0; j--) {
                    sh.set(idx[j], sh.get(idx[j]).freed(c.disableBypass()));
                }
                int[] none = new int[entries.size()];
                java.util.Arrays.fill(none, -1);
                return s.withDriver(s.driver().withShadow(sh))
                        .withDevice(dev, s.device(dev).withProbe(DeviceState.FAILED, none));
            }
            Shadow x = sh.get(r);
            if (x.count() == 0) {
                x = x.withSmr(true, e.sid(), e.mask());
            }
            sh.set(r, x.withCount(x.count() + 1));
            idx[k] = r;
        }
        return s.withDriver(s.driver().withShadow(sh)).withDevice(dev, s.device(dev).withProbe(DeviceState.PROBED, idx));
    }
}
