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
        assertTrue(kinds.contains("overlapping-streams"), "0x888 lies inside 0x880/0x8: " + kinds);
        assertEquals(1920, f.framebuffers().get(0).width());
        BoardPlatforms.Target t = BoardPlatforms.targets(f).get(0);
        assertEquals("unreserved", t.platform().knobDefaults().get("fw.framebuffer"), "the scanout is only partly no-map");
        assertEquals(List.of("/soc@0/ufshc@1d84000", "/soc@0/dma@1dc4000"),
                t.platform().masters().stream().map(dev.handoff.model.scenario.Master::name).toList(), "every client, in DT order");
        assertEquals(2, t.platform().contextBanks(), "the SMMU node's context interrupts");
        assertEquals(8, t.platform().smrGroups(), "enough for every client's entries, at least 8");
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
