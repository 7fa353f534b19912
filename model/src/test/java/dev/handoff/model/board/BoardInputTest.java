package dev.handoff.model.board;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Crafted trees and IORT tables: the cases real files do not show. */
class BoardInputTest {
    static FdtWriter qcomBoard() {
        FdtWriter b = new FdtWriter();
        b.root.cells("#address-cells", 2).cells("#size-cells", 2).str("model", "test board");
        FdtWriter.Node gic = b.root.child("interrupt-controller@17a00000").cells("#interrupt-cells", 3).cells("phandle", 1);
        gic.flag("interrupt-controller");
        b.root.cells("interrupt-parent", 1);
        FdtWriter.Node rm = b.root.child("reserved-memory").cells("#address-cells", 2).cells("#size-cells", 2);
        rm.child("framebuffer@9d400000").cells("reg", 0, 0x9d400000L, 0, 0x100000).flag("no-map").cells("phandle", 3);
        rm.child("splash@a0000000").cells("reg", 0, 0xa0000000L, 0, 0x1000).cells("iommu-addresses", 4, 0, 0x1000, 0, 0);
        FdtWriter.Node soc = b.root.child("soc@0").cells("#address-cells", 2).cells("#size-cells", 2);
        soc.child("iommu@15000000").str("compatible", "qcom,sdm845-smmu-500", "arm,mmu-500").cells("#iommu-cells", 2)
                .cells("#global-interrupts", 1).cells("interrupts", 0, 65, 4, 0, 96, 4, 0, 97, 4).cells("phandle", 2);
        soc.child("display-subsystem@ae00000").str("compatible", "qcom,sdm845-mdss").cells("iommus", 2, 0x880, 0x8)
                .cells("memory-region", 3).cells("phandle", 4);
        soc.child("ufshc@1d84000").str("compatible", "qcom,sdm845-ufshc").cells("iommus", 2, 0x100, 0xf);
        soc.child("dma@1dc4000").str("compatible", "qcom,bam").cells("iommus", 2, 0x888, 0x0);
        FdtWriter.Node chosen = b.root.child("chosen");
        chosen.child("framebuffer@9d400000").str("compatible", "simple-framebuffer")
                .cells("reg", 0, 0x9d400000L, 0, 0x200000).cells("width", 1920).cells("height", 1080).cells("stride", 7680)
                .str("format", "a8r8g8b8");
        return b;
    }

    @Test
    void findingsOnACraftedBoard() {
        BoardFacts f = DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", qcomBoard().build()));
        assertEquals(2, f.smmus().get(0).contextInterrupts(), "3 interrupts of 3 cells each, 1 global");
        List<String> kinds = f.findings().stream().map(BoardFacts.Finding::kind).toList();
        assertTrue(kinds.contains("scanout-exposed"), kinds.toString());
        String exposed = f.findings().stream().filter(x -> x.kind().equals("scanout-exposed")).findFirst().orElseThrow().message();
        assertTrue(exposed.contains(": " + (7680L * 1080 - 0x100000) + " of " + 7680L * 1080 + " bytes"), exposed);
        assertTrue(kinds.contains("unreferenced-splash"), kinds.toString());
        assertTrue(kinds.contains("zero-length-iommu-addresses"), kinds.toString());
        assertTrue(!kinds.contains("overlapping-streams"), "0x888 lies inside 0x880/0x8: the DMA shares the entry: " + kinds);
        assertEquals(1920, f.framebuffers().get(0).width());
        BoardPlatforms.Target t = BoardPlatforms.targets(f).get(0);
        assertEquals("unreserved", t.platform().knobDefaults().get("fw.framebuffer"), "the scanout is only partly no-map");
        assertEquals(List.of("/soc@0/ufshc@1d84000", "/soc@0/dma@1dc4000"),
                t.platform().masters().stream().map(dev.handoff.model.scenario.Master::name).toList(), "every client, in DT order");
        assertEquals(2, t.platform().contextBanks(), "the SMMU node's context interrupts");
        assertEquals(8, t.platform().smrGroups(), "enough for every client's entries, at least 8");
    }

