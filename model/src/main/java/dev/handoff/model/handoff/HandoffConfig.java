package dev.handoff.model.handoff;

import dev.handoff.model.kernel.ArmSmmuImpl;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Master;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.StreamEntry;
import dev.handoff.model.smmu.HypervisorFilter;
import dev.handoff.model.smmu.Tables;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a scenario fixes for one run, derived once from the knobs: the model's actors read
 * this, never the knob strings. Addresses are in 4 KiB pages.
 */
public record HandoffConfig(
        Scenario scenario,
        boolean v3,
        int groups,
        int banks,
        ArmSmmuImpl impl,
        boolean tegra,
        HypervisorFilter hypervisor,
        boolean disableBypass,
        String inherit,
        boolean sctlrFix,
        boolean maskFix,
        boolean mapBeforeAttachWorks,
        List<StreamEntry> displayStreams,
        List<Integer> liveEntries,
        List<Client> clients,
        List<Integer> probeOrder,
        long fbPage,
        long fbPages,
        long fwIovaPage,
        long newIovaPage,
        long newPaPage,
        boolean fwTranslated,
        boolean fwTablesReserved,
        boolean fwFramebufferReserved,
        boolean quiesce,
        boolean engineReset,
        boolean explicit,
        boolean readback,
        boolean writer,
        boolean lateSid,
        int displayKernelSid,
        int tegraPassthroughSid,
        String description,
        boolean directRegion,
        boolean translatedRegion,
        boolean passthroughFlag,
        String fwSmr,
        boolean fwUnmatchedAbort,
        boolean fwConflictFault,
        String defaultDomain,
        int fwBank,
        boolean passthroughBypassesSmmu,
        boolean dmaApiDisplay,
        boolean globalFaultFatal,
        boolean rmrInstall,
        boolean dmaIovaBroken,
        boolean foreignLastBank,
        List<Integer> rmrSids,
        int undescribedSid,
        int clampedGroups,
        boolean clampAlways,
        String fwSmrSlot,
        boolean extraPipe,
        boolean acpi,
        boolean hubResetStops,
        boolean displayModule,
        boolean unusedClocksGated,
        boolean directMapBeforeAttach,
        boolean mcSidLocked,
        boolean anyProbeOrder,
        List<Client> litDisplays) {

    /** Where the display driver maps its new buffer: {@code msm_kms_init_aspace} starts at 0x1000. */
    static final long NEW_IOVA_PAGE = 1;

    public static HandoffConfig of(Scenario s) {
        Platform p = s.platform();
        boolean v3 = s.is(Knobs.SMMU_VERSION, "v3");
        boolean acpi = s.is(Knobs.FW_INTERFACE, "acpi");
        // arm_smmu_impl_init: with no of_node only the ACPI platform list picks a vendor impl
        Platform.SmmuImpl impl = acpi ? p.acpi().impl() : p.impl();
        List<Client> clients = clients(p, acpi);
        List<Client> lit = lit(clients, s, p.displayFlavour() == Platform.DisplayFlavour.TEGRA);
        String mba = s.knob(Knobs.KERNEL_MAP_BEFORE_ATTACH);
        boolean mapWorks = mba.equals("works") || mba.equals("auto") && v3;
        long fbPage = p.framebufferPa() / Platform.PAGE;
        boolean translated = s.is(Knobs.FW_MAPPING, "translated");
        long fwIova = translated ? p.translatedIova() / Platform.PAGE : fbPage;
        List<Integer> live = new ArrayList<>();
        if (p.displayFlavour() == Platform.DisplayFlavour.TEGRA) {
            live.add(p.displayStreams().get(0).sid());
        } else if (s.is(Knobs.FW_LIVE_STREAMS, "one")) {
            live.add(p.displayStreams().get(0).sid());
        } else {
            for (StreamEntry e : p.displayStreams()) {
                live.add(e.sid() | e.mask() << 16);
            }
        }
        String desc = s.knob(Knobs.FW_DESCRIPTION);
        boolean zero = s.is(Knobs.FW_IOMMU_ADDRESSES_LENGTH, "zero");
        // of_iommu_get_resv_regions / iort_get_rmrs: which regions the display gets (BRIEF 3.3)
        boolean direct;
        boolean translatedRegion = false;
        boolean rmrInstall = s.is(Knobs.KERNEL_RMR_BYPASS_SMR, "yes");
        boolean iommuAddresses = s.is(Knobs.KERNEL_IOMMU_ADDRESSES, "yes");
        // a zero-length entry before bb57f6705960: iommu_dma_reserve_iova(start, start - 1) corrupts the
        // IOVA rbtree, and the display's DMA mappings fail
        boolean dmaIovaBroken = desc.equals("iommu-addresses") && iommuAddresses && zero
                && s.is(Knobs.KERNEL_ZERO_LENGTH_FIX, "no");
        switch (desc) {
            // iort_iommu_get_resv_regions: the RMR's ranges as IOMMU_RESV_DIRECT for the devices whose
            // stream IDs its ID mappings name (v6.0)
            case "rmr" -> direct = rmrInstall && !s.is(Knobs.FW_RMR_STREAMS, "unrelated");
            case "iommu-addresses" -> {
                direct = iommuAddresses && !zero && !translated;
                translatedRegion = iommuAddresses && !zero && translated && s.is(Knobs.KERNEL_RESV_TRANSLATED, "yes");
            }
            default -> direct = false;
        }
        List<Integer> undescribed = undescribedSids(p, 2);
        boolean engineReset = s.is(Knobs.DISPLAY_RESET, "present")
                && (p.displayFlavour() != Platform.DisplayFlavour.MSM || s.is(Knobs.KERNEL_MDSS_RESET, "yes"));
        // fw.smr-slot=above-clamp: the hardware has groups beyond the 128 the qcom clamp keeps; the
        // model adds one per firmware entry after the modelled low ones
        int groups = p.smrGroups() + (s.is(Knobs.FW_SMR_SLOT, "above-clamp") ? fwEntryCount(s) : 0);
        return new HandoffConfig(s, v3, groups, p.contextBanks(), ArmSmmuImpl.of(impl),
                p.displayFlavour() == Platform.DisplayFlavour.TEGRA,
                new HypervisorFilter(s.is(Knobs.HYP_BYPASS_QUIRK, "yes"), s.is(Knobs.HYP_SMR_WRITES, "ignored"),
                        s.is(Knobs.HYP_CLIENTPD, "ignored")),
                s.is(Knobs.KERNEL_DISABLE_BYPASS, "yes"), s.knob(Knobs.KERNEL_INHERIT),
                s.is(Knobs.KERNEL_QCOM_SCTLR_FIX, "yes"), s.is(Knobs.KERNEL_QCOM_MASK_FIX, "yes"), mapWorks,
                p.displayStreams(), List.copyOf(live), clients, probeOrder(clients, acpi, lit), fbPage, p.framebufferPages(), fwIova,
                NEW_IOVA_PAGE, fbPage + p.framebufferPages() + 0x100, translated,
                s.is(Knobs.FW_TABLES, "reserved"), s.is(Knobs.FW_FRAMEBUFFER, "reserved"), s.is(Knobs.FW_QUIESCE, "yes"), engineReset,
                s.is(Knobs.KERNEL_EXPLICIT_IOMMU, "yes"), s.is(Knobs.KERNEL_DISPLAY_TAKEOVER, "readback-remap"),
                s.is(Knobs.DISPLAY_MASTER, "writer"), s.is(Knobs.KERNEL_TEGRA_LATE_SID, "yes"),
                p.displayStreams().get(0).sid(), p.tegraPassthroughSid(), desc,
                direct, translatedRegion,
                desc.equals("passthrough-flag"), s.knob(Knobs.FW_SMR), s.is(Knobs.FW_UNMATCHED, "abort"),
                s.is(Knobs.FW_CONFLICT_FAULT, "yes"), s.knob(Knobs.KERNEL_DEFAULT_DOMAIN),
                fwBank(s),
                s.is(Knobs.TEGRA_PASSTHROUGH, "bypasses-smmu"),
                p.displayFlavour() == Platform.DisplayFlavour.DMA_API,
                s.is(Knobs.FW_GLOBAL_FAULT, "reset"), rmrInstall, dmaIovaBroken, s.is(Knobs.FW_LAST_BANK, "foreign"),
                rmrSids(s, withLit(live, s.is(Knobs.FW_DESCRIBES, "display-only") ? List.of() : lit), p), undescribed.get(0), p.smrGroups(), s.is(Knobs.KERNEL_QCOM_SMR_CLAMP, "always"),
                s.knob(Knobs.FW_SMR_SLOT), s.is(Knobs.FW_EXTRA_PIPE, "yes"), acpi, s.is(Knobs.DISPLAY_HUB_RESET, "stops-scanout"),
                s.is(Knobs.KERNEL_DISPLAY_DRIVER, "module"),
                // on ACPI the display's clocks and power are the firmware's, not Linux clock or genpd providers'
                !acpi && s.is(Knobs.KERNEL_CLK_IGNORE_UNUSED, "no"), s.is(Knobs.KERNEL_DIRECT_MAP_ORDER, "before-attach"),
                s.is(Knobs.FW_MC_SID_LOCK, "locked"), s.is(Knobs.KERNEL_PROBE_ORDER, "any"), lit);
    }

    /** How many stream-match entries the firmware programs for the display ({@code fw.smr}). */
    private static int fwEntryCount(Scenario s) {
        Platform p = s.platform();
        if (p.displayFlavour() == Platform.DisplayFlavour.TEGRA || s.is(Knobs.FW_SMR, "superset")) {
            return 1;
        }
        return p.displayStreams().size();
    }

    /** The display's firmware context bank: the last with {@code fw.last-bank=display}, else {@code fw.context-bank}. */
    static int fwBank(Scenario s) {
        return s.is(Knobs.FW_LAST_BANK, "display") ? s.platform().contextBanks() - 1
                : Integer.parseInt(s.knob(Knobs.FW_CONTEXT_BANK));
    }

    /**
     * The lowest {@code n} stream IDs that no described entry (display, other master) matches: the
     * first stands for a master no DT or IORT entry names (isolation), the second for the ID an
     * unrelated RMR names.
     */
    static List<Integer> undescribedSids(Platform p, int n) {
        List<StreamEntry> described = new ArrayList<>(p.displayStreams());
        p.masters().forEach(m -> described.addAll(m.streams()));
        List<Integer> out = new ArrayList<>();
        for (int sid = 0; sid <= 0x7fff && out.size() < n; sid++) {
            final int id = sid;
            if (described.stream().noneMatch(e -> e.matches(id)) && id != p.tegraPassthroughSid()) {
                out.add(sid);
            }
        }
        return out;
    }

    /** The stream IDs the IORT RMR names ({@code fw.rmr-streams}). */
    private static List<Integer> rmrSids(Scenario s, List<Integer> live, Platform p) {
        return s.is(Knobs.FW_RMR_STREAMS, "unrelated") ? List.of(undescribedSids(p, 2).get(1))
                : dev.handoff.model.smmu.Resolver.enumerate(live);
    }

    /** An RMR, installed by this kernel, names the display's live stream IDs. */
    public boolean rmrCoversDisplay() {
        return description.equals("rmr") && rmrInstall && liveSids().stream().anyMatch(rmrSids::contains);
    }

    /** Every stream ID the display's live entries cover (the IORT RMR's ID mappings carry the same IDs). */
    public List<Integer> liveSids() {
        return dev.handoff.model.smmu.Resolver.enumerate(liveEntries);
    }

    /**
     * The clients: the display at index 0, then the other masters. On ACPI a master has stream IDs
     * only through single ID mappings ({@code iort_nc_iommu_map} stops at the first range mapping):
     * without them it is no client at all.
     */
    public static List<Client> clients(Platform p, boolean acpi) {
        List<Client> out = new ArrayList<>();
        out.add(new Client(0, "display", p.displayCompatible(), p.displayStreams(), Tables.DISPLAY_DEFAULT,
                p.displayCompatible().isEmpty() ? List.of() : List.of(p.displayCompatible())));
        if (acpi && !p.acpi().singleMappings()) {
            return List.copyOf(out);
        }
        List<Master> masters = p.masters();
        for (int k = 0; k < masters.size(); k++) {
            String label = masters.size() == 1 ? "other" : "other" + (k + 1);
            out.add(new Client(k + 1, label, masters.get(k).name(), masters.get(k).streams(), Tables.otherDefault(k + 1),
                    masters.get(k).compatible()));
        }
        return List.copyOf(out);
    }

    /**
     * Bus order: the other masters (lower addresses in the DT) first, then the display. An ACPI
     * boot binds no display driver (msm, tegra and hdlcd match only device trees), and a device's
     * IOMMU is probed from really_probe -> dma_configure when a driver binds: the display, and the
     * other displays the firmware lit (the display's driver drives them), are not probed.
     */
    static List<Integer> probeOrder(List<Client> clients, boolean acpi, List<Client> lit) {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i < clients.size(); i++) {
            int k = i;
            if (!acpi || lit.stream().noneMatch(x -> x.index() == k)) {
                out.add(i);
            }
        }
        if (!acpi) {
            out.add(0);
        }
        return List.copyOf(out);
    }

    /** Whether the qcom hooks are installed. */
    public boolean qcomImpl() {
        return impl instanceof ArmSmmuImpl.Qcom;
    }

    /**
     * The other display controllers the firmware lit ({@code fw.programmed=displays} or
     * {@code all-described}): each scans the splash through the firmware's context bank. Tegra's
     * heads are not among them: they share the display's stream ID, which the memory controller
     * rewrites for all of them, so their fetch is the display's.
     */
    static List<Client> lit(List<Client> clients, Scenario s, boolean tegra) {
        if (tegra || s.is(Knobs.FW_PROGRAMMED, "display")) {
            return List.of();
        }
        return clients.subList(1, clients.size()).stream().filter(Client::displayController).toList();
    }

    /**
     * Whether the firmware's description of the live mapping ({@code fw.description}: passthrough
     * flag, iommu-addresses) covers client {@code device}: the display, and with
     * {@code fw.describes=every-lit-display} every display it lit.
     */
    public boolean describedAsLive(int device) {
        return device == 0 || !scenario.is(Knobs.FW_DESCRIBES, "display-only") && handledAsDisplay(device);
    }

    /** The display's live entries and every lit display's: what an RMR describing the live mappings names. */
    private static List<Integer> withLit(List<Integer> live, List<Client> lit) {
        List<Integer> all = new ArrayList<>(live);
        lit.forEach(k -> all.addAll(k.entries()));
        return all;
    }

    /**
     * Whether client {@code device} is driven as the display: the display itself, or another display
     * the firmware lit, whose driver, the display's, opts out of the default domain as the display's
     * does ({@code kernel.explicit-iommu}) and binds when the display's does.
     */
    public boolean handledAsDisplay(int device) {
        if (device == 0) {
            return true;
        }
        for (Client k : litDisplays) {
            if (k.index() == device) {
                return true;
            }
        }
        return false;
    }

    /** The other clients the firmware left a BYPASS stream-match entry (v3: a bypass STE) for ({@code fw.programmed=all-described}). */
    public List<Client> fwBypassed() {
        if (!scenario.is(Knobs.FW_PROGRAMMED, "all-described")) {
            return List.of();
        }
        return masters().stream().filter(m -> !m.displayController()).toList();
    }

    /** The display's client. */
    public Client display() {
        return clients.get(0);
    }

    /** Every client but the display. */
    public List<Client> masters() {
        return clients.subList(1, clients.size());
    }

    /** The client one of whose entries matches {@code sid}, the display first, or null. */
    public Client clientOf(int sid) {
        for (Client c : clients) {
            if (c.owns(sid)) {
                return c;
            }
        }
        return null;
    }
}
