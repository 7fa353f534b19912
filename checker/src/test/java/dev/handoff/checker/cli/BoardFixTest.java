package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.model.board.FdtWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.handoff.checker.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code handoff board --fix} on crafted boards whose fix is known by construction (a missing
 * MDSS reset, an under-sized splash reservation, an iommu-addresses entry stating a non-identity
 * firmware mapping) and on the shared real DTBs.
 */
class BoardFixTest {
    /** A dtc on PATH: the overlay is then compiled, applied and re-checked, and the test insists on it. */
    static boolean dtc() {
        try {
            Process p = new ProcessBuilder("fdtoverlay", "--help").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
            Process q = new ProcessBuilder("dtc", "--version").redirectErrorStream(true).start();
            q.getInputStream().readAllBytes();
            return q.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * An SC7180-like board: a qcom MMU-500 with 4 context banks, the MDSS (0x800/0x2) with a
     * memory-region to the splash region, a UFS client, the display clock controller (which has
     * DISP_CC_MDSS_CORE_BCR), and a simple-framebuffer of 1920x1080x4 at 0x9c000000.
     *
     * @param resets     the MDSS node has resets
     * @param splashSize the splash region's size (0x800000 covers the scanout of 0x7e9000 bytes)
     * @param iova       the splash region's iommu-addresses IOVA for the MDSS, or -1 for none
     */
    static Path board(Path dir, String name, boolean resets, long splashSize, long iova) throws Exception {
        FdtWriter w = new FdtWriter();
        w.root.cells("#address-cells", 2).cells("#size-cells", 2).str("model", "crafted sc7180").cells("interrupt-parent", 1);
        w.root.child("interrupt-controller@17a00000").cells("#interrupt-cells", 3).flag("interrupt-controller").cells("phandle", 1);
        FdtWriter.Node rm = w.root.child("reserved-memory").cells("#address-cells", 2).cells("#size-cells", 2).flag("ranges");
        FdtWriter.Node splash = rm.child("splash@9c000000").cells("reg", 0, 0x9c000000L, 0, splashSize).flag("no-map").cells("phandle", 5);
        if (iova >= 0) {
            splash.cells("iommu-addresses", 6, iova >>> 32, iova & 0xffffffffL, 0, 0x800000);
        }
        w.root.child("chosen").child("framebuffer@9c000000").str("compatible", "simple-framebuffer")
                .cells("reg", 0, 0x9c000000L, 0, 0x7e9000).cells("width", 1920).cells("height", 1080).cells("stride", 7680)
                .str("format", "a8r8g8b8");
        FdtWriter.Node soc = w.root.child("soc@0").cells("#address-cells", 2).cells("#size-cells", 2);
        soc.child("iommu@15000000").str("compatible", "qcom,sc7180-smmu-500", "arm,mmu-500").cells("#iommu-cells", 2)
                .cells("#global-interrupts", 1).cells("interrupts", 0, 65, 4, 0, 96, 4, 0, 97, 4, 0, 98, 4, 0, 99, 4).cells("phandle", 2);
        soc.child("clock-controller@af00000").str("compatible", "qcom,sc7180-dispcc").cells("#clock-cells", 1)
                .cells("#reset-cells", 1).cells("phandle", 3);
        soc.child("ufshc@1d84000").str("compatible", "qcom,sc7180-ufshc").cells("iommus", 2, 0xa0, 0);
        FdtWriter.Node mdss = soc.child("display-subsystem@ae00000").str("compatible", "qcom,sc7180-mdss")
                .cells("iommus", 2, 0x800, 0x2).cells("memory-region", 5).cells("phandle", 6);
        if (resets) {
            mdss.cells("resets", 3, 0);
        }
        Path f = dir.resolve(name);
        Files.write(f, w.build());
        return f;
    }

    static JsonNode fix(String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("board"));
        a.addAll(List.of(args));
        a.addAll(List.of("--format", "json"));
        CliTest.Run r = run(a.toArray(new String[0]));
        assertEquals(ExitCode.HOLDS, r.code(), r.err() + r.out());
        JsonNode root = RunReport.JSON.readTree(r.out());
        assertEquals("handoff.fix/1", root.get("schema").asText());
        SchemaConsumersTest.valid("fix", root);
        return root.get("displays").get(0);
    }

    static List<String> changes(JsonNode fix) {
        List<String> out = new ArrayList<>();
        fix.get("changes").forEach(c -> out.add(c.get("id").asText()));
        return out;
    }

    /** Every cell of every fix's proof holds. */
    static void proven(JsonNode display) {
        assertFalse(display.get("fixes").isEmpty(), display.toString());
        for (JsonNode f : display.get("fixes")) {
            assertFalse(f.get("proof").isEmpty());
            for (JsonNode cell : f.get("proof")) {
                for (JsonNode p : cell.get("properties")) {
                    assertEquals("HOLDS", p.get("verdict").asText(), changes(f) + ": " + p);
                }
            }
        }
    }

    static String exec(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    /**
     * The diff's consumer: GNU patch applies it to the decompiled board, and the result is the
     * decompiled blob that fdtoverlay makes from the overlay (skipped where patch is missing).
     */
    static void diffAppliesWithPatch(Path dir, Path dtb, JsonNode overlay) throws Exception {
        try {
            new ProcessBuilder("patch", "--version").start().waitFor();
        } catch (java.io.IOException e) {
            return;
        }
        Path work = Files.createDirectories(dir.resolve("patched"));
        String stem = dtb.getFileName().toString().replaceAll("\\.dtb$", "");
        exec(work, "dtc", "-q", "-I", "dtb", "-O", "dts", "-o", stem + ".dts", dtb.toString());
        Files.writeString(work.resolve("fix.diff"), overlay.get("diff").asText());
        exec(work, "patch", "-p1", "-i", "fix.diff");
        Files.writeString(work.resolve("fix.dtso"), overlay.get("dtso").asText());
        exec(work, "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", "fix.dtbo", "fix.dtso");
        exec(work, "fdtoverlay", "-i", dtb.toString(), "-o", "fixed.dtb", "fix.dtbo");
        exec(work, "dtc", "-q", "-I", "dtb", "-O", "dts", "-o", "fixed.dts", "fixed.dtb");
        assertEquals(Files.readString(work.resolve("fixed.dts")), Files.readString(work.resolve(stem + ".dts")));
    }

    static void overlayChecked(JsonNode fix) {
        JsonNode ov = fix.get("overlay");
        assertTrue(ov.get("dtso").asText().startsWith("/dts-v1/;\n/plugin/;\n"), ov.get("dtso").asText());
        if (dtc()) {
            assertTrue(ov.get("status").asText().startsWith("verified"), ov.get("status").asText());
            assertTrue(ov.get("patchedBoardSafe").asBoolean(), ov.toString());
            assertTrue(ov.get("diff").asText().startsWith("--- a/"), ov.get("diff").asText());
        }
    }

    /**
     * No reset on the MDSS and clk_ignore_unused (the engine keeps scanning until the driver
     * binds and attaches its own domain): the dispcc's MDSS core reset, a one-line DT change, is
     * the cheapest fix; without it the driver's attach faults the live fetch.
     */
    @Test
    void aMissingResetIsFixedWithTheDispccResetLine(@TempDir Path dir) throws Exception {
        Path b = board(dir, "noreset.dtb", false, 0x800000, -1);
        JsonNode d = fix(b.toString(), "--fix", "--set", "kernel.clk-ignore-unused=yes", "--set", "fw.mapping=identity",
                "--set", "fw.smr=match", "--property", "no-dma-fault");
        proven(d);
        JsonNode first = d.get("fixes").get(0);
        assertEquals(List.of("dt.resets"), changes(first));
        assertEquals(1, first.get("cost").asInt());
        assertTrue(first.get("overlay").get("dtso").asText().contains("\t\ttarget-path = \"/soc@0/display-subsystem@ae00000\";\n"
                + "\t\t__overlay__ {\n\t\t\tresets = <0x3 0x0>;"), first.get("overlay").get("dtso").asText());
        JsonNode without = first.get("changes").get(0).get("without");
        assertEquals("no-dma-fault", without.get("property").asText());
        assertTrue(without.get("rootCause").asText().contains("attach_own_domain"), without.toString());
        overlayChecked(first);
    }

    /** A no-map splash region smaller than the scanout (voyager-style): the region is grown to the scanout. */
    @Test
    void anUnderSizedReservationIsGrownToTheScanout(@TempDir Path dir) throws Exception {
        Path b = board(dir, "small.dtb", true, 0x100000, -1);
        JsonNode d = fix(b.toString(), "--fix", "--set", "fw.mapping=identity", "--set", "fw.smr=match",
                "--property", "no-corruption", "--property", "right-page");
        proven(d);
        JsonNode first = d.get("fixes").get(0);
        assertEquals(List.of("dt.splash"), changes(first));
        String dtso = first.get("overlay").get("dtso").asText();
        assertTrue(dtso.contains("target-path = \"/reserved-memory/splash@9c000000\";\n\t\t__overlay__ {\n"
                + "\t\t\treg = <0x0 0x9c000000 0x0 0x7e9000>;\n\t\t\tno-map;"), dtso);
        assertEquals("no-corruption", first.get("changes").get(0).get("without").get("property").asText());
        overlayChecked(first);
        if (dtc()) {
            assertTrue(first.get("overlay").get("diff").asText().contains("+\t\t\treg = <0x00 0x9c000000 0x00 0x7e9000>;"),
                    first.get("overlay").get("diff").asText());
            diffAppliesWithPatch(dir, b, first.get("overlay"));
        }
    }

    /**
     * The tree's iommu-addresses entry maps the splash at another IOVA (a translated firmware
     * mapping, which 6.12 only reserves): making the firmware map it 1:1 is a fix only together
     * with an identity entry (each needs the other); with quiescing made dear, that pair is the
     * cheapest fix, and its overlay replaces the entry.
     */
    @Test
    void aNonIdentityMappingNeedsAnIdentityMappingAndItsEntry(@TempDir Path dir) throws Exception {
        Path b = board(dir, "translated.dtb", true, 0x800000, 0x10000000L);
        JsonNode d = fix(b.toString(), "--fix", "--set", "fw.smr=match", "--property", "no-dma-fault", "--property", "right-page",
                "--cost", "fw.quiesce=10", "--cost", "kernel.passthrough=10", "--fixes", "1");
        proven(d);
        JsonNode first = d.get("fixes").get(0);
        assertEquals(List.of("dt.iommu-addresses", "fw.identity-mapping"), changes(first));
        assertEquals(5, first.get("cost").asInt());
        String dtso = first.get("overlay").get("dtso").asText();
        assertTrue(dtso.contains("iommu-addresses = <0x6 0x0 0x9c000000 0x0 0x800000>;"), dtso);
        overlayChecked(first);
        boolean required = false;
        for (JsonNode q : d.get("requirements")) {
            required |= q.get("change").asText().equals("fw.identity-mapping") && q.get("needs").asText().equals("dt.iommu-addresses");
        }
        assertTrue(required, d.get("requirements").toString());
    }

    /** --fix-for fixes the kernel: only device-tree and firmware changes are offered. */
    @Test
    void fixForAPolicyOffersNoKernelChange(@TempDir Path dir) throws Exception {
        Path b = board(dir, "small.dtb", true, 0x100000, -1);
        JsonNode d = fix(b.toString(), "--fix-for", "qcom-bypass", "--set", "fw.smr=match", "--set", "fw.mapping=identity",
                "--property", "no-corruption");
        assertEquals("qcom-bypass", d.get("policy").asText());
        for (JsonNode c : d.get("changes")) {
            assertFalse(c.get("kind").asText().equals("kernel"), c.toString());
        }
        proven(d);
        assertEquals(List.of("dt.splash"), changes(d.get("fixes").get(0)));
    }

    /** The real db845c: a proven fix, the search counted, and its ruled-out families reported. */
    @Test
    void db845cGetsAProvenFix() throws Exception {
        JsonNode d = fix(BoardCliTest.sharedDtb("sdm845-db845c.dtb").toString(), "--fix", "--property", "no-dma-fault",
                "--fixes", "2");
        proven(d);
        JsonNode s = d.get("search");
        assertTrue(s.get("checked").asInt() < s.get("allowed").asInt(), s.toString());
        assertTrue(s.get("families").asInt() >= 1, s.toString());
        boolean noReset = false;
        for (JsonNode n : d.get("notOffered")) {
            noReset |= n.get("change").asText().equals("dt.resets") && n.get("why").asText().contains("DISP_CC_MDSS_CORE_BCR");
        }
        assertTrue(noReset, "sdm845's dispcc has no MDSS core reset: " + d.get("notOffered"));
    }

    @Test
    void badFixArgumentsAreUsageErrors(@TempDir Path dir) throws Exception {
        Path b = board(dir, "small.dtb", true, 0x100000, -1);
        CliTest.Run both = run("board", b.toString(), "--fix", "--fix-for", "qcom-bypass");
        assertEquals(ExitCode.USAGE, both.code(), both.err());
        CliTest.Run cost = run("board", b.toString(), "--fix", "--cost", "dt.nothing=2");
        assertEquals(ExitCode.USAGE, cost.code(), cost.err());
        assertTrue(cost.err().contains("--cost: \"dt.nothing\" is not a change of a board (known: dt.resets"), cost.err());
        CliTest.Run notKv = run("board", b.toString(), "--fix", "--cost", "fw.quiesce");
        assertEquals(ExitCode.USAGE, notKv.code(), notKv.err());
        assertTrue(notKv.err().contains("--cost: \"fw.quiesce\" is not CHANGE=N"), notKv.err());
        CliTest.Run without = run("board", b.toString(), "--fixes", "2");
        assertEquals(ExitCode.USAGE, without.code(), without.err());
        assertTrue(without.err().contains("--fixes applies to --fix"), without.err());
        CliTest.Run forbid = run("board", b.toString(), "--fix", "--forbid", "kernel.version=4.19");
        assertEquals(ExitCode.USAGE, forbid.code(), forbid.err());
        CliTest.Run out = run("board", b.toString(), "--fix", "--fix-out", dir.resolve("small.dtb").resolve("x").toString());
        assertEquals(ExitCode.USAGE, out.code(), out.err());
        assertTrue(out.err().contains("is not a writable directory"), out.err());
        CliTest.Run policy = run("board", b.toString(), "--fix-for", "nosuch");
        assertEquals(ExitCode.USAGE, policy.code(), policy.err());
        CliTest.Run version = run("board", b.toString(), "--fix", "--cost", "kernel.version=6.6=1");
        assertEquals(ExitCode.USAGE, version.code(), version.err());
        assertTrue(version.err().contains("a cost is set for every kernel version at once"), version.err());
        CliTest.Run nan = run("board", b.toString(), "--fix", "--cost", "fw.quiesce=abc");
        assertTrue(nan.code() == ExitCode.USAGE && nan.err().contains("\"abc\" is not a number"), nan.err());
        CliTest.Run junit = run("board", b.toString(), "--fix", "--junit-out", dir.resolve("j.xml").toString());
        assertEquals(ExitCode.USAGE, junit.code(), junit.err());
        CliTest.Run vary = run("board", b.toString(), "--fix", "--vary", "nosuch.knob");
        assertEquals(ExitCode.USAGE, vary.code(), vary.err());
        CliTest.Run both2 = run("board", b.toString(), "--fix", "--vary", "fw.mapping", "--set", "fw.mapping=identity");
        assertEquals(ExitCode.USAGE, both2.code(), both2.err());
        CliTest.Run checkDt = run("check", "--platform", "c630", "--fix", "--cost", "dt.splash=2");
        assertEquals(ExitCode.USAGE, checkDt.code(), checkDt.err());
        assertTrue(checkDt.err().contains("known: board.reset"), checkDt.err());
        CliTest.Run range = run("board", b.toString(), "--fix", "--cost", "dt.splash=0");
        assertEquals(ExitCode.USAGE, range.code(), range.err());
        CliTest.Run fmt = run("board", b.toString(), "--fix", "--format", "junit");
        assertEquals(ExitCode.USAGE, fmt.code(), fmt.err());
        CliTest.Run acpiPolicy = run("board", b.toString(), "--fix-for", "rmr-identity");
        assertEquals(ExitCode.USAGE, acpiPolicy.code(), acpiPolicy.err());
        assertTrue(acpiPolicy.err().contains("needs an ACPI boot"), acpiPolicy.err());
    }

    /** --fix-out writes each device-tree fix's overlay and diff. */
    @Test
    void fixOutWritesTheOverlay(@TempDir Path dir) throws Exception {
        Path b = board(dir, "small.dtb", true, 0x100000, -1);
        CliTest.Run r = run("board", b.toString(), "--fix", "--set", "fw.mapping=identity", "--set", "fw.smr=match",
                "--property", "no-corruption", "--fixes", "1", "--fix-out", dir.resolve("out").toString());
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        String dtso = Files.readString(dir.resolve("out.fix1.dtso"));
        assertTrue(dtso.contains("no-map;"), dtso);
        assertTrue(r.out().contains("fix 1 (cost 1, the cheapest):"), r.out());
        assertEquals(dtc(), Files.exists(dir.resolve("out.fix1.diff")));
    }

    /** check --fix on a platform preset: board facts as knob changes, the variants --vary names, a proven fix. */
    @Test
    void checkFixOnAPreset() throws Exception {
        CliTest.Run r = run("check", "--platform", "c630", "--fix", "--vary", "fw.mapping", "--set", "fw.smr=match",
                "--property", "no-dma-fault", "--format", "json");
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        SchemaConsumersTest.valid("fix", RunReport.JSON.readTree(r.out()));
        JsonNode d = RunReport.JSON.readTree(r.out()).get("displays").get(0);
        assertEquals("c630", d.get("display").asText());
        assertEquals("[\"fw.mapping\"]", d.get("vary").toString());
        proven(d);
        for (JsonNode f : d.get("fixes")) {
            boolean pins = changes(f).contains("fw.identity-mapping") || changes(f).contains("board.iommu-addresses");
            assertEquals(pins ? 1 : 2, f.get("proof").size(), "both firmware mappings unless the fix pins it: " + changes(f));
        }
        CliTest.Run noFix = run("check", "--platform", "c630", "--vary", "fw.mapping");
        assertEquals(ExitCode.USAGE, noFix.code(), noFix.err());
    }

    /** No /reserved-memory at all: the overlay creates it with the root's cells, and the patched blob is safe. */
    @Test
    void aTreeWithoutReservedMemoryGetsOne(@TempDir Path dir) throws Exception {
        FdtWriter w = new FdtWriter();
        w.root.cells("#address-cells", 2).cells("#size-cells", 2).str("model", "crafted bare").cells("interrupt-parent", 1);
        w.root.child("interrupt-controller@17a00000").cells("#interrupt-cells", 3).flag("interrupt-controller").cells("phandle", 1);
        w.root.child("chosen").child("framebuffer@9c000000").str("compatible", "simple-framebuffer")
                .cells("reg", 0, 0x9c000000L, 0, 0x7e9000).cells("width", 1920).cells("height", 1080).cells("stride", 7680)
                .str("format", "a8r8g8b8");
        FdtWriter.Node soc = w.root.child("soc@0").cells("#address-cells", 2).cells("#size-cells", 2);
        soc.child("iommu@15000000").str("compatible", "qcom,sc7180-smmu-500", "arm,mmu-500").cells("#iommu-cells", 2)
                .cells("#global-interrupts", 1).cells("interrupts", 0, 65, 4, 0, 96, 4, 0, 97, 4, 0, 98, 4, 0, 99, 4).cells("phandle", 2);
        soc.child("display-subsystem@ae00000").str("compatible", "qcom,sc7180-mdss").cells("iommus", 2, 0x800, 0x2)
                .cells("resets", 1, 0);
        Path b = dir.resolve("bare.dtb");
        Files.write(b, w.build());
        JsonNode d = fix(b.toString(), "--fix", "--set", "fw.smr=match", "--set", "fw.mapping=identity", "--property", "no-corruption",
                "--fixes", "1");
        proven(d);
        JsonNode first = d.get("fixes").get(0);
        assertEquals(List.of("dt.splash"), changes(first));
        String dtso = first.get("overlay").get("dtso").asText();
        assertTrue(dtso.contains("target-path = \"/\";") && dtso.contains("reserved-memory {\n\t\t\t\t#address-cells = <2>;"), dtso);
        overlayChecked(first);
    }

    /**
     * A varied kernel knob is one the fix must hold under every value of: no kernel.version change
     * is offered, every fix is proven on every version; --forbid leaves a change out.
     */
    @Test
    void aVariedKernelIsNotChangedAndForbiddenChangesAreLeftOut() throws Exception {
        JsonNode d = fix(BoardCliTest.sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString(), "--fix", "--vary", "kernel.version",
                "--set", "fw.smr=match", "--set", "fw.mapping=identity", "--property", "no-dma-fault", "--forbid", "fw.quiesce",
                "--fixes", "1");
        for (JsonNode c : d.get("changes")) {
            assertFalse(c.get("id").asText().startsWith("kernel.version") || c.get("id").asText().equals("fw.quiesce"), c.toString());
        }
        proven(d);
        assertEquals(5, d.get("fixes").get(0).get("proof").size(), "every kernel version: " + changes(d.get("fixes").get(0)));
    }

    /** Tegra's heads: the same model input in every variant and no DT change, so the first head's answer is the others'. */
    @Test
    void identicalHeadsShareOneSearch() throws Exception {
        CliTest.Run r = run("board", BoardCliTest.sharedDtb("tegra186-p2771-0000.dtb").toString(), "--fix", "--property",
                "no-dma-fault", "--fixes", "1", "--format", "json");
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        JsonNode root = RunReport.JSON.readTree(r.out());
        SchemaConsumersTest.valid("fix", root);
        JsonNode ds = root.get("displays");
        assertEquals(3, ds.size());
        assertFalse(ds.get(0).has("sameAs"));
        for (int i = 1; i < 3; i++) {
            assertEquals(ds.get(0).get("display").asText(), ds.get(i).get("sameAs").asText());
            assertEquals(ds.get(0).get("fixes").toString(), ds.get(i).get("fixes").toString());
        }
    }

    /** A candidate a search limit leaves undecided stops the search (exit 20): no costlier fix would be known to be the cheapest. */
    @Test
    void anUndecidedCandidateStopsTheSearch(@TempDir Path dir) throws Exception {
        Path b = board(dir, "small.dtb", true, 0x100000, -1);
        CliTest.Run r = run("board", b.toString(), "--fix", "--max-states", "10", "--property", "no-corruption");
        assertEquals(ExitCode.INCONCLUSIVE, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("could not be decided") && r.out().contains("state limit reached (10 states)"), r.out());
        assertTrue(r.out().contains("no fix found before the search stopped"), r.out());
    }

    /** --fix-for all: every preset the board can run, safe as it is or with its cheapest board change; no kernel change anywhere. */
    @Test
    void fixForAllAnswersEveryPreset() throws Exception {
        String dtb = BoardCliTest.sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString();
        CliTest.Run r = run("board", dtb, "--fix-for", "all", "--property", "no-dma-fault", "--format", "json");
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        JsonNode root = RunReport.JSON.readTree(r.out());
        SchemaConsumersTest.valid("fix", root);
        List<String> policies = new ArrayList<>();
        for (JsonNode d : root.get("displays")) {
            policies.add(d.get("policy").asText());
            for (JsonNode c : d.get("changes")) {
                assertFalse(c.get("kind").asText().equals("kernel"), d.get("policy") + ": " + c);
            }
            assertTrue(d.get("fixes").size() <= 1, "one fix per preset unless --fixes says more");
            if (d.get("policy").asText().equals("fw-quiesce")) {
                assertEquals(List.of(), changes(d.get("fixes").get(0)), "fw-quiesce quiesces already");
            }
        }
        assertEquals(dev.handoff.model.scenario.Policies.applying("dt").stream().map(dev.handoff.model.scenario.Policy::name).toList(),
                policies);
        CliTest.Run text = run("board", dtb, "--fix-for", "all", "--property", "no-dma-fault");
        assertTrue(text.out().contains("  fw-quiesce ") && text.out().contains("safe as the board is"), text.out());
    }

    /** An IORT board: no device-tree change, an RMR among the firmware changes; the RMR's own board states it already. */
    @Test
    void anIortBoardIsOfferedAnRmr(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("iort.bin");
        Files.write(f, new dev.handoff.model.board.IortWriter().component("\\_SB_.MDSS", 0x880, 1)
                .component("\\_SB_.UFS0", 0x100, 16).build());
        CliTest.Run r = run("board", "--acpi", f.toString(), "--fix", "--property", "no-dma-fault", "--format", "json");
        assertTrue(r.code() == ExitCode.HOLDS || r.code() == ExitCode.SAFETY_VIOLATED, r.err());
        JsonNode d = RunReport.JSON.readTree(r.out()).get("displays").get(0);
        List<String> ids = new ArrayList<>();
        d.get("changes").forEach(c -> ids.add(c.get("id").asText()));
        assertTrue(ids.contains("fw.rmr"), ids.toString());
        assertTrue(ids.stream().noneMatch(x -> x.startsWith("dt.") || x.startsWith("board.")), ids.toString());
        Path withRmr = dir.resolve("rmr.bin");
        Files.write(withRmr, new dev.handoff.model.board.IortWriter().component("\\_SB_.MDSS", 0x880, 1)
                .component("\\_SB_.UFS0", 0x100, 16).rmr(0, 0x9d400000L, 0x800000L, 0x880, 1).build());
        JsonNode e = RunReport.JSON.readTree(run("board", "--acpi", withRmr.toString(), "--fix", "--property", "no-dma-fault",
                "--format", "json").out()).get("displays").get(0);
        boolean stated = false;
        for (JsonNode n : e.get("notOffered")) {
            stated |= n.get("change").asText().equals("fw.rmr");
        }
        assertTrue(stated, "the board's RMR already describes it: " + e.get("notOffered"));
    }

    /**
     * --set fw.framebuffer=reserved pins what the splash change would set, so it is not offered;
     * the iommu-addresses change needs it (no region holds the scanout) and is left out too.
     */
    @Test
    void aChangeWhoseRequirementIsNotOfferedIsLeftOut(@TempDir Path dir) throws Exception {
        Path b = board(dir, "small.dtb", true, 0x100000, -1);
        JsonNode d = fix(b.toString(), "--fix", "--set", "fw.framebuffer=reserved", "--property", "no-dma-fault", "--fixes", "1");
        boolean left = false;
        for (JsonNode n : d.get("notOffered")) {
            left |= n.get("change").asText().equals("dt.iommu-addresses") && n.get("why").asText().contains("needs dt.splash");
        }
        assertTrue(left, d.get("notOffered").toString());
        proven(d);
    }
}