    /**
     * arm_smmu_find_sme in device-tree order: an entry inside an older one reuses it (no finding),
     * one that overlaps an older one without lying inside it fails its probe (one finding per
     * entry, counting the older entries it conflicts with).
     */
    @Test
    void onlyEntriesThatFailTheirProbeAreOverlapping() {
        FdtWriter b = qcomBoard();
        FdtWriter.Node soc = b.root.children.stream().filter(n -> n.name.equals("soc@0")).findFirst().orElseThrow();
        soc.child("a@1").str("compatible", "x,a").cells("iommus", 2, 0x880, 0x8);   // identical to the display's: shared
        soc.child("b@2").str("compatible", "x,b").cells("iommus", 2, 0x884, 0x1);   // 0x884-0x885 meets 0x880/0x8 at no ID
        soc.child("c@3").str("compatible", "x,c").cells("iommus", 2, 0x880, 0xf);   // meets 0x880/0x8 first: conflicts
        soc.child("d@4").str("compatible", "x,d").cells("iommus", 2, 0x885, 0x0);   // inside b's: shared
        List<String> over = DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", b.build())).findings().stream()
                .filter(x -> x.kind().equals("overlapping-streams")).map(BoardFacts.Finding::message).toList();
        assertEquals(List.of("/soc@0/c@3 0x880/0xf overlaps /soc@0/display-subsystem@ae00000 0x880/0x8 on"
                + " /soc@0/iommu@15000000 without lying inside it: arm_smmu_find_sme fails the later probe with -EINVAL"), over);
    }

