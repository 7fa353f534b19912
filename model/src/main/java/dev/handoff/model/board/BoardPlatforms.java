package dev.handoff.model.board;

import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Master;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.StreamEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a board's facts into model platforms, one per enabled display behind an enabled ARM
 * SMMU. The facts fix the stream IDs and masks, the SMMU's hooks and size, whether the display
 * has a reset and whether a no-map region covers the scanout; what the tree cannot say (the
 * firmware's mapping and stream-match entry) is left to be varied.
 */
public final class BoardPlatforms {
    /** Model SMR groups per board: the low indices, where firmware and Linux allocate. */
    static final int GROUPS = 8;
    /** At most this many context banks are modelled (the last one matters to qcom's bypass bank). */
    static final int MAX_BANKS = 128;
    static final long DEFAULT_FB_PA = 0x8000_0000L;
    static final long DEFAULT_FB_BYTES = 8_298_496L;
    /** Larger described scanouts are taken for corrupt facts. */
    static final long MAX_FB_BYTES = 4L << 30;

    /**
     * The compatibles of 6.12's {@code qcom_smmu_impl_of_match} whose match data carries an impl
     * with {@code qcom_smmu_cfg_probe} (arm-smmu-qcom.c): msm8996's has none, and an adreno SMMU
     * gets the adreno impl, neither of which reads back the bootloader's stream map.
     */
    static final java.util.Set<String> QCOM_IMPL = java.util.Set.of("qcom,msm8998-smmu-v2", "qcom,qcm2290-smmu-500",
            "qcom,qdu1000-smmu-500", "qcom,sc7180-smmu-500", "qcom,sc7180-smmu-v2", "qcom,sc7280-smmu-500",
            "qcom,sc8180x-smmu-500", "qcom,sc8280xp-smmu-500", "qcom,sdm630-smmu-v2", "qcom,sdm670-smmu-v2",
            "qcom,sdm845-smmu-v2", "qcom,sdm845-smmu-500", "qcom,sm6115-smmu-500", "qcom,sm6125-smmu-500",
            "qcom,sm6350-smmu-v2", "qcom,sm6350-smmu-500", "qcom,sm6375-smmu-v2", "qcom,sm6375-smmu-500",
            "qcom,sm7150-smmu-v2", "qcom,sm8150-smmu-500", "qcom,sm8250-smmu-500", "qcom,sm8350-smmu-500",
            "qcom,sm8450-smmu-500", "qcom,smmu-500");

    /** A display the model can check, with the platform built for it and what was assumed. */
    public record Target(BoardFacts.Device display, BoardFacts.Smmu smmu, Platform platform, List<String> notes) {
    }

    /**
     * {@code t} with a note for each knob in {@code given} (a scenario file's knobs and
     * {@code --set}) that replaces a value the board's file states or implies: the user's value
     * wins, as a "what if", and the report says so rather than showing the board's facts beside
     * verdicts that do not use them.
     */
    public static Target overridden(Target t, Map<String, String> given) {
        Map<String, String> board = new LinkedHashMap<>(t.platform().knobDefaults());
        board.putIfAbsent(Knobs.SMMU_VERSION, t.smmu().v3() ? "v3" : "v2");
        List<String> notes = new ArrayList<>(t.notes());
        given.forEach((k, v) -> {
            String was = board.get(k);
            if (was != null && !was.equals(v)) {
                notes.add(k + "=" + v + " given: it replaces the board's " + k + "=" + was);
            }
        });
        return notes.size() == t.notes().size() ? t : new Target(t.display(), t.smmu(), t.platform(), List.copyOf(notes));
    }

    /** No display of the board can be checked; the message says why in one line. */
    public static final class NoMatrixException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NoMatrixException(String message) {
            super(message);
        }
    }

    private BoardPlatforms() {
    }

    public static List<Target> targets(BoardFacts f) {
        List<String> why = new ArrayList<>();
        List<Target> out = new ArrayList<>();
        List<BoardFacts.Device> displays = f.devices().stream().filter(d -> d.role().equals("display")).toList();
        if (displays.stream().noneMatch(BoardFacts.Device::enabled)) {
            throw new NoMatrixException(displays.isEmpty() ? "no display controller found (by compatible)"
                    : "every display controller is disabled (" + String.join(", ", displays.stream().map(BoardFacts.Device::path).toList()) + ")");
        }
        for (BoardFacts.Device d : displays) {
            if (!d.enabled()) {
                continue;
            }
            if (d.streams().isEmpty()) {
                if (!DeviceTreeReader.underDisplayWithIommus(d, f.devices())) {
                    why.add(d.path() + (f.acpi() ? " has no stream ID Linux takes (single ID mappings onto an SMMU)"
                            : DeviceTreeReader.unusableIommus(d, f.findings())
                            ? " has no usable iommus entry (see its malformed-iommus or dangling-phandle finding)" : " has no iommus"));
                }
                continue;
            }
            String smmuPath = d.streams().get(0).smmu();
            BoardFacts.Smmu smmu = f.smmus().stream().filter(s -> s.path().equals(smmuPath)).findFirst().orElse(null);
            if (smmu == null || !smmu.arm()) {
                why.add(d.path() + " sits behind " + smmuPath + (smmu == null ? "" : " (" + String.join(", ", smmu.compatible()) + ")")
                        + ", which is not an ARM SMMU");
                continue;
            }
            if (!smmu.enabled()) {
                why.add(d.path() + " sits behind " + smmuPath + ", which is disabled");
                continue;
            }
            long entries = d.streams().stream().filter(s -> s.smmu().equals(smmuPath)).count();
            if (entries > MAX_DISPLAY_ENTRIES) {
                why.add(d.path() + " has " + entries + " stream entries on " + smmuPath + "; the model holds at most "
                        + MAX_DISPLAY_ENTRIES + " (the firmware's and Linux's entries must fit the " + MAX_GROUPS + " stream-match groups modelled)");
                continue;
            }
            out.add(target(f, d, smmu));
        }
        if (out.isEmpty()) {
            throw new NoMatrixException(String.join("; ", why));
        }
        return out;
    }

    private static Target target(BoardFacts f, BoardFacts.Device d, BoardFacts.Smmu smmu) {
        List<String> notes = new ArrayList<>();
        Map<String, String> knobs = new LinkedHashMap<>();
        List<StreamEntry> streams = d.streams().stream().filter(s -> s.smmu().equals(smmu.path()))
                .map(s -> new StreamEntry(s.sid(), s.mask())).toList();
        boolean qcom = smmu.compatible().stream().anyMatch(QCOM_IMPL::contains) && !smmu.compatible().contains("qcom,adreno-smmu");
        boolean nvidia = smmu.compatible().contains("nvidia,smmu-500");
        Platform.SmmuImpl impl = qcom ? Platform.SmmuImpl.QCOM : nvidia ? Platform.SmmuImpl.NVIDIA : Platform.SmmuImpl.GENERIC;
        boolean tegra = d.compatible().stream().anyMatch(c -> c.matches("nvidia,tegra[0-9]+-dc"));
        boolean msm = d.compatible().stream().anyMatch(c -> c.startsWith("qcom,"));
        if (smmu.v3()) {
            knobs.put(Knobs.SMMU_VERSION, "v3");
        }
        knobs.put(Knobs.DISPLAY_RESET, d.hasResets() ? "present" : "absent");
        knobs.put(Knobs.FW_INTERFACE, f.acpi() ? "acpi" : "dt");
        if (qcom) {
            knobs.put(Knobs.FW_GLOBAL_FAULT, "reset");
            notes.add("fw.global-fault=reset assumed: reports from Qualcomm machines describe resets on SMMU global faults [UNVERIFIED]");
        }
        if (smmu.compatible().contains("qcom,sdm845-smmu-500")) {
            knobs.put(Knobs.HYP_BYPASS_QUIRK, "yes");
            notes.add("hyp.bypass-quirk=yes assumed: qcom's S2CR quirk was written for sdm845-family firmware [READING]");
        }
        BoardFacts.Region rmr = rmrFor(f, d, smmu);
        if (rmr != null) {
            knobs.put(Knobs.FW_DESCRIPTION, "rmr");
            notes.add("fw.description=rmr: " + rmr.path() + " names the display's stream IDs");
        }
        if (!f.acpi()) {
            iommuAddresses(f, d, knobs, notes);
        }
        long[] fb = rmr != null && rmr.size() > 0 ? new long[] {rmr.base(), rmr.size()} : framebuffer(f, d);
        if (fb != null && (fb[0] < 0 || fb[1] <= 0 || fb[1] > MAX_FB_BYTES
                || fb[0] > Platform.ADDRESS_LIMIT - fb[1] - Platform.PAGE)) {
            notes.add("the described scanout (" + hex(fb[0]) + " + " + hex(fb[1]) + ") is not a plausible framebuffer; ignored");
            fb = null;
        }
        if (fb == null) {
            notes.add("framebuffer not described: a representative 8 MiB at " + hex(DEFAULT_FB_PA) + " is used");
            fb = new long[] {DEFAULT_FB_PA, DEFAULT_FB_BYTES};
        } else {
            boolean covered = coveredByReserved(f, fb[0], fb[1]);
            knobs.put(Knobs.FW_FRAMEBUFFER, covered ? "reserved" : "unreserved");
            notes.add("fw.framebuffer=" + (covered ? "reserved" : "unreserved") + ": the scanout at " + hex(fb[0]) + " is "
                    + (covered ? "" : "not ") + "inside reserved memory");
        }
        long base = fb[0] & ~(Platform.PAGE - 1);
        long size = ((fb[0] + fb[1] + Platform.PAGE - 1) & ~(Platform.PAGE - 1)) - base;
        List<Master> masters = masters(f, d, smmu);
        if (masters.isEmpty()) {
            notes.add("no other enabled master on " + smmu.path() + ": isolation has nothing to check");
        }
        int banks = Math.max(2, Math.min(MAX_BANKS, smmu.contextInterrupts()));
        if (smmu.contextInterrupts() > MAX_BANKS) {
            notes.add(smmu.contextInterrupts() + " context interrupts: " + MAX_BANKS + " context banks modelled");
        }
        int groups = groups(streams, masters);
        String name = f.model().isEmpty() ? d.path() : f.model();
        Platform p = new Platform(name, f.source() + ": " + d.path() + " behind " + smmu.path(), impl, groups, banks,
                d.compatible().isEmpty() ? "" : d.compatible().get(0), streams,
                tegra ? Platform.DisplayFlavour.TEGRA : msm ? Platform.DisplayFlavour.MSM : Platform.DisplayFlavour.DMA_API,
                base, size, 0x4000_0000L,
                masters, tegra ? 0x7f : -1, knobs,
                // an IORT board's facts are its ACPI facts: the clients' stream IDs are what it maps (the
                // qcom impl would need the header's OEM match, which is not read); a DTB says nothing of ACPI
                f.acpi() ? new Platform.AcpiFacts(Platform.SmmuImpl.GENERIC, true) : Platform.AcpiFacts.GENERIC_RANGES);
        return new Target(d, smmu, p, notes);
    }

    /**
     * Every enabled master but the display with {@code iommus} on the display's SMMU, each with all
     * its entries there, in device-tree order (the order {@code of_platform_populate} creates them).
     * Another display controller is a client like any other (Tegra's heads share one stream ID, so
     * they share a stream map entry and an IOMMU group); that it may be scanning too is not modelled.
     */
    static List<Master> masters(BoardFacts f, BoardFacts.Device display, BoardFacts.Smmu smmu) {
        List<Master> out = new ArrayList<>();
        for (BoardFacts.Device o : f.devices()) {
            if (o == display || !o.enabled()) {
                continue;
            }
            List<StreamEntry> st = o.streams().stream().filter(s -> s.smmu().equals(smmu.path()))
                    .map(s -> new StreamEntry(s.sid(), s.mask())).toList();
            if (!st.isEmpty()) {
                out.add(new Master(o.path(), st, o.compatible()));
            }
        }
        return out;
    }

    /**
     * Stream-match groups to model. The DT does not say how many the hardware has (ID0.NUMSMRG);
     * {@code arm_smmu_find_sme} hands out the lowest free index and firmware's entries sit in the
     * low ones, so groups above every client's and firmware's entries only ever hold their reset
     * value: the model keeps as many as the clients can take (each entry its own group), plus
     * the firmware's and one free group for {@code arm_smmu_test_smr_masks}, at least {@link #GROUPS}
     * and at most qcom's clamp of 128. Assumed: the hardware has that many [UNVERIFIED per SoC].
     */
    /** The most stream-match groups modelled: qcom's clamp of 128. */
    static final int MAX_GROUPS = 128;

    /** A display's entries the model holds: 2n + 1 stream-match groups, at most 128 ({@link #groups}). */
    static final int MAX_DISPLAY_ENTRIES = (MAX_GROUPS - 1) / 2;

    static int groups(List<StreamEntry> display, List<Master> masters) {
        int n = display.size() * 2 + 1;
        for (Master m : masters) {
            n += m.streams().size();
        }
        return Math.max(GROUPS, Math.min(MAX_GROUPS, n));
    }

    /** An IORT RMR whose stream IDs overlap the display's on its SMMU, or null. */
    static BoardFacts.Region rmrFor(BoardFacts f, BoardFacts.Device d, BoardFacts.Smmu smmu) {
        for (BoardFacts.Region r : f.regions()) {
            for (BoardFacts.Stream rs : r.rmrStreams()) {
                for (BoardFacts.Stream ds : d.streams()) {
                    if (rs.smmu().equals(smmu.path()) && ds.smmu().equals(smmu.path())
                            && ((rs.sid() ^ ds.sid()) & ~(rs.mask() | ds.mask()) & 0x7fff) == 0) {
                        return r;
                    }
                }
            }
        }
        return null;
    }

    /** The scanout: a simple-framebuffer's stride × height, else the display's first memory-region. */
    /**
     * The display's {@code iommu-addresses}, as {@code of_iommu_get_resv_regions} (6.12
     * of_iommu.c:203-260) reads them: from the regions the display node's own {@code memory-region}
     * lists, the entries whose phandle is the display node itself; a zero length is skipped ("Cannot
     * reserve IOVA region of 0 size"); an entry is a direct mapping only when it equals the region's
     * {@code reg} exactly ({@code iommu_resv_region_get_type}), else a reservation, never mapped.
     * Every entry counts: a direct one gives {@code fw.description=iommu-addresses} with
     * {@code fw.mapping=identity}; else one at another IOVA gives {@code fw.mapping=translated} (the
     * kernel only reserves it); else a zero-length one gives the length {@code zero}; a same-IOVA
     * entry of another length, or one in a region without {@code reg}, reserves the splash's own
     * address and maps nothing: described as nothing. The entries are those the reader took for the display as the kernel walks the property
     * for it ({@link DmaBus#entries}: the display's DMA parent's cells, translated through
     * dma-ranges).
     */
    static void iommuAddresses(BoardFacts f, BoardFacts.Device d, Map<String, String> knobs, List<String> notes) {
        String direct = null;
        String elsewhere = null;
        String zero = null;
        String neither = null;
        for (String path : d.memoryRegions()) {
            for (BoardFacts.Region r : f.regions()) {
                if (!r.path().equals(path)) {
                    continue;
                }
                for (BoardFacts.IommuAddress a : r.iommuAddresses()) {
                    if (!a.device().equals(d.path())) {
                        continue;
                    }
                    String entry = r.path() + " iommu-addresses " + hex(a.iova()) + " + " + hex(a.size());
                    boolean hasReg = r.base() >= 0 && r.size() > 0;
                    if (a.size() == 0) {
                        zero = zero == null ? entry : zero;
                    } else if (hasReg && a.iova() == r.base() && a.size() == r.size()) {
                        direct = direct == null ? entry : direct;
                    } else if (hasReg && a.iova() != r.base()) {
                        elsewhere = elsewhere == null ? entry : elsewhere;
                    } else {
                        neither = neither == null ? entry : neither;
                    }
                }
            }
        }
        // every entry is a region of its own (the kernel collects them all): one that maps the
        // splash 1:1 decides; else one that reserves another IOVA; a zero-length one is skipped
        // since the fix, and before it corrupts the IOVA allocator (fw.iommu-addresses-length=zero)
        if (direct != null) {
            knobs.put(Knobs.FW_DESCRIPTION, "iommu-addresses");
            knobs.put(Knobs.FW_MAPPING, "identity");
            notes.add("fw.description=iommu-addresses, fw.mapping=identity: " + direct + " equals the region's reg (IOMMU_RESV_DIRECT)");
        } else if (elsewhere != null) {
            knobs.put(Knobs.FW_DESCRIPTION, "iommu-addresses");
            knobs.put(Knobs.FW_MAPPING, "translated");
            notes.add("fw.description=iommu-addresses, fw.mapping=translated: " + elsewhere + " maps the splash at another IOVA"
                    + " (6.12 reserves it, never maps it)");
        } else if (zero != null) {
            knobs.put(Knobs.FW_DESCRIPTION, "iommu-addresses");
            knobs.put(Knobs.FW_IOMMU_ADDRESSES_LENGTH, "zero");
            notes.add("fw.description=iommu-addresses, fw.iommu-addresses-length=zero: " + zero);
        } else if (neither != null) {
            notes.add(neither + " is not the region's reg: 6.12 treats it as a reservation and maps nothing; described as nothing");
        }
    }

    static long[] framebuffer(BoardFacts f, BoardFacts.Device d) {
        for (BoardFacts.Framebuffer fb : f.framebuffers()) {
            long scan = fb.stride() * fb.height();
            if (fb.base() >= 0 && scan > 0) {
                return new long[] {fb.base(), scan};
            }
        }
        for (String r : d.memoryRegions()) {
            for (BoardFacts.Region region : f.regions()) {
                if (region.path().equals(r) && region.base() >= 0 && region.size() > 0) {
                    return new long[] {region.base(), region.size()};
                }
            }
        }
        return null;
    }

    /**
     * Whether reserved memory covers {@code [base, base + size)}: regions the page allocator never
     * gets ({@link BoardFacts.Region#reserved}: {@code no-map} or not, unless {@code reusable}).
     */
    static boolean coveredByReserved(BoardFacts f, long base, long size) {
        long at = base;
        long end = base + size;
        boolean progress = true;
        while (at < end && progress) {
            progress = false;
            for (BoardFacts.Region r : f.regions()) {
                if (r.reserved() && r.base() <= at && r.base() + r.size() > at) {
                    at = r.base() + r.size();
                    progress = true;
                }
            }
        }
        return at >= end;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
