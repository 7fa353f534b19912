package dev.handoff.model.board;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the page allocator never gets (reserved-memory regions with a reg unless reusable, no-map
 * or not; /memreserve/), the iommu-addresses cells a display reads (its DMA parent's), and the
 * device-tree changes a fix may make: when each is refused, and that the overlay and the patched
 * facts agree on what they change.
 */
class ReservedAndDmaCellsTest {
    static FdtWriter board() {
        return BoardInputTest.qcomBoard();
    }

    static FdtWriter.Node child(FdtWriter.Node n, String prefix) {
        return n.children.stream().filter(c -> c.name.startsWith(prefix)).findFirst().orElseThrow();
    }

    static BoardFacts facts(FdtWriter w) {
        return DeviceTreeReader.facts("t.dtb", Fdt.parse("t.dtb", w.build()));
    }

    static String framebuffer(FdtWriter w) {
        return BoardPlatforms.targets(facts(w)).get(0).platform().knobDefaults().get("fw.framebuffer");
    }

    /** early_init_dt_reserve_memory: memblock_reserve or memblock_mark_nomap; only a reusable (CMA) region's pages reach the allocator. */
    @Test
    void reservedMemoryIsWhatThePageAllocatorNeverGets() {
        FdtWriter w = board();
        assertEquals("unreserved", framebuffer(w), "1 MiB of the 7.9 MiB scanout is reserved");
        FdtWriter mapped = board();
        FdtWriter.Node rm = child(mapped.root, "reserved-memory");
        rm.children.removeIf(n -> n.name.startsWith("framebuffer"));
        rm.child("framebuffer@9d400000").cells("reg", 0, 0x9d400000L, 0, 0x800000).cells("phandle", 3);
        assertEquals("reserved", framebuffer(mapped), "a reg region without no-map is memblock_reserve'd");
        FdtWriter cma = board();
        FdtWriter.Node rm2 = child(cma.root, "reserved-memory");
        rm2.children.removeIf(n -> n.name.startsWith("framebuffer"));
        rm2.child("framebuffer@9d400000").cells("reg", 0, 0x9d400000L, 0, 0x800000).flag("reusable").cells("phandle", 3);
        assertEquals("unreserved", framebuffer(cma), "a reusable region is a CMA pool");
        assertTrue(facts(cma).findings().stream().anyMatch(f -> f.kind().equals("scanout-exposed")));
        FdtWriter memreserve = board();
        memreserve.reservations.add(new long[] {0x9d500000L, 0x700000});
        assertEquals("reserved", framebuffer(memreserve), "the rest under /memreserve/");
        assertTrue(facts(memreserve).regions().stream().anyMatch(r -> r.path().equals("/memreserve/ 0x9d500000")));
    }

    /** A display under a bus of 1 address and 1 size cell (as Tegra186's dc under its hub): its entry is read in those cells. */
    static FdtWriter narrowBus(long... entry) {
        FdtWriter w = board();
        FdtWriter.Node soc = child(w.root, "soc@0");
        soc.children.removeIf(n -> n.name.startsWith("display-subsystem"));
        FdtWriter.Node hub = soc.child("bus@ae00000").cells("#address-cells", 1).cells("#size-cells", 1).flag("ranges");
        hub.child("display-subsystem@ae00000").str("compatible", "qcom,sdm845-mdss").cells("iommus", 2, 0x880, 0x8)
                .cells("memory-region", 5).cells("phandle", 4);
        child(w.root, "reserved-memory").child("cont-splash@9d400000").cells("reg", 0, 0x9d400000L, 0, 0x800000).flag("no-map")
                .cells("phandle", 5).cells("iommu-addresses", entry);
        return w;
    }

    @Test
    void iommuAddressesAreReadInTheDisplaysDmaParentCells() {
        var oneCell = BoardPlatforms.targets(facts(narrowBus(4, 0x9d400000L, 0x800000))).get(0).platform().knobDefaults();
        assertEquals("identity", oneCell.get("fw.mapping"), "1+1 cells under a 1/1 bus: a direct entry");
        var twoCells = BoardPlatforms.targets(facts(narrowBus(4, 0, 0x9d400000L, 0, 0x800000))).get(0).platform().knobDefaults();
        assertEquals("translated", twoCells.get("fw.mapping"), "2+2 cells read as 1+1: IOVA 0, length 0x9d400000, a reservation");
    }

    @Test
    void translatingBusesAreTranslated() {
        FdtWriter w = narrowBus(4, 0x1d400000L, 0x800000);
        child(child(w.root, "soc@0"), "bus@").cells("dma-ranges", 0x0, 0x0, 0x80000000L, 0x80000000L);
        var k = BoardPlatforms.targets(facts(w)).get(0).platform().knobDefaults();
        assertEquals("identity", k.get("fw.mapping"), "0x1d400000 on the bus is 0x9d400000 on the CPU side: the reg");
        BoardOverlay o = new BoardOverlay(Fdt.parse("t", w.build()), facts(w), "/soc@0/bus@ae00000/display-subsystem@ae00000");
        assertTrue(o.whyNot(BoardOverlay.IOMMU_ADDRESSES).contains("dma-ranges"), o.whyNot(BoardOverlay.IOMMU_ADDRESSES));
        FdtWriter identity = narrowBus(4, 0x9d400000L, 0x800000);
        child(child(identity.root, "soc@0"), "bus@").cells("dma-ranges", 0x0, 0x0, 0x0, 0xffffffffL);
        BoardOverlay same = new BoardOverlay(Fdt.parse("t", identity.build()), facts(identity),
                "/soc@0/bus@ae00000/display-subsystem@ae00000");
        assertEquals("identity", BoardPlatforms.targets(facts(identity)).get(0).platform().knobDefaults().get("fw.mapping"));
        assertTrue(same.whyNot(BoardOverlay.IOMMU_ADDRESSES) == null || !same.whyNot(BoardOverlay.IOMMU_ADDRESSES).contains("dma-ranges"),
                "1:1 dma-ranges translate nothing: " + same.whyNot(BoardOverlay.IOMMU_ADDRESSES));
    }

    /** Growing a region over another reserved one would fail with -EBUSY (and leave it unreserved); a CMA pool cannot be no-map. */
    @Test
    void theSplashIsNotGrownOverOtherReservedMemoryNorInACmaPool() {
        FdtWriter w = board();
        child(w.root, "reserved-memory").child("tz@9d580000").cells("reg", 0, 0x9d580000L, 0, 0x1000).flag("no-map");
        BoardOverlay o = new BoardOverlay(Fdt.parse("t", w.build()), facts(w), "/soc@0/display-subsystem@ae00000");
        assertTrue(o.whyNot(BoardOverlay.SPLASH).contains("-EBUSY"), o.whyNot(BoardOverlay.SPLASH));
        FdtWriter cma = board();
        FdtWriter.Node rm = child(cma.root, "reserved-memory");
        rm.children.removeIf(n -> n.name.startsWith("framebuffer"));
        rm.child("framebuffer@9d400000").cells("reg", 0, 0x9d400000L, 0, 0x100000).flag("reusable").cells("phandle", 3);
        BoardOverlay c = new BoardOverlay(Fdt.parse("t", cma.build()), facts(cma), "/soc@0/display-subsystem@ae00000");
        assertTrue(c.whyNot(BoardOverlay.SPLASH).contains("reusable"), c.whyNot(BoardOverlay.SPLASH));
        BoardOverlay plain = new BoardOverlay(Fdt.parse("t", board().build()), facts(board()), "/soc@0/display-subsystem@ae00000");
        assertNull(plain.whyNot(BoardOverlay.SPLASH));
        BoardFacts grown = plain.patch(Set.of(BoardOverlay.SPLASH));
        assertEquals("reserved", BoardPlatforms.targets(grown).get(0).platform().knobDefaults().get("fw.framebuffer"));
        assertTrue(plain.overlay(Set.of(BoardOverlay.SPLASH), List.of()).contains(
                "target-path = \"/reserved-memory/framebuffer@9d400000\";\n\t\t__overlay__ {\n"
                        + "\t\t\treg = <0x0 0x9d400000 0x0 0x7e9000>;\n\t\t\tno-map;\n\t\t};"),
                plain.overlay(Set.of(BoardOverlay.SPLASH), List.of()));
    }

    /** The reset line is the dispcc the display's power-domains name; with two and no name, none is guessed. */
    @Test
    void theResetProviderIsTheOneTheDisplayNames() {
        FdtWriter w = board();
        FdtWriter.Node soc = child(w.root, "soc@0");
        child(soc, "display-subsystem").str("compatible", "qcom,sc8280xp-mdss").cells("power-domains", 11, 0);
        soc.child("clock-controller@af00000").str("compatible", "qcom,sc8280xp-dispcc0").cells("#reset-cells", 1)
                .cells("#power-domain-cells", 1).cells("phandle", 10);
        soc.child("clock-controller@22100000").str("compatible", "qcom,sc8280xp-dispcc1").cells("#reset-cells", 1)
                .cells("#power-domain-cells", 1).cells("phandle", 11);
        BoardOverlay o = new BoardOverlay(Fdt.parse("t", w.build()), facts(w), "/soc@0/display-subsystem@ae00000");
        assertNull(o.whyNot(BoardOverlay.RESETS));
        assertTrue(o.overlay(Set.of(BoardOverlay.RESETS), List.of()).contains("resets = <0xb 0x0>;"), "dispcc1's phandle");
        child(soc, "display-subsystem").cells("power-domains");
        BoardOverlay none = new BoardOverlay(Fdt.parse("t", w.build()), facts(w), "/soc@0/display-subsystem@ae00000");
        assertTrue(none.whyNot(BoardOverlay.RESETS).contains("several display clock controllers"), none.whyNot(BoardOverlay.RESETS));
        FdtWriter sdm845 = board();
        child(sdm845.root, "soc@0").child("clock-controller@af00000").str("compatible", "qcom,sdm845-dispcc")
                .cells("#reset-cells", 1).cells("phandle", 10);
        BoardOverlay no = new BoardOverlay(Fdt.parse("t", sdm845.build()), facts(sdm845), "/soc@0/display-subsystem@ae00000");
        assertTrue(no.whyNot(BoardOverlay.RESETS).contains("(qcom,sdm845-dispcc) has no DISP_CC_MDSS_CORE_BCR"),
                no.whyNot(BoardOverlay.RESETS));
    }

    /** The MDSS binding allows one memory-region: an entry is not added by linking a second region. */
    @Test
    void aSecondMemoryRegionIsNotAdded() {
        FdtWriter w = board();
        FdtWriter.Node rm = child(w.root, "reserved-memory");
        rm.children.removeIf(n -> n.name.startsWith("framebuffer"));
        rm.child("other@80000000").cells("reg", 0, 0x80000000L, 0, 0x1000).cells("phandle", 3);
        rm.child("splash@9d400000").cells("reg", 0, 0x9d400000L, 0, 0x800000).flag("no-map").cells("phandle", 6);
        BoardOverlay o = new BoardOverlay(Fdt.parse("t", w.build()), facts(w), "/soc@0/display-subsystem@ae00000");
        assertTrue(o.whyNot(BoardOverlay.IOMMU_ADDRESSES).contains("allows one region"), o.whyNot(BoardOverlay.IOMMU_ADDRESSES));
    }

    static boolean tools() {
        try {
            return new ProcessBuilder("dtc", "--version").start().waitFor() == 0
                    && new ProcessBuilder("fdtoverlay", "--help").start().waitFor() >= 0;
        } catch (Exception e) {
            return false;
        }
    }

    static String run(java.nio.file.Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    /**
     * A display and a splash region without phandles: the overlay labels their fragments, and
     * fdtoverlay gives both phandles and fixes the references; the patched blob reads as the
     * patched facts (a direct entry for the display).
     */
    @Test
    void nodesWithoutPhandlesAreNamedThroughTheirFragments(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        FdtWriter w = board();
        FdtWriter.Node rm = child(w.root, "reserved-memory");
        rm.children.removeIf(n -> n.name.startsWith("framebuffer"));
        rm.child("cont-splash@9d400000").cells("reg", 0, 0x9d400000L, 0, 0x800000).flag("no-map");
        FdtWriter.Node mdss = child(child(w.root, "soc@0"), "display-subsystem");
        mdss.props.remove("phandle");
        mdss.props.remove("memory-region");
        BoardFacts f = facts(w);
        BoardOverlay o = new BoardOverlay(Fdt.parse("t", w.build()), f, "/soc@0/display-subsystem@ae00000");
        assertNull(o.whyNot(BoardOverlay.IOMMU_ADDRESSES));
        String dtso = o.overlay(Set.of(BoardOverlay.IOMMU_ADDRESSES), List.of());
        assertTrue(dtso.contains("handoff_display: __overlay__") && dtso.contains("handoff_region: __overlay__")
                && dtso.contains("memory-region = <&handoff_region>;") && dtso.contains("iommu-addresses = <&handoff_display 0x0 0x9d400000"),
                dtso);
        var expected = BoardPlatforms.targets(o.patch(Set.of(BoardOverlay.IOMMU_ADDRESSES))).get(0).platform().knobDefaults();
        assertEquals("identity", expected.get("fw.mapping"));
        org.junit.jupiter.api.Assumptions.assumeTrue(tools(), "dtc and fdtoverlay");
        java.nio.file.Files.write(dir.resolve("b.dtb"), w.build());
        java.nio.file.Files.writeString(dir.resolve("f.dtso"), dtso);
        run(dir, "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", "f.dtbo", "f.dtso");
        run(dir, "fdtoverlay", "-i", "b.dtb", "-o", "p.dtb", "f.dtbo");
        var actual = BoardPlatforms.targets(DeviceTreeReader.read(dir.resolve("p.dtb"))).get(0).platform().knobDefaults();
        assertEquals(expected, actual);
    }
}
