package dev.handoff.model.board;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds {@link BoardFacts} from a device tree: every ARM SMMU, every device whose {@code iommus}
 * refers to an IOMMU, the display controllers and GPUs (recognised by compatible, never by node
 * name, which changes between kernel versions), {@code memory-region} links, {@code /reserved-memory}
 * and {@code simple-framebuffer} nodes, and the findings.
 */
public final class DeviceTreeReader {
    /** Blobs larger than this are refused before they are read (the kernel's DTBs are below 1 MiB). */
    public static final long MAX_BYTES = 64L << 20;

    private static final Pattern ARM_SMMU = Pattern.compile(
            "arm,mmu-500|arm,smmu-v1|arm,smmu-v2|arm,mmu-400|arm,mmu-401|arm,smmu-v3|qcom,smmu-v2|qcom,smmu-500"
                    + "|qcom,[a-z0-9]+-smmu-500|qcom,[a-z0-9]+-smmu-v2|qcom,adreno-smmu|nvidia,smmu-500");
    private static final Pattern DISPLAY = dev.handoff.model.scenario.Master.DISPLAY_COMPATIBLE;
    private static final Pattern GPU = Pattern.compile(
            "qcom,adreno(?:-[0-9a-f.]+)?|qcom,adreno-gmu|arm,mali-(?:t[0-9]+|g[0-9]+|bifrost|midgard|valhall)|nvidia,g[pvan][0-9]+b"
                    + "|img,powervr-[a-z0-9]+|vivante,gc");

    private DeviceTreeReader() {
    }

    /** Reads a DTB file. */
    public static BoardFacts read(Path file) {
        return facts(file.toString(), parse(file));
    }

