package dev.handoff.model.board;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The device-tree changes a fix may make to one display of a board, each as two things that
 * must agree: the facts the board would have after it (what the search checks) and a fragment
 * of a device tree overlay ({@code .dtso}) that makes it (what the engineer applies). The
 * overlay targets nodes by path and names base nodes by their phandle values, so it applies
 * with {@code fdtoverlay} to this very blob whether or not it was built with symbols.
 *
 * <ul>
 *   <li>{@link #RESETS}: {@code resets = <&dispcc DISP_CC_MDSS_CORE_BCR>} on the MDSS node
 *       ({@code msm_mdss_reset}, 6.12 drivers/gpu/drm/msm/msm_mdss.c, asserts it for 20 ms when
 *       the driver binds);</li>
 *   <li>{@link #SPLASH}: a {@code no-map} reserved-memory region over the whole scanout (a new
 *       node, or the overlapping region grown and made no-map: the under-reservation case);</li>
 *   <li>{@link #IOMMU_ADDRESSES}: the display's {@code memory-region} links that region and the
 *       region gets an {@code iommu-addresses} entry for the display equal to its {@code reg}
 *       ({@code of_iommu_get_resv_regions} then makes it IOMMU_RESV_DIRECT);</li>
 *   <li>{@link #STREAMS}: another client's {@code iommus} entries that match one of the display's
 *       stream IDs are dropped ({@code arm_smmu_find_sme}, 6.12 arm-smmu.c:1018-1058, reuses an
 *       entry that contains the new one, so the two share a stream-match entry, and refuses a
 *       partial overlap with -EINVAL); other displays (Tegra's heads share an ID by design) are
 *       left alone.</li>
 * </ul>
 */
public final class BoardOverlay {
    public static final String RESETS = "dt.resets";
    public static final String SPLASH = "dt.splash";
    public static final String IOMMU_ADDRESSES = "dt.iommu-addresses";
    public static final String STREAMS = "dt.streams";

    /**
     * Display clock controllers whose reset map has DISP_CC_MDSS_CORE_BCR (6.12
     * drivers/clk/qcom/dispcc-{qcm2290,sc7180,sc8280xp,sm4450,sm6375,sm8250,sm8450,sm8550,x1e80100}.c);
     * its index is 0 in every dt-bindings header that defines it. sdm845's dispcc has none
     * (qcom,dispcc-sdm845.h defines only DISP_CC_MDSS_RSCC_BCR).
     */
    static final Set<String> DISPCC_CORE_BCR = Set.of("qcom,qcm2290-dispcc", "qcom,sc7180-dispcc", "qcom,sc8280xp-dispcc0",
            "qcom,sc8280xp-dispcc1", "qcom,sm4450-dispcc", "qcom,sm6375-dispcc", "qcom,sc8180x-dispcc", "qcom,sm8150-dispcc",
            "qcom,sm8250-dispcc", "qcom,sm8350-dispcc", "qcom,sm8450-dispcc", "qcom,sar2130p-dispcc", "qcom,sm8550-dispcc",
            "qcom,sm8650-dispcc", "qcom,x1e80100-dispcc");
    static final int DISP_CC_MDSS_CORE_BCR = 0;
    /** msm_mdss's match table (6.12 drivers/gpu/drm/msm/msm_mdss.c:710-730): the nodes msm_mdss_reset runs for. */
    static final Set<String> MSM_MDSS = Set.of("qcom,mdss", "qcom,msm8998-mdss", "qcom,qcm2290-mdss", "qcom,sdm670-mdss",
            "qcom,sdm845-mdss", "qcom,sc7180-mdss", "qcom,sc7280-mdss", "qcom,sc8180x-mdss", "qcom,sc8280xp-mdss",
            "qcom,sm6115-mdss", "qcom,sm6125-mdss", "qcom,sm6350-mdss", "qcom,sm6375-mdss", "qcom,sm7150-mdss",
            "qcom,sm8150-mdss", "qcom,sm8250-mdss", "qcom,sm8350-mdss", "qcom,sm8450-mdss", "qcom,sm8550-mdss",
            "qcom,sm8650-mdss", "qcom,x1e80100-mdss");
    static final String LABEL = "handoff_splash";

    private final Fdt fdt;
    private final BoardFacts facts;
    private final BoardFacts.Device display;
    private final DtNode displayNode;
    private final DtNode reservedMemory;
    /** The scanout, page-aligned: {base, end}; null when the tree does not say where it is. */
    private final long[] scanout;

    public BoardOverlay(Fdt fdt, BoardFacts facts, String displayPath) {
        this.fdt = fdt;
        this.facts = facts;
        this.display = facts.devices().stream().filter(d -> d.path().equals(displayPath)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device " + displayPath));
        this.displayNode = fdt.find(displayPath);
        this.reservedMemory = fdt.find("/reserved-memory");
        long[] fb = BoardPlatforms.framebuffer(facts, display);
        if (fb != null && fb[0] >= 0 && fb[1] > 0 && fb[1] <= BoardPlatforms.MAX_FB_BYTES && fb[0] <= (1L << 52)) {
            long page = 4096;
            long base = fb[0] & ~(page - 1);
            scanout = new long[] {base, (fb[0] + fb[1] + page - 1) & ~(page - 1)};
        } else {
            scanout = null;
        }
    }

    /**
     * The display clock controller whose MDSS core reset {@link #RESETS} names, or null: among
     * the enabled ones with DISP_CC_MDSS_CORE_BCR, the one the display's own power-domains or
     * clocks name (sc8280xp's second MDSS takes dispcc1's), else the only one in the tree.
     */
    DtNode resetProvider() {
        List<DtNode> candidates = new ArrayList<>();
        for (DtNode n : fdt.nodes()) {
            if (n.has("#reset-cells") && n.cell("#reset-cells", 0) == 1 && n.has("phandle")
                    && n.compatible().stream().anyMatch(DISPCC_CORE_BCR::contains) && n.enabled()) {
                candidates.add(n);
            }
        }
        if (displayNode != null) {
            for (String[] prop : new String[][] {{"power-domains", "#power-domain-cells"}, {"clocks", "#clock-cells"}}) {
                long[] c = displayNode.cells(prop[0]);
                for (int i = 0; i < c.length; ) {
                    DtNode p = fdt.byPhandle(c[i]);
                    if (p == null) {
                        break;
                    }
                    if (candidates.contains(p)) {
                        return p;
                    }
                    i += 1 + (int) p.cell(prop[1], 0);
                }
            }
        }
        return candidates.size() == 1 ? candidates.get(0) : null;
    }

    /** Why {@code change} cannot be made on this board, or null when it can. */
    public String whyNot(String change) {
        switch (change) {
            case RESETS -> {
                if (display.hasResets()) {
                    return display.path() + " already has resets";
                }
                if (display.compatible().stream().noneMatch(MSM_MDSS::contains)) {
                    return "only the msm driver resets the engine through the node's resets (msm_mdss_reset);"
                            + " tegra-dc's reset is mandatory, hdlcd stops the engine by register";
                }
                if (resetProvider() == null) {
                    List<String> cc = fdt.nodes().stream().filter(n -> n.has("#reset-cells")
                            && n.compatible().stream().anyMatch(c -> c.contains("dispcc")))
                            .map(n -> n.path() + " (" + String.join(", ", n.compatible()) + ")").toList();
                    long withCore = fdt.nodes().stream().filter(n -> n.compatible().stream().anyMatch(DISPCC_CORE_BCR::contains)).count();
                    return cc.isEmpty() ? "the tree has no display clock controller with resets"
                            : withCore > 1 ? "several display clock controllers have DISP_CC_MDSS_CORE_BCR and the display's"
                            + " power-domains and clocks name none of them"
                            : String.join(", ", cc) + " has no DISP_CC_MDSS_CORE_BCR in 6.12's reset maps"
                            + " (drivers/clk/qcom/dispcc-*.c): the SoC offers no MDSS core reset line to name";
                }
                return null;
            }
            case SPLASH -> {
                if (scanout == null) {
                    return "the tree does not say where the splash is (no simple-framebuffer, no display memory-region)";
                }
                if (BoardPlatforms.coveredByReserved(facts, scanout[0], scanout[1] - scanout[0])) {
                    return "the scanout is already inside reserved memory";
                }
                BoardFacts.Region o = overlapping();
                if (o != null && o.reusable()) {
                    return o.path() + " is reusable (a CMA pool) and overlaps the scanout: a region cannot be both reusable and"
                            + " no-map (fix the DTS)";
                }
                Object[] grown = splashRange();
                for (BoardFacts.Region r : facts.regions()) {
                    long b = (Long) grown[1];
                    long e = b + (Long) grown[2];
                    if (!r.path().equals(grown[0]) && r.base() >= 0 && r.size() > 0 && r.base() < e && r.base() + r.size() > b) {
                        return "the grown splash region would overlap " + r.path() + ": a no-map region over memory already"
                                + " reserved fails with -EBUSY and is not reserved at all (early_init_dt_reserve_memory)";
                    }
                }
                return cellsFit(reservedMemory == null ? fdt.root() : reservedMemory, grown) ? null
                        : "the splash does not fit /reserved-memory's cells";
            }
            case IOMMU_ADDRESSES -> {
                if (scanout == null) {
                    return "the tree does not say where the splash is (no simple-framebuffer, no display memory-region)";
                }
                if (displayNode == null) {
                    return display.path() + " is not in the tree";
                }
                long[] target = coveringRegion() != null ? new long[] {coveringRegion().base(), coveringRegion().size()}
                        : new long[] {(Long) splashRange()[1], (Long) splashRange()[2]};
                Long first = DmaBus.translate(fdt, displayNode, target[0]);
                Long last = DmaBus.translate(fdt, displayNode, target[0] + target[1] - 1);
                if (first == null || last == null || first != target[0] || last != target[0] + target[1] - 1) {
                    return "the display's DMA path translates the splash's address (dma-ranges that are not 1:1 there:"
                            + " of_translate_dma_region); write the entry by hand";
                }
                DtNode bus = DmaBus.parent(fdt, displayNode);
                int na = bus == null ? 1 : DmaBus.addressCells(bus);
                int ns = bus == null ? 1 : DmaBus.sizeCells(bus);
                if (na < 1 || na > 2 || ns < 1 || ns > 2 || (na == 1 && scanout[1] > 0xffff_ffffL)) {
                    return "the display's DMA parent has " + na + " address and " + ns + " size cells: the splash does not fit";
                }
                if (coveringRegion() == null && whyNot(SPLASH) != null) {
                    return "no single reserved region holds the scanout, and none can be added: " + whyNot(SPLASH);
                }
                BoardFacts.Region r = coveringRegion();
                String path = r != null ? r.path() : (String) splashRange()[0];
                if (!display.memoryRegions().isEmpty() && !display.memoryRegions().contains(path)) {
                    return display.path() + "'s memory-region already names " + String.join(", ", display.memoryRegions())
                            + " (the MDSS binding allows one region, mdss-common.yaml); the splash region is " + path;
                }
                return null;
            }
            case STREAMS -> {
                List<DtNode> clients = overlappingClients();
                if (clients.isEmpty()) {
                    return "no other client's iommus entry matches a display stream ID";
                }
                for (DtNode n : clients) {
                    long[][] keep = keptEntries(n);
                    if (keep == null) {
                        return n.path() + "'s iommus cannot be read entry by entry";
                    }
                    if (keep.length == 0) {
                        return "every iommus entry of " + n.path() + " matches a display stream ID: an overlay cannot"
                                + " delete the property (fix the DTS)";
                    }
                }
                return null;
            }
            default -> throw new IllegalArgumentException(change);
        }
    }

    /** Whether a stream entry of another device matches one of the display's IDs on the display's SMMU. */
    private boolean overlapsDisplay(BoardFacts.Stream x) {
        for (BoardFacts.Stream d : display.streams()) {
            if (d.smmu().equals(x.smmu()) && ((d.sid() ^ x.sid()) & ~(d.mask() | x.mask()) & 0x7fff) == 0) {
                return true;
            }
        }
        return false;
    }

    /** Enabled non-display clients with an entry that matches a display stream ID. */
    private List<DtNode> overlappingClients() {
        List<DtNode> out = new ArrayList<>();
        for (BoardFacts.Device d : facts.devices()) {
            if (d != display && d.enabled() && !d.role().equals("display") && d.streams().stream().anyMatch(this::overlapsDisplay)) {
                DtNode n = fdt.find(d.path());
                if (n != null) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /**
     * A node's iommus entries (phandle and its #iommu-cells specifier) that match no display
     * stream ID, as raw cells; null when an entry cannot be split.
     */
    private long[][] keptEntries(DtNode n) {
        long[] c = n.cells("iommus");
        List<long[]> keep = new ArrayList<>();
        BoardFacts.Device dev = facts.devices().stream().filter(x -> x.path().equals(n.path())).findFirst().orElse(null);
        int k = 0;
        for (int i = 0; i < c.length; ) {
            DtNode smmu = fdt.byPhandle(c[i]);
            if (smmu == null) {
                return null;
            }
            int cells = (int) smmu.cell("#iommu-cells", -1);
            if (cells < 0 || i + 1 + cells > c.length) {
                return null;
            }
            long[] entry = java.util.Arrays.copyOfRange(c, i, i + 1 + cells);
            // the reader lists an entry per specifier in this order; match it to its fact
            boolean drop = false;
            if (dev != null && k < dev.streams().size()) {
                drop = overlapsDisplay(dev.streams().get(k));
            }
            if (!drop) {
                keep.add(entry);
            }
            k++;
            i += 1 + cells;
        }
        if (dev == null || k != dev.streams().size()) {
            return null;
        }
        return keep.toArray(new long[0][]);
    }

    /** Whether {@link #IOMMU_ADDRESSES} needs {@link #SPLASH} too (no region holds the scanout alone). */
    public boolean addressesNeedSplash() {
        return coveringRegion() == null;
    }

    /** The reserved region with a reg holding the whole scanout, or null. */
    private BoardFacts.Region coveringRegion() {
        if (scanout == null) {
            return null;
        }
        for (BoardFacts.Region r : facts.regions()) {
            if (r.reserved() && r.base() <= scanout[0] && r.base() + r.size() >= scanout[1]
                    && r.path().startsWith("/reserved-memory/")) {
                return r;
            }
        }
        return null;
    }

    /** A region with a reg overlapping the scanout (an under-sized or mapped splash region), or null. */
    private BoardFacts.Region overlapping() {
        for (BoardFacts.Region r : facts.regions()) {
            if (r.base() >= 0 && r.size() > 0 && r.base() < scanout[1] && r.base() + r.size() > scanout[0]
                    && r.path().startsWith("/reserved-memory/")) {
                return r;
            }
        }
        return null;
    }

    /** {path, base, size} of the region {@link #SPLASH} leaves: the overlapping one grown, or a new node. */
    private Object[] splashRange() {
        BoardFacts.Region o = overlapping();
        if (o != null) {
            long base = Math.min(o.base(), scanout[0]);
            long end = Math.max(o.base() + o.size(), scanout[1]);
            return new Object[] {o.path(), base, end - base};
        }
        return new Object[] {"/reserved-memory/splash@" + Long.toHexString(scanout[0]), scanout[0], scanout[1] - scanout[0]};
    }

    private static boolean cellsFit(DtNode parent, Object[] range) {
        int ac = parent.addressCells();
        int sc = parent.sizeCells();
        long base = (Long) range[1];
        long size = (Long) range[2];
        return ac >= 1 && ac <= 2 && sc >= 1 && sc <= 2 && (ac == 2 || base + size <= 0xffff_ffffL) && (sc == 2 || size <= 0xffff_ffffL);
    }

    /** The facts the board has after {@code changes} (a subset of the three), as the reader would read them. */
    public BoardFacts patch(Set<String> changes) {
        List<BoardFacts.Device> devices = new ArrayList<>();
        List<BoardFacts.Region> regions = new ArrayList<>(facts.regions());
        String regionPath = null;
        if (changes.contains(SPLASH)) {
            Object[] s = splashRange();
            regionPath = (String) s[0];
            BoardFacts.Region grown = new BoardFacts.Region(regionPath, (Long) s[1], (Long) s[2], true, false, List.of(), List.of());
            int at = indexOf(regions, regionPath);
            if (at >= 0) {
                BoardFacts.Region old = regions.get(at);
                regions.set(at, new BoardFacts.Region(regionPath, grown.base(), grown.size(), true, false, old.iommuAddresses(),
                        old.rmrStreams()));
            } else {
                regions.add(grown);
            }
        }
        if (changes.contains(IOMMU_ADDRESSES)) {
            if (regionPath == null) {
                regionPath = coveringRegion().path();
            }
            int at = indexOf(regions, regionPath);
            BoardFacts.Region r = regions.get(at);
            // the overlay replaces the property: this display's old entries go, other devices' stay
            List<BoardFacts.IommuAddress> ia = new ArrayList<>(r.iommuAddresses().stream()
                    .filter(a -> !a.device().equals(display.path())).toList());
            ia.add(new BoardFacts.IommuAddress(display.path(), r.base(), r.size()));
            regions.set(at, new BoardFacts.Region(r.path(), r.base(), r.size(), r.noMap(), r.reusable(), ia, r.rmrStreams()));
        }
        for (BoardFacts.Device d : facts.devices()) {
            if (changes.contains(STREAMS) && d != display && d.enabled() && !d.role().equals("display")) {
                d = new BoardFacts.Device(d.path(), d.compatible(), d.role(), d.enabled(),
                        d.streams().stream().filter(x -> !overlapsDisplay(x)).toList(), d.memoryRegions(), d.hasResets());
            }
            if (d == display) {
                List<String> mr = new ArrayList<>(d.memoryRegions());
                if (changes.contains(IOMMU_ADDRESSES) && !mr.contains(regionPath)) {
                    mr.add(regionPath);
                }
                d = new BoardFacts.Device(d.path(), d.compatible(), d.role(), d.enabled(), d.streams(), mr,
                        d.hasResets() || changes.contains(RESETS));
            }
            devices.add(d);
        }
        return new BoardFacts(facts.source(), facts.model(), facts.acpi(), facts.smmus(), devices, regions,
                facts.framebuffers(), facts.findings());
    }

    private static int indexOf(List<BoardFacts.Region> regions, String path) {
        for (int i = 0; i < regions.size(); i++) {
            if (regions.get(i).path().equals(path)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The overlay source making {@code changes}: {@code /dts-v1/; /plugin/;}, a comment per
     * change, one fragment per target node ({@code target-path}). A base node the overlay must
     * name but that has no phandle gets one: its fragment's {@code __overlay__} carries a label,
     * and fdtoverlay merges the phandle dtc gives it into the target and fixes every reference.
     * Compile with {@code dtc -q -I dts -O dtb}, apply with {@code fdtoverlay -i BASE.dtb -o OUT.dtb
     * OVERLAY.dtbo}.
     */
    public String overlay(Set<String> changes, List<String> header) {
        StringBuilder sb = new StringBuilder("/dts-v1/;\n/plugin/;\n\n");
        header.forEach(h -> sb.append("// ").append(h).append('\n'));
        sb.append('\n');
        java.util.Map<String, List<String>> props = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        String root = null; // a new /reserved-memory with its splash child, when the tree has none
        if (changes.contains(RESETS)) {
            DtNode p = resetProvider();
            props.computeIfAbsent(display.path(), k -> new ArrayList<>()).add("resets = <" + hex(p.cell("phandle", 0)) + " "
                    + hex(DISP_CC_MDSS_CORE_BCR) + ">; /* &" + p.path() + " (" + p.compatible().get(0) + "), DISP_CC_MDSS_CORE_BCR */");
        }
        String regionPath = null;
        boolean newNode = false;
        List<String> regionProps = new ArrayList<>();
        long[] range = null;
        int rac = reservedMemory == null ? rootCells()[0] : reservedMemory.addressCells();
        int rsc = reservedMemory == null ? rootCells()[1] : reservedMemory.sizeCells();
        if (changes.contains(SPLASH)) {
            Object[] s = splashRange();
            regionPath = (String) s[0];
            newNode = fdt.find(regionPath) == null;
            range = new long[] {(Long) s[1], (Long) s[2]};
            regionProps.add("reg = <" + cells(range[0], rac) + " " + cells(range[1], rsc) + ">;");
            regionProps.add("no-map;");
        }
        if (changes.contains(IOMMU_ADDRESSES)) {
            if (regionPath == null) {
                BoardFacts.Region r = coveringRegion();
                regionPath = r.path();
                range = new long[] {r.base(), r.size()};
            }
            DtNode bus = DmaBus.parent(fdt, displayNode);
            int na = bus == null ? 1 : DmaBus.addressCells(bus);
            int ns = bus == null ? 1 : DmaBus.sizeCells(bus);
            String self;
            if (displayNode.has("phandle")) {
                self = hex(displayNode.cell("phandle", 0));
            } else {
                labels.put(display.path(), "handoff_display");
                self = "&handoff_display";
            }
            // the property is replaced: keep every cell but the display's own entries, walked as
            // of_iommu_get_resv_regions walks them for the display (no kept cell is its phandle)
            StringBuilder others = new StringBuilder();
            DtNode existing = fdt.find(regionPath);
            if (existing != null) {
                long[] c = existing.cells("iommu-addresses");
                java.util.Set<Integer> own = new java.util.HashSet<>();
                for (long[] e : DmaBus.entries(fdt, displayNode, c)) {
                    for (int k = 0; k < 1 + na + ns; k++) {
                        own.add((int) e[2] + k);
                    }
                }
                for (int i = 0; i < c.length; i++) {
                    if (!own.contains(i)) {
                        others.append(hex(c[i])).append(' ');
                    }
                }
            }
            regionProps.add("iommu-addresses = <" + others + self + " " + cells(range[0], na) + " " + cells(range[1], ns)
                    + ">; /* " + display.path() + ": IOVA = PA, the region's reg (IOMMU_RESV_DIRECT), in the cells of the"
                    + " display's DMA parent */");
            if (!display.memoryRegions().contains(regionPath)) {
                List<String> refs = new ArrayList<>();
                for (long ph : displayNode.cells("memory-region")) {
                    refs.add(hex(ph));
                }
                if (newNode) {
                    refs.add("&" + LABEL);
                } else if (existing.has("phandle")) {
                    refs.add(hex(existing.cell("phandle", 0)));
                } else {
                    labels.put(regionPath, "handoff_region");
                    refs.add("&handoff_region");
                }
                props.computeIfAbsent(display.path(), k -> new ArrayList<>()).add("memory-region = <" + String.join(" ", refs) + ">;");
            }
        }
        if (regionPath != null) {
            if (newNode) {
                // the new region as lines, one tab per level below the fragment's __overlay__
                List<String> node = new ArrayList<>();
                node.add(LABEL + ": " + regionPath.substring(regionPath.lastIndexOf('/') + 1) + " {");
                regionProps.forEach(x -> node.add("\t" + x));
                node.add("};");
                if (reservedMemory == null) {
                    // the binding: #address-cells and #size-cells as the root's, and ranges
                    List<String> rm = new ArrayList<>(List.of("reserved-memory {", "\t#address-cells = <" + rac + ">;",
                            "\t#size-cells = <" + rsc + ">;", "\tranges;", ""));
                    node.forEach(x -> rm.add("\t" + x));
                    rm.add("};");
                    root = String.join("\n", rm);
                } else {
                    props.computeIfAbsent("/reserved-memory", k -> new ArrayList<>()).add(String.join("\n", node));
                }
            } else {
                props.computeIfAbsent(regionPath, k -> new ArrayList<>()).addAll(regionProps);
            }
        }
        if (changes.contains(STREAMS)) {
            for (DtNode n : overlappingClients()) {
                List<String> c = new ArrayList<>();
                for (long[] e : keptEntries(n)) {
                    for (long v : e) {
                        c.add(hex(v));
                    }
                }
                props.computeIfAbsent(n.path(), k -> new ArrayList<>()).add("iommus = <" + String.join(" ", c)
                        + ">; /* the entries matching a display stream ID dropped */");
            }
        }
        // a labelled fragment must exist even when it only names the node
        labels.keySet().forEach(path -> props.computeIfAbsent(path, k -> new ArrayList<>()));
        sb.append("/ {\n");
        int k = 0;
        java.util.Map<String, List<String>> fragments = new java.util.LinkedHashMap<>();
        if (root != null) {
            fragments.put("/", List.of(root));
        }
        fragments.putAll(props);
        for (java.util.Map.Entry<String, List<String>> e : fragments.entrySet()) {
            sb.append("\tfragment@").append(k++).append(" {\n\t\ttarget-path = \"").append(e.getKey()).append("\";\n\t\t");
            String label = labels.get(e.getKey());
            if (label != null) {
                sb.append(label).append(": ");
            }
            sb.append("__overlay__ {\n");
            for (String x : e.getValue()) {
                for (String line : x.split("\n", -1)) {
                    sb.append(line.isEmpty() ? "" : "\t\t\t" + line).append('\n');
                }
            }
            sb.append("\t\t};\n\t};\n");
        }
        sb.append("};\n");
        return sb.toString();
    }

    /** The root's #address-cells and #size-cells (the binding's cells for a new /reserved-memory). */
    private int[] rootCells() {
        DtNode r = fdt.root();
        return new int[] {(int) r.cell("#address-cells", 2), (int) r.cell("#size-cells", 1)};
    }

    private static String cells(long v, int n) {
        return n == 2 ? hex(v >>> 32) + " " + hex(v & 0xffff_ffffL) : hex(v);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v).toLowerCase(Locale.ROOT);
    }
}
