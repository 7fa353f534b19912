package dev.handoff.model.board;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facts of shared/dtb/README.md, read from the real blobs. */
class DeviceTreeReaderTest {
    static BoardFacts read(String name) {
        return DeviceTreeReader.read(SharedDtbs.file(name));
    }

    static BoardFacts.Device device(BoardFacts f, String path) {
        return f.devices().stream().filter(d -> d.path().equals(path)).findFirst().orElseThrow(() -> new AssertionError(path));
    }

    static BoardFacts.Smmu smmu(BoardFacts f, String path) {
        return f.smmus().stream().filter(s -> s.path().equals(path)).findFirst().orElseThrow(() -> new AssertionError(path));
    }

    static List<String> streams(BoardFacts.Device d) {
        return d.streams().stream().map(s -> String.format("0x%x/0x%x", s.sid(), s.mask())).toList();
    }

    @Test
    void db845c() {
        BoardFacts f = read("sdm845-db845c.dtb");
        BoardFacts.Smmu apps = smmu(f, "/soc@0/iommu@15000000");
        assertEquals(List.of("qcom,sdm845-smmu-500", "arm,mmu-500"), apps.compatible());
        assertTrue(apps.arm());
        assertEquals(2, apps.iommuCells());
        assertEquals(1, apps.globalInterrupts());
        assertEquals(64, apps.contextInterrupts());
        BoardFacts.Device mdss = device(f, "/soc@0/display-subsystem@ae00000");
        assertEquals("display", mdss.role());
        assertTrue(mdss.enabled());
        assertEquals(List.of("0x880/0x8", "0xc80/0x8"), streams(mdss));
        assertEquals(List.of("/reserved-memory/framebuffer@9d400000"), mdss.memoryRegions());
        BoardFacts.Region splash = f.regions().stream().filter(r -> r.path().equals("/reserved-memory/framebuffer@9d400000"))
                .findFirst().orElseThrow();
        assertEquals(0x9d400000L, splash.base());
        assertEquals(0x2400000L, splash.size());
        assertTrue(splash.noMap());
        BoardFacts.Smmu gpuSmmu = smmu(f, "/soc@0/iommu@5040000");
        assertEquals(1, gpuSmmu.iommuCells());
        assertEquals(8, gpuSmmu.contextInterrupts());
        assertTrue(gpuSmmu.compatible().contains("qcom,adreno-smmu"));
        BoardFacts.Device gpu = f.devices().stream().filter(d -> d.role().equals("gpu") && d.path().contains("gpu@"))
                .findFirst().orElseThrow();
        assertEquals(List.of("0x0/0x0"), streams(gpu));
        assertTrue(f.framebuffers().isEmpty());
        assertTrue(f.findings().stream().noneMatch(x -> x.kind().equals("scanout-exposed")), f.findings().toString());
    }

    @Test
    void sameBoardFromTwoKernelVersionsGivesTheSameFacts() {
        BoardFacts a = read("sdm845-db845c.dtb");
        BoardFacts b = read("sdm845-db845c-linux6.1.dtb");
        BoardFacts.Device newer = a.devices().stream().filter(d -> d.role().equals("display")).findFirst().orElseThrow();
        BoardFacts.Device older = b.devices().stream().filter(d -> d.role().equals("display")).findFirst().orElseThrow();
        assertEquals("/soc@0/mdss@ae00000", older.path(), "6.1 names the node mdss");
        assertEquals(streams(newer), streams(older));
        assertEquals(newer.memoryRegions(), older.memoryRegions());
        assertEquals(newer.enabled(), older.enabled());
    }

    @Test
    void yogaC630() {
        BoardFacts f = read("sdm850-lenovo-yoga-c630.dtb");
        assertEquals(64, smmu(f, "/soc@0/iommu@15000000").contextInterrupts());
        BoardFacts.Device mdss = device(f, "/soc@0/display-subsystem@ae00000");
        assertEquals(List.of("0x880/0x8", "0xc80/0x8"), streams(mdss));
        assertTrue(mdss.memoryRegions().isEmpty());
        assertFalse(mdss.hasResets());
        assertTrue(f.findings().stream().anyMatch(x -> x.kind().equals("framebuffer-not-described")));
    }

    @Test
    void x13sMaskMatchesFourStreamIds() {
        BoardFacts f = read("sc8280xp-lenovo-thinkpad-x13s.dtb");
        BoardFacts.Smmu apps = smmu(f, "/soc@0/iommu@15000000");
        assertEquals(2, apps.globalInterrupts());
        assertEquals(128, apps.contextInterrupts());
        BoardFacts.Device mdss0 = device(f, "/soc@0/display-subsystem@ae00000");
        BoardFacts.Device mdss1 = device(f, "/soc@0/display-subsystem@22000000");
        assertEquals(List.of("0x1000/0x402"), streams(mdss0));
        assertEquals(List.of("0x1800/0x402"), streams(mdss1));
        assertTrue(mdss0.enabled());
        assertFalse(mdss1.enabled());
        assertTrue(mdss0.hasResets());
        assertEquals(12, smmu(f, "/soc@0/iommu@3da0000").contextInterrupts());
    }

    @Test
    void tegra186ThreeHeadsOnStreamNine() {
        BoardFacts f = read("tegra186-p2771-0000.dtb");
        BoardFacts.Smmu s = smmu(f, "/iommu@12000000");
        assertEquals(List.of("nvidia,tegra186-smmu", "nvidia,smmu-500"), s.compatible());
        assertEquals(1, s.iommuCells());
        assertEquals(64, s.contextInterrupts());
        assertEquals(0x7f80, s.streamMatchMask());
        List<BoardFacts.Device> heads = f.devices().stream().filter(d -> d.role().equals("display")).toList();
        assertEquals(3, heads.size());
        for (BoardFacts.Device d : heads) {
            assertTrue(d.path().startsWith("/host1x@13e00000/display-hub@15200000/display@152"), d.path());
            // 1-cell specifier: arm_smmu_of_xlate takes the mask from the SMMU's stream-match-mask (0x7f80)
            assertEquals(List.of("0x9/0x7f80"), streams(d));
        }
        assertTrue(f.regions().isEmpty());
    }

    @Test
    void everySharedBlobReadsQuickly() throws Exception {
        List<Path> all;
        try (Stream<Path> s = Files.list(SharedDtbs.dir())) {
            all = s.filter(p -> p.toString().endsWith(".dtb")).sorted().toList();
        }
        assertEquals(5, all.size());
        for (Path p : all) {
            BoardFacts f = DeviceTreeReader.read(p);
            assertFalse(f.smmus().isEmpty(), p.toString());
            assertTrue(f.devices().stream().anyMatch(d -> d.role().equals("display")), p.toString());
        }
    }
}