    /** Parses a DTB file: refused past {@link #MAX_BYTES}, a missing or unreadable file in one line. */
    public static Fdt parse(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new BoardInputException(file + " is a directory");
            }
            bytes = dev.handoff.model.io.InputFiles.read(file, (int) MAX_BYTES);
            if (bytes == null) {
                throw new BoardInputException(file + ": larger than any device tree (limit " + MAX_BYTES + " bytes)");
            }
        } catch (NoSuchFileException e) {
            throw new BoardInputException(file + " does not exist");
        } catch (IOException e) {
            throw new BoardInputException(file + ": " + e.getMessage());
        }
        return Fdt.parse(file.toString(), bytes);
    }

    public static BoardFacts facts(String source, Fdt fdt) {
        List<BoardFacts.Finding> findings = new ArrayList<>();
        List<BoardFacts.Smmu> smmus = new ArrayList<>();
        List<BoardFacts.Device> devices = new ArrayList<>();
        for (DtNode n : fdt.nodes()) {
            if (n.has("#iommu-cells")) {
                BoardFacts.Smmu smmu = smmu(fdt, n);
                smmus.add(smmu);
                if (smmu.arm() && !smmu.v3() && smmu.enabled()) {
                    probeFailure(smmu, n.has("#global-interrupts")).ifPresent(findings::add);
                }
            }
        }
        for (DtNode n : fdt.nodes()) {
            String role = role(n.compatible());
            if (n.has("iommus") || !role.equals("other")) {
                if (!n.has("iommus") && role.equals("other")) {
                    continue;
                }
                List<BoardFacts.Stream> streams = streams(source, fdt, n, findings);
                List<String> regions = new ArrayList<>();
                for (long ph : n.cells("memory-region")) {
                    DtNode r = fdt.byPhandle(ph);
                    if (r == null) {
                        findings.add(new BoardFacts.Finding("dangling-phandle", n.path() + ": memory-region refers to phandle 0x"
                                + Long.toHexString(ph) + ", which no node has"));
                    } else {
                        regions.add(r.path());
                    }
                }
                devices.add(new BoardFacts.Device(n.path(), n.compatible(), role, n.enabled(), streams, regions, n.has("resets")));
            }
        }
        List<BoardFacts.Region> regions = regions(fdt, findings);
        List<BoardFacts.Framebuffer> fbs = framebuffers(fdt);
        findings(fdt, smmus, devices, regions, fbs, findings);
        String model = fdt.root().string("model");
        return new BoardFacts(source, model == null ? "" : model, false, smmus, devices, regions, fbs, findings);
    }

    static String role(List<String> compatible) {
        for (String c : compatible) {
            if (DISPLAY.matcher(c).matches()) {
                return "display";
            }
        }
        for (String c : compatible) {
            if (GPU.matcher(c).matches()) {
                return "gpu";
            }
        }
        return "other";
    }

    /**
     * Why {@code arm_smmu_device_probe} (6.12 arm-smmu.c:2140-2224) refuses an SMMUv1/v2 for its
     * interrupts, if it does: the device tree lacks {@code #global-interrupts}
     * ({@code arm_smmu_device_dt_probe}), or no interrupt is left for context banks. Linux then never
     * resets that SMMU; the matrix still models a probing one, so the finding says so.
     */
    static java.util.Optional<BoardFacts.Finding> probeFailure(BoardFacts.Smmu smmu, boolean globalInterruptsStated) {
        String why = !globalInterruptsStated ? "no #global-interrupts property (\"missing #global-interrupts property\")"
                : smmu.contextInterrupts() <= 0 ? "no context interrupt (" + smmu.globalInterrupts()
                        + " global ones and nothing more: \"found N interrupts but expected at least " + (smmu.globalInterrupts() + 1) + "\")"
                : null;
        return why == null ? java.util.Optional.empty() : java.util.Optional.of(new BoardFacts.Finding("smmu-probe-fails",
                smmu.path() + ": " + why + ": arm_smmu_device_probe fails with -ENODEV, so Linux never resets this SMMU and"
                        + " its clients' probes wait for it; the matrix models an SMMU that probes"));
    }

    /** Whether {@code d} has an {@code iommus} property that a finding says Linux cannot use. */
    static boolean unusableIommus(BoardFacts.Device d, List<BoardFacts.Finding> findings) {
        return findings.stream().anyMatch(x -> (x.kind().equals("malformed-iommus") || x.kind().equals("dangling-phandle"))
                && x.message().startsWith(d.path() + ":"));
    }

    static boolean isArmSmmu(List<String> compatible) {
        return compatible.stream().anyMatch(c -> ARM_SMMU.matcher(c).matches());
    }

    private static BoardFacts.Smmu smmu(Fdt fdt, DtNode n) {
        int global = (int) n.cell("#global-interrupts", 0);
        int irqs = interruptCount(fdt, n);
        return new BoardFacts.Smmu(n.path(), n.compatible(), isArmSmmu(n.compatible()),
                n.compatible().contains("arm,smmu-v3"), (int) n.cell("#iommu-cells", 1),
                (int) n.cell("stream-match-mask", 0), global, Math.max(0, irqs - global), n.enabled());
    }

    /** Entries of {@code interrupts} (cells of the interrupt parent each) or {@code interrupts-extended}. */
    static int interruptCount(Fdt fdt, DtNode n) {
        if (n.has("interrupts-extended")) {
            long[] c = n.cells("interrupts-extended");
            int count = 0;
            for (int i = 0; i < c.length && count < 4096; count++) {
                DtNode p = fdt.byPhandle(c[i]);
                long cells = p == null ? 1 : p.cell("#interrupt-cells", 1);
                if (cells < 0 || cells > 8) {
                    break;
                }
                i += 1 + (int) cells;
            }
            return count;
        }
        long cells = 1;
        for (DtNode a = n; a != null; a = a.parent()) {
            if (a.has("interrupt-parent")) {
                DtNode p = fdt.byPhandle(a.cell("interrupt-parent", -1));
                if (p != null) {
                    cells = p.cell("#interrupt-cells", 1);
                }
                break;
            }
        }
        if (cells < 1 || cells > 8) {
            return 0;
        }
        return n.cells("interrupts").length / (int) cells;
    }

    /** {@code iommus}: a phandle and that IOMMU's {@code #iommu-cells} cells per entry ({@code of_iommu_xlate}). */
    private static List<BoardFacts.Stream> streams(String source, Fdt fdt, DtNode n, List<BoardFacts.Finding> findings) {
        List<BoardFacts.Stream> out = new ArrayList<>();
        long[] c = n.cells("iommus");
        int i = 0;
        while (i < c.length) {
            DtNode iommu = fdt.byPhandle(c[i]);
            if (iommu == null) {
                findings.add(new BoardFacts.Finding("dangling-phandle", n.path() + ": iommus refers to phandle 0x"
                        + Long.toHexString(c[i]) + ", which no node has"));
                break;
            }
            long cells = iommu.cell("#iommu-cells", -1);
            if (!iommu.has("#iommu-cells")) {
                // of_parse_phandle_with_args fails ("could not get #iommu-cells"); of_dma_configure_id
                // then sets the device up without an IOMMU
                findings.add(new BoardFacts.Finding("malformed-iommus", n.path() + ": iommus entry at cell " + i + " names "
                        + iommu.path() + ", which has no #iommu-cells (not an IOMMU): Linux gives the device no IOMMU"));
                break;
            }
            if (cells < 0 || cells > 4 || i + 1 + cells > c.length) {
                findings.add(new BoardFacts.Finding("malformed-iommus", n.path() + ": iommus entry at cell " + i
                        + " does not fit " + iommu.path() + "'s #iommu-cells = " + cells));
                break;
            }
            int sid = cells >= 1 ? (int) (c[i + 1] & 0xffff) : 0;
            int mask = cells >= 2 ? (int) (c[i + 2] & 0xffff) : (int) (iommu.cell("stream-match-mask", 0) & 0xffff);
            out.add(new BoardFacts.Stream(iommu.path(), sid, mask));
            i += 1 + (int) cells;
        }
        return out;
    }

    private static long[] reg(DtNode n) {
        DtNode p = n.parent();
        int ac = p == null ? 2 : p.addressCells();
        int sc = p == null ? 1 : p.sizeCells();
        long[] c = n.cells("reg");
        if (ac < 1 || ac > 2 || sc < 0 || sc > 2 || c.length < ac + sc) {
            return null;
        }
        long base = 0;
        for (int i = 0; i < ac; i++) {
            base = base << 32 | c[i];
        }
        long size = 0;
        for (int i = 0; i < sc; i++) {
            size = size << 32 | c[ac + i];
        }
        return new long[] {base, size};
    }

    /**
     * The {@code /reserved-memory} children and the {@code /memreserve/} entries. A region's
     * {@code iommu-addresses} entries are read per device that lists the region in its
     * {@code memory-region}, as {@code of_iommu_get_resv_regions} reads them for that device
     * ({@link DmaBus#entries}: the device's DMA parent's cells, translated through dma-ranges);
     * entries naming devices that do not link the region, which the kernel never reads, are
     * listed as written, each in its device's cells.
     */
    private static List<BoardFacts.Region> regions(Fdt fdt, List<BoardFacts.Finding> findings) {
        List<BoardFacts.Region> out = new ArrayList<>();
        DtNode rm = fdt.find("/reserved-memory");
        for (DtNode r : rm == null ? List.<DtNode>of() : rm.children()) {
            long[] reg = reg(r);
            if (reg != null && (reg[0] < 0 || reg[1] < 0 || reg[0] + reg[1] < 0)) {
                // 64-bit cells past 2^63 (or a sum that wraps) describe no memory this model places: said, not
                // shown as a region placed at boot or with a negative size
                findings.add(new BoardFacts.Finding("reserved-memory-out-of-range", r.path() + ": reg 0x" + Long.toHexString(reg[0])
                        + " + 0x" + Long.toHexString(reg[1]) + " runs past 2^63; the region is ignored"));
                continue;
            }
            List<BoardFacts.IommuAddress> ia = new ArrayList<>();
            long[] c = r.cells("iommu-addresses");
            if (c.length > 0) {
                long ph = r.cell("phandle", -1);
                List<DtNode> linked = new ArrayList<>();
                for (DtNode n : fdt.nodes()) {
                    for (long x : n.cells("memory-region")) {
                        if (x == ph && ph >= 0 && !linked.contains(n)) {
                            linked.add(n);
                        }
                    }
                }
                for (DtNode dev : linked) {
                    for (long[] e : DmaBus.entries(fdt, dev, c)) {
                        ia.add(new BoardFacts.IommuAddress(dev.path(), e[0], e[1]));
                    }
                }
                for (int i = 0; i < c.length; ) {
                    DtNode dev = fdt.byPhandle(c[i]);
                    if (dev == null) {
                        break;
                    }
                    DtNode bus = DmaBus.parent(fdt, dev);
                    int na = bus == null ? 1 : DmaBus.addressCells(bus);
                    int ns = bus == null ? 1 : DmaBus.sizeCells(bus);
                    if (na < 1 || na > 2 || ns < 0 || ns > 2 || i + 1 + na + ns > c.length) {
                        break;
                    }
                    if (!linked.contains(dev)) {
                        ia.add(new BoardFacts.IommuAddress(dev.path(), DmaBus.read(c, i + 1, na), DmaBus.read(c, i + 1 + na, ns)));
                    }
                    i += 1 + na + ns;
                }
            }
            out.add(new BoardFacts.Region(r.path(), reg == null ? -1 : reg[0], reg == null ? 0 : reg[1], r.has("no-map"),
                    r.has("reusable"), ia, List.of()));
        }
        for (Fdt.Reservation m : fdt.reservations()) {
            if (m.size() > 0) {
                out.add(new BoardFacts.Region("/memreserve/ 0x" + Long.toHexString(m.address()), m.address(), m.size(), false,
                        false, List.of(), List.of()));
            }
        }
        return out;
    }

    private static List<BoardFacts.Framebuffer> framebuffers(Fdt fdt) {
        List<BoardFacts.Framebuffer> out = new ArrayList<>();
        for (DtNode n : fdt.nodes()) {
            if (!n.compatible().contains("simple-framebuffer")) {
                continue;
            }
            long[] reg = reg(n);
            if (reg == null && n.has("memory-region")) {
                DtNode r = fdt.byPhandle(n.cell("memory-region", -1));
                reg = r == null ? null : reg(r);
            }
            out.add(new BoardFacts.Framebuffer(n.path(), reg == null ? -1 : reg[0], reg == null ? 0 : reg[1],
                    n.cell("width", 0), n.cell("height", 0), n.cell("stride", 0), n.string("format")));
        }
        return out;
    }

    private static void findings(Fdt fdt, List<BoardFacts.Smmu> smmus, List<BoardFacts.Device> devices,
                                 List<BoardFacts.Region> regions, List<BoardFacts.Framebuffer> fbs,
                                 List<BoardFacts.Finding> findings) {
        List<long[]> noMap = new ArrayList<>();
        for (BoardFacts.Region r : regions) {
            if (r.reserved()) {
                noMap.add(new long[] {r.base(), r.base() + r.size()});
            }
            for (BoardFacts.IommuAddress a : r.iommuAddresses()) {
                if (a.size() == 0) {
                    findings.add(new BoardFacts.Finding("zero-length-iommu-addresses", r.path() + ": iommu-addresses entry for "
                            + a.device() + " has length 0 (a placeholder firmware should fill; H11)"));
                }
            }
        }
        for (BoardFacts.Framebuffer f : fbs) {
            long scan = f.stride() * f.height();
            if (f.base() >= 0 && scan > 0) {
                exposed(f.path(), f.base(), scan, noMap, findings);
            }
        }
        Set<String> referenced = new HashSet<>();
        for (DtNode n : fdt.nodes()) {
            for (long ph : n.cells("memory-region")) {
                DtNode r = fdt.byPhandle(ph);
                if (r != null) {
                    referenced.add(r.path());
                }
            }
        }
        for (BoardFacts.Region r : regions) {
            String name = r.path().substring(r.path().lastIndexOf('/') + 1).toLowerCase();
            if ((name.contains("splash") || name.startsWith("framebuffer") || name.contains("cont-splash"))
                    && !referenced.contains(r.path())) {
                findings.add(new BoardFacts.Finding("unreferenced-splash", r.path() + ": splash/framebuffer region that no"
                        + " memory-region refers to (the display and simple-framebuffer may know it by address only)"));
            }
        }
        for (BoardFacts.Device d : devices) {
            if (!d.role().equals("display") || !d.enabled()) {
                continue;
            }
            if (d.streams().isEmpty() && !unusableIommus(d, findings) && !underDisplayWithIommus(d, devices) && !overDisplayWithIommus(d, devices)) {
                findings.add(new BoardFacts.Finding("display-without-iommus", d.path() + ": enabled display controller without"
                        + " iommus: its DMA bypasses any IOMMU, or the IOMMU is described elsewhere"));
            }
            for (String region : d.memoryRegions()) {
                for (BoardFacts.Region r : regions) {
                    if (r.path().equals(region) && r.base() >= 0 && r.size() > 0) {
                        exposed(d.path() + " memory-region " + region, r.base(), r.size(), noMap, findings);
                    }
                }
            }
        }
        overlappingStreams(devices, findings);
        boolean described = !fbs.isEmpty() || devices.stream().anyMatch(d -> d.role().equals("display") && !d.memoryRegions().isEmpty());
        if (!described && devices.stream().anyMatch(d -> d.role().equals("display") && d.enabled())) {
            findings.add(new BoardFacts.Finding("framebuffer-not-described", "no simple-framebuffer and no display memory-region:"
                    + " the firmware framebuffer reaches Linux some other way (UEFI GOP?), so its placement is not known here"));
        }
        for (BoardFacts.Smmu s : smmus) {
            if (!s.arm() && s.enabled()) {
                findings.add(new BoardFacts.Finding("non-arm-iommu", s.path() + " (" + String.join(", ", s.compatible())
                        + ") is not an ARM SMMU; handoff does not model it"));
            }
        }
    }

    /**
     * A display wrapper whose display child has iommus: MDP5 under {@code qcom,mdss}.
     * {@code msm_kms_init_aspace} (6.12 msm_kms.c:167-185) maps through the MDP device when it
     * has an IOMMU, else through its parent, the MDSS; {@code msm_mdss.c} itself does no DMA.
     */
    static boolean overDisplayWithIommus(BoardFacts.Device d, List<BoardFacts.Device> devices) {
        return devices.stream().anyMatch(c -> c != d && c.role().equals("display") && c.enabled() && !c.streams().isEmpty()
                && c.path().startsWith(d.path() + "/"));
    }

    /** The most {@code iommus} entries a board may have (a real one has a few hundred): the overlap check is quadratic in the distinct ones. */
    public static final int MAX_STREAM_ENTRIES = 16_384;

    /**
     * What {@code arm_smmu_find_sme} (6.12 arm-smmu.c:1018-1058) makes of the clients' entries,
     * probed in device-tree order ({@code of_platform_populate}): an entry inside one already
     * programmed (its mask bits a subset, its ID equal outside the older mask) reuses that entry,
     * on purpose (the IOMMU core then puts both devices in one group), so identical and covered
     * entries are no finding; an entry that overlaps an older one without lying inside it makes
     * the later client's probe fail with -EINVAL; neither gets an entry of its own. Each distinct
     * entry is looked up as find_sme does, against the entries programmed before it in index
     * order, the first that contains or meets it deciding. One finding per failing entry (with how
     * many devices have it), so the output stays linear in the devices and the work quadratic only
     * in the distinct entries of one SMMU.
     */
    static void overlappingStreams(List<BoardFacts.Device> devices, List<BoardFacts.Finding> findings) {
        Map<String, LinkedHashMap<Long, List<String>>> bySmmu = new LinkedHashMap<>();
        int entries = 0;
        for (BoardFacts.Device d : devices) {
            for (BoardFacts.Stream s : d.streams()) {
                if (++entries > MAX_STREAM_ENTRIES) {
                    throw new BoardInputException("more than " + MAX_STREAM_ENTRIES + " iommus entries: more than handoff reads"
                            + " (a real board has a few hundred)");
                }
                List<String> users = bySmmu.computeIfAbsent(s.smmu(), k -> new LinkedHashMap<>())
                        .computeIfAbsent((long) (s.sid() & 0xffff) << 16 | (s.mask() & 0xffff), k -> new ArrayList<>());
                if (users.isEmpty() || !users.get(users.size() - 1).equals(d.path())) {
                    users.add(d.path());
                }
            }
        }
        for (Map.Entry<String, LinkedHashMap<Long, List<String>>> smmu : bySmmu.entrySet()) {
            // the entries that got a stream map entry of their own, in index order (lowest free first)
            List<long[]> programmed = new ArrayList<>();
            for (Map.Entry<Long, List<String>> e : smmu.getValue().entrySet()) {
                int id = (int) (e.getKey() >>> 16);
                int mask = (int) (e.getKey() & 0xffff);
                String conflict = null;
                boolean reused = false;
                for (long[] p : programmed) {
                    int oid = (int) p[0];
                    int omask = (int) p[1];
                    if ((mask & omask) == mask && ((id ^ oid) & ~omask) == 0) {
                        reused = true;
                        break;
                    }
                    if (((id ^ oid) & ~(omask | mask) & 0xffff) == 0) {
                        conflict = smmu.getValue().get(p[0] << 16 | p[1]).get(0) + " " + hex(oid) + "/" + hex(omask);
                        break;
                    }
                }
                if (conflict != null) {
                    List<String> users = e.getValue();
                    findings.add(new BoardFacts.Finding("overlapping-streams", users.get(0)
                            + (users.size() > 1 ? " (and " + (users.size() - 1) + " more devices)" : "") + " " + hex(id) + "/" + hex(mask)
                            + " overlaps " + conflict + " on " + smmu.getKey()
                            + " without lying inside it: arm_smmu_find_sme fails the later probe with -EINVAL"));
                } else if (!reused) {
                    programmed.add(new long[] {id, mask});
                }
            }
        }
    }

    /** A display block inside a display node that has iommus (DPU under MDSS: _dpu_kms_mmu_init uses the parent's). */
    static boolean underDisplayWithIommus(BoardFacts.Device d, List<BoardFacts.Device> devices) {
        return devices.stream().anyMatch(p -> p != d && p.role().equals("display") && !p.streams().isEmpty()
                && d.path().startsWith(p.path() + "/"));
    }

    private static void exposed(String what, long base, long size, List<long[]> noMap, List<BoardFacts.Finding> findings) {
        long end = base + size;
        long covered = 0;
        List<long[]> parts = new ArrayList<>();
        for (long[] r : noMap) {
            long lo = Math.max(base, r[0]);
            long hi = Math.min(end, r[1]);
            if (lo < hi) {
                parts.add(new long[] {lo, hi});
            }
        }
        parts.sort((x, y) -> Long.compare(x[0], y[0]));
        long at = base;
        for (long[] p : parts) {
            if (p[1] > at) {
                covered += p[1] - Math.max(at, p[0]);
                at = p[1];
            }
        }
        long exposed = size - covered;
        if (exposed > 0) {
            findings.add(new BoardFacts.Finding("scanout-exposed", what + ": " + exposed + " of " + size + " bytes of the live"
                    + " scanout at " + hex(base) + " are not inside reserved memory (a reserved-memory region with reg that is"
                    + " not reusable, or /memreserve/; H1)"));
        }
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