    /** Ten thousand clients of one stream ID share one entry: no finding, and the work stays linear. */
    @Test
    void manyClientsOfOneStreamGiveNoFindings() {
        FdtWriter b = qcomBoard();
        FdtWriter.Node soc = b.root.children.stream().filter(n -> n.name.equals("soc@0")).findFirst().orElseThrow();
        for (int i = 0; i < 10_000; i++) {
            soc.child("dev@" + Integer.toHexString(0x100000 + i)).str("compatible", "x,dev").cells("iommus", 2, 0x880, 0x8);
        }
        BoardFacts f = DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", b.build()));
        assertTrue(f.findings().stream().noneMatch(x -> x.kind().equals("overlapping-streams")), f.findings().toString());
        for (int i = 0; i < DeviceTreeReader.MAX_STREAM_ENTRIES; i++) {
            soc.child("more@" + Integer.toHexString(0x200000 + i)).str("compatible", "x,dev").cells("iommus", 2, 0x100, 0);
        }
        String m = assertThrows(BoardInputException.class, () -> DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", b.build())))
                .getMessage();
        assertEquals("more than 16384 iommus entries: more than handoff reads (a real board has a few hundred)", m);
    }

    /** A display with more entries than the model's 128 groups hold is no matrix, with the reason (it was an internal error). */
    @Test
    void aDisplayWithTooManyEntriesIsNoMatrix() {
        FdtWriter b = qcomBoard();
        FdtWriter.Node soc = b.root.children.stream().filter(n -> n.name.equals("soc@0")).findFirst().orElseThrow();
        FdtWriter.Node mdss = soc.children.stream().filter(n -> n.name.startsWith("display-subsystem")).findFirst().orElseThrow();
        long[] cells = new long[3 * 64];
        for (int i = 0; i < 64; i++) {
            cells[3 * i] = 2;
            cells[3 * i + 1] = 0x1000 + i;
        }
        mdss.cells("iommus", cells);
        BoardFacts f = DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", b.build()));
        String m = assertThrows(BoardPlatforms.NoMatrixException.class, () -> BoardPlatforms.targets(f)).getMessage();
        assertTrue(m.contains("/soc@0/display-subsystem@ae00000 has 64 stream entries on /soc@0/iommu@15000000; the model holds"
                + " at most 63"), m);
    }

    /** A reserved region or RMR whose range runs past 2^63 is a finding, not a region "placed at boot" or of negative size. */
    @Test
    void rangesPastTheAddressSpaceAreFindings() {
        FdtWriter b = qcomBoard();
        FdtWriter.Node rm = b.root.children.stream().filter(n -> n.name.equals("reserved-memory")).findFirst().orElseThrow();
        rm.child("wrap@0").cells("reg", 0xffffffffL, 0xfffff000L, 0, 0x2000);
        BoardFacts f = DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", b.build()));
        assertTrue(f.regions().stream().noneMatch(r -> r.path().endsWith("wrap@0")), f.regions().toString());
        assertTrue(f.findings().stream().anyMatch(x -> x.kind().equals("reserved-memory-out-of-range")
                && x.message().startsWith("/reserved-memory/wrap@0: reg 0xfffffffffffff000 + 0x2000 runs past 2^63")), f.findings().toString());
        BoardFacts i = IortReader.parse("i.bin", new IortWriter().rmr(0, 0xfffffffffffff000L, 0x2000, 0x880, 1).build());
        assertTrue(i.regions().isEmpty(), i.regions().toString());
        assertTrue(i.findings().stream().anyMatch(x -> x.kind().equals("rmr-out-of-range")), i.findings().toString());
    }

    /** A node name with a byte that is not UTF-8 does not shift the walk (dtc reads such a tree; so does handoff). */
    @Test
    void aNodeNameThatIsNotUtf8IsReadWhole() {
        FdtWriter b = qcomBoard();
        b.root.child("evil\u00ff@1").str("compatible", "x,evil");
        byte[] blob = b.build();
        // FdtWriter writes UTF-8 (c3 bf): make those two bytes 0xff 'x', the same length, as a DTB may hold them
        String s = new String(blob, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = s.indexOf("evil\u00c3\u00bf@1");
        assertTrue(at > 0);
        blob[at + 4] = (byte) 0xff;
        blob[at + 5] = 'x';
        Fdt fdt = Fdt.parse("t.dtb", blob);
        assertTrue(fdt.nodes().stream().anyMatch(n -> n.path().equals("/evil\ufffdx@1")), "the node, whole");
        assertEquals(1, DeviceTreeReader.facts("t.dtb", fdt).smmus().size(), "and the nodes after it");
    }

    /** The MDSS wrapper of an MDP5 that has iommus is no display without iommus (msm_kms_init_aspace). */
    @Test
    void anMdssWrapperOfAnMdp5WithIommusIsNotFlagged() {
        FdtWriter b = qcomBoard();
        FdtWriter.Node soc = b.root.children.stream().filter(n -> n.name.equals("soc@0")).findFirst().orElseThrow();
        FdtWriter.Node mdss = soc.child("display-subsystem@1a00000").str("compatible", "qcom,mdss");
        FdtWriter.Node mdp = mdss.child("display-controller@1a01000").str("compatible", "qcom,msm8996-mdp5", "qcom,mdp5");
        List<String> flagged = DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", b.build())).findings().stream()
                .filter(x -> x.kind().equals("display-without-iommus")).map(BoardFacts.Finding::message).toList();
        assertEquals(2, flagged.size(), "without iommus anywhere, both are flagged: " + flagged);
        mdp.cells("iommus", 2, 0x0, 0x0);
        flagged = DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", b.build())).findings().stream()
                .filter(x -> x.kind().equals("display-without-iommus")).map(BoardFacts.Finding::message).toList();
        assertEquals(List.of(), flagged);
    }

    /** The crafted board with the display's memory-region pointing at a splash region whose iommu-addresses say {@code entry}. */
    private static BoardPlatforms.Target withIommuAddresses(long... entry) {
        FdtWriter b = qcomBoard();
        FdtWriter.Node rm = b.root.children.stream().filter(n -> n.name.equals("reserved-memory")).findFirst().orElseThrow();
        rm.child("cont-splash@9d400000").cells("reg", 0, 0x9d400000L, 0, 0x800000).flag("no-map").cells("phandle", 5)
                .cells("iommu-addresses", entry);
        FdtWriter.Node soc = b.root.children.stream().filter(n -> n.name.equals("soc@0")).findFirst().orElseThrow();
        FdtWriter.Node mdss = soc.children.stream().filter(n -> n.name.startsWith("display-subsystem")).findFirst().orElseThrow();
        mdss.cells("memory-region", 5);
        return BoardPlatforms.targets(DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", b.build()))).get(0);
    }

    /**
     * of_iommu_get_resv_regions (6.12 of_iommu.c:203-260): only the display's own memory-region,
     * only entries naming the display node, zero lengths skipped, and a direct mapping only when the
     * entry equals the region's reg exactly; anything else reserves and maps nothing.
     */
    @Test
    void iommuAddressesAreReadAsTheKernelReadsThem() {
        var exact = withIommuAddresses(4, 0, 0x9d400000L, 0, 0x800000).platform().knobDefaults();
        assertEquals("iommu-addresses", exact.get("fw.description"));
        assertEquals("identity", exact.get("fw.mapping"), "IOMMU_RESV_DIRECT");
        var elsewhere = withIommuAddresses(4, 0, 0x10000000L, 0, 0x800000).platform().knobDefaults();
        assertEquals("iommu-addresses", elsewhere.get("fw.description"));
        assertEquals("translated", elsewhere.get("fw.mapping"), "another IOVA: a reservation the kernel never maps");
        var zero = withIommuAddresses(4, 0, 0x9d400000L, 0, 0).platform().knobDefaults();
        assertEquals("zero", zero.get("fw.iommu-addresses-length"));
        BoardPlatforms.Target shorter = withIommuAddresses(4, 0, 0x9d400000L, 0, 0x1000);
        assertEquals(null, shorter.platform().knobDefaults().get("fw.description"), "same IOVA, other length: not a direct map");
        assertTrue(shorter.notes().stream().anyMatch(n -> n.contains("treats it as a reservation")), shorter.notes().toString());
        var zeroThenDirect = withIommuAddresses(4, 0, 0x9d400000L, 0, 0, 4, 0, 0x9d400000L, 0, 0x800000).platform().knobDefaults();
        assertEquals("identity", zeroThenDirect.get("fw.mapping"), "every entry counts: a skipped zero-length one hides nothing");
        assertEquals(null, zeroThenDirect.get("fw.iommu-addresses-length"));
        var other = withIommuAddresses(2, 0, 0x9d400000L, 0, 0x800000).platform().knobDefaults();
        assertEquals(null, other.get("fw.description"), "an entry naming another node (the SMMU) is not the display's");
    }

    @Test
    void noMatrixWithoutADisplayOrBehindAnotherIommu() {
        FdtWriter none = qcomBoard();
        none.root.children.removeIf(n -> n.name.equals("soc@0"));
        BoardFacts f = DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", none.build()));
        var e = assertThrows(BoardPlatforms.NoMatrixException.class, () -> BoardPlatforms.targets(f));
        assertEquals("no display controller found (by compatible)", e.getMessage());
        FdtWriter other = qcomBoard();
        FdtWriter.Node soc = other.root.children.stream().filter(n -> n.name.equals("soc@0")).findFirst().orElseThrow();
        soc.children.get(0).str("compatible", "qcom,apq8064-iommu");
        BoardFacts g = DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", other.build()));
        var e2 = assertThrows(BoardPlatforms.NoMatrixException.class, () -> BoardPlatforms.targets(g));
        assertTrue(e2.getMessage().contains("which is not an ARM SMMU"), e2.getMessage());
        soc.children.get(0).str("compatible", "arm,mmu-500").str("status", "disabled");
        BoardFacts h = DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", other.build()));
        var e3 = assertThrows(BoardPlatforms.NoMatrixException.class, () -> BoardPlatforms.targets(h));
        assertTrue(e3.getMessage().contains("which is disabled"), e3.getMessage());
    }

    @Test
    void disabledAncestorDisablesItsChildren() {
        FdtWriter b = qcomBoard();
        b.root.children.stream().filter(n -> n.name.equals("soc@0")).findFirst().orElseThrow().str("status", "disabled");
        BoardFacts f = DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", b.build()));
        assertTrue(f.devices().stream().noneMatch(BoardFacts.Device::enabled));
    }

    @Test
    void corruptHeadersNameTheOffset() {
        byte[] good = qcomBoard().build();
        byte[] magic = good.clone();
        magic[0] = 0;
        assertEquals("t.dtb: offset 0x0: magic is 0x000dfeed, not 0xd00dfeed: not a device tree blob",
                assertThrows(BoardInputException.class, () -> Fdt.parse("t.dtb", magic)).getMessage());
        byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
        assertTrue(assertThrows(BoardInputException.class, () -> Fdt.parse("t.dtb", cut)).getMessage()
                .contains("is larger than the file"));
        byte[] prop = good.clone();
        int at = 56;
        while (!(prop[at] == 0 && prop[at + 1] == 0 && prop[at + 2] == 0 && prop[at + 3] == 3)) {
            at += 4;
        }
        prop[at + 4] = 0x7f;
        String m = assertThrows(BoardInputException.class, () -> Fdt.parse("t.dtb", prop)).getMessage();
        assertTrue(m.matches("t\\.dtb: offset 0x[0-9a-f]+: property of \\d+ bytes runs past the structure block.*"), m);
    }

    @Test
    void iortWithRmrForTheDisplay() {
        byte[] t = new IortWriter().component("\\_SB_.MDSS", 0x880, 8).component("\\_SB_.UFS0", 0x100, 16)
                .rmr(0, 0x9d400000L, 0x2400000L, 0x880, 1).build();
        BoardFacts f = IortReader.parse("iort.bin", t);
        assertEquals(1, f.smmus().size());
        assertEquals(List.of("arm,mmu-500"), f.smmus().get(0).compatible());
        assertEquals(16, f.smmus().get(0).contextInterrupts());
        BoardFacts.Device mdss = f.devices().get(0);
        assertEquals("display", mdss.role());
        assertEquals(0x880, mdss.streams().get(0).sid());
        assertEquals(0x7, mdss.streams().get(0).mask(), "eight IDs from 0x880: one aligned mask");
        BoardFacts.Region rmr = f.regions().get(0);
        assertEquals(0x9d400000L, rmr.base());
        assertTrue(rmr.path().contains("IOMMU_RESV_DIRECT"), rmr.path());
        assertTrue(f.findings().isEmpty(), f.findings().toString());
        BoardPlatforms.Target target = BoardPlatforms.targets(f).get(0);
        assertEquals("rmr", target.platform().knobDefaults().get("fw.description"));
        assertEquals(0x9d400000L, target.platform().framebufferPa());
        byte[] relaxable = new IortWriter().component("\\_SB_.MDSS", 0x880, 1).rmr(1, 0x9d400000L, 0x1000, 0x880, 1).build();
        assertTrue(IortReader.parse("i.bin", relaxable).regions().get(0).path().contains("DIRECT_RELAXABLE"));
    }

    /**
     * Linux 6.12 (iort_nc_iommu_map → iort_node_get_id) takes a named component's stream IDs from
     * single mappings only, in order, stopping at the first range mapping; a single mapping's
     * output is an SMR for arm-smmu, its upper 16 bits the mask (arm_smmu_probe_device).
     */
    @Test
    void namedComponentsAsLinuxReadsThem() {
        BoardFacts f = IortReader.parse("iort.bin", new IortWriter().componentRange("\\_SB_.MDSS", 0x880, 8)
                .component("\\_SB_.UFS0", 0x100, 16).build());
        BoardFacts.Device mdss = f.devices().get(0);
        assertEquals(List.of(), mdss.streams(), "a range mapping on a named component gives no stream ID");
        String ignored = f.findings().stream().filter(x -> x.kind().equals("iort-mapping-ignored")).findFirst().orElseThrow().message();
        assertTrue(ignored.startsWith("\\_SB_.MDSS: ID mapping 0 is a range mapping; Linux takes a named component's stream IDs"
                + " from single mappings only"), ignored);
        BoardFacts.Stream ufs = f.devices().get(1).streams().get(0);
        assertEquals(List.of(0x100, 0xf), List.of(ufs.sid(), ufs.mask()), "output 0x000f0100: ID 0x100, mask 0xf");
        String none = assertThrows(BoardPlatforms.NoMatrixException.class, () -> BoardPlatforms.targets(f)).getMessage();
        assertTrue(none.contains("\\_SB_.MDSS has no stream ID Linux takes"), none);
    }

    /** An RMR's stream IDs are output_base..output_base+id_count whatever its mapping's flags (iort_node_get_rmr_info). */
    @Test
    void rmrIgnoresTheSingleMappingFlag() {
        byte[] t = new IortWriter().rmr(0, 0x9d400000L, 0x1000, 0x880, 8).build();
        int rmrNode = 48 + 76 + 8 * 16;
        assertEquals(6, t[rmrNode], "the RMR node follows the SMMU node");
        t[rmrNode + 28 + 16] = 1; // ACPI_IORT_ID_SINGLE_MAPPING
        BoardFacts.Stream s = IortReader.parse("i.bin", t).regions().get(0).rmrStreams().get(0);
        assertEquals(List.of(0x880, 0x7), List.of(s.sid(), s.mask()), "eight IDs, as without the flag");
    }

    /** iort.c checks no node's length against its fields; handoff refuses a node too short for them. */
    @Test
    void aNodeTooShortForItsFieldsIsRefused() {
        byte[] t = new IortWriter().component("\\_SB_.MDSS", 0x880, 8).build();
        t[49] = 16;
        t[50] = 0;
        assertEquals("i.bin: offset 0x31: node 0 (an SMMUv1/v2) is 16 bytes long; its fields take 60 (Linux would read the"
                        + " next node's bytes as this one's)",
                assertThrows(BoardInputException.class, () -> IortReader.parse("i.bin", t)).getMessage());
    }

    /**
     * An SMMU node whose context interrupts run past the node is refused (arm_smmu_init_resources
     * would read the next node's bytes as interrupts); with none, arm_smmu_device_probe fails
     * (-ENODEV) and a finding says so; an RMR with no ranges reserves nothing
     * (iort_node_get_rmr_info returns early) and a finding says so.
     */
    @Test
    void smmuInterruptsAndEmptyRmrsAsLinuxReadsThem() {
        byte[] t = new IortWriter().component("\\_SB_.MDSS", 0x880, 1).build();
        java.nio.ByteBuffer.wrap(t).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(48 + 44, 1000);
        assertEquals("i.bin: offset 0x5c: SMMU node: 1000 context interrupts at +76 run outside the node (length 204)",
                assertThrows(BoardInputException.class, () -> IortReader.parse("i.bin", t)).getMessage());
        IortWriter none = new IortWriter().component("\\_SB_.MDSS", 0x880, 1);
        none.contextInterrupts = 0;
        BoardFacts f = IortReader.parse("i.bin", none.build());
        String fails = f.findings().stream().filter(x -> x.kind().equals("smmu-probe-fails")).findFirst().orElseThrow().message();
        assertTrue(fails.startsWith("IORT smmu@"), fails);
        assertTrue(fails.contains("no context interrupt") && fails.contains("-ENODEV"), fails);
        byte[] r = new IortWriter().rmr(0, 0x9d400000L, 0x1000, 0x880, 1).build();
        int rmrNode = 48 + 76 + 8 * 16;
        assertEquals(6, r[rmrNode], "the RMR node follows the SMMU node");
        r[rmrNode + 20] = 0; // rmr_count
        BoardFacts g = IortReader.parse("i.bin", r);
        assertEquals(List.of(), g.regions(), "nothing reserved");
        assertTrue(g.findings().stream().anyMatch(x -> x.kind().equals("rmr-without-ranges")), g.findings().toString());
    }

    /**
     * iommus naming a node without #iommu-cells: of_parse_phandle_with_args fails, the device gets no
     * IOMMU; the finding says that, not "#iommu-cells = -1", and no display-without-iommus follows.
     * An SMMU without #global-interrupts fails arm_smmu_device_dt_probe.
     */
    @Test
    void iommusAtANonIommuAndAnSmmuThatCannotProbe() {
        FdtWriter b = qcomBoard();
        FdtWriter.Node soc = b.root.children.stream().filter(n -> n.name.equals("soc@0")).findFirst().orElseThrow();
        soc.child("serial@1000").str("compatible", "x,uart").cells("phandle", 9);
        FdtWriter.Node mdss = soc.children.stream().filter(n -> n.name.startsWith("display-subsystem")).findFirst().orElseThrow();
        mdss.cells("iommus", 9, 0x880, 0x8);
        FdtWriter.Node smmu = soc.children.stream().filter(n -> n.name.startsWith("iommu@")).findFirst().orElseThrow();
        smmu.props.remove("#global-interrupts");
        BoardFacts f = DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", b.build()));
        List<String> kinds = f.findings().stream().map(BoardFacts.Finding::kind).toList();
        assertEquals("/soc@0/display-subsystem@ae00000: iommus entry at cell 0 names /soc@0/serial@1000, which has no"
                + " #iommu-cells (not an IOMMU): Linux gives the device no IOMMU",
                f.findings().stream().filter(x -> x.kind().equals("malformed-iommus")).findFirst().orElseThrow().message());
        assertTrue(!kinds.contains("display-without-iommus"), kinds.toString());
        assertTrue(f.findings().stream().anyMatch(x -> x.kind().equals("smmu-probe-fails")
                && x.message().startsWith("/soc@0/iommu@15000000: no #global-interrupts property")), f.findings().toString());
        String why = assertThrows(BoardPlatforms.NoMatrixException.class, () -> BoardPlatforms.targets(f)).getMessage();
        assertTrue(why.contains("has no usable iommus entry"), why);
    }

    @Test
    void iortErrors() {
        byte[] t = new IortWriter().component("\\_SB_.MDSS", 0x880, 8).build();
        byte[] sig = t.clone();
        sig[0] = 'X';
        assertEquals("i.bin: offset 0x0: signature is \"XORT\", not \"IORT\"",
                assertThrows(BoardInputException.class, () -> IortReader.parse("i.bin", sig)).getMessage());
        assertTrue(assertThrows(BoardInputException.class, () -> IortReader.parse("i.bin", java.util.Arrays.copyOf(t, 60)))
                .getMessage().contains("truncated"));
        IortWriter old = new IortWriter().component("\\_SB_.MDSS", 0x880, 1).rmr(0, 0x1000, 0x1000, 0x880, 1);
        old.revision = 3;
        assertTrue(IortReader.parse("i.bin", old.build()).findings().stream().anyMatch(x -> x.kind().equals("rmr-revision")));
    }

    /** A display controller is recognised by compatible; a VOP's general register file (a syscon) is not one. */
    @Test
    void aVopRegisterFileIsNotADisplay() {
        assertTrue(dev.handoff.model.scenario.Master.displayController(List.of("rockchip,rk3588-vop")));
        assertTrue(dev.handoff.model.scenario.Master.displayController(List.of("rockchip,rk3399-vop-big")));
        assertTrue(!dev.handoff.model.scenario.Master.displayController(List.of("rockchip,rk3588-vop-grf", "syscon")));
    }
}
