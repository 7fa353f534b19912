package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.model.board.FdtWriter;
import dev.handoff.model.board.IortWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.handoff.checker.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** handoff board on real and crafted inputs. */
class BoardCliTest {
    static Path sharedDtb(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("shared").resolve("dtb").resolve(name);
            if (Files.exists(d)) {
                return d;
            }
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError("shared/dtb not found beside the repository");
        }
        Assumptions.abort("shared/dtb not found");
        return null;
    }

    @Test
    void db845cJsonFollowsTheSchema() throws Exception {
        CliTest.Run r = run("board", sharedDtb("sdm845-db845c.dtb").toString(), "--policy", "qcom-bypass",
                "--policy", "fw-quiesce", "--format", "json", "--set", "hyp.clientpd=ignored");
        assertEquals(0, r.code(), r.err());
        JsonNode j = RunReport.JSON.readTree(r.out());
        assertEquals("handoff.board/2", j.get("schema").asText());
        assertEquals("Thundercomm Dragonboard 845c", j.get("model").asText());
        JsonNode mdss = null;
        for (JsonNode d : j.get("devices")) {
            if (d.get("path").asText().equals("/soc@0/display-subsystem@ae00000")) {
                mdss = d;
            }
        }
        assertEquals("display", mdss.get("role").asText());
        assertEquals("0x880", mdss.get("streams").get(0).get("sid").asText(), "stream IDs as hex strings, as everywhere");
        assertEquals("0x8", mdss.get("streams").get(0).get("mask").asText());
        assertTrue(j.get("reservedRegions").size() > 0);
        assertEquals(2 * 6, j.get("results").size(), "2 policies x 6 variants (fw.mapping x fw.smr)");
        JsonNode first = j.get("results").get(0);
        assertEquals("handoff.check/2", first.get("schema").asText());
        assertEquals("absent", first.get("scenario").get("knobs").get("display.reset").asText(), "no resets on db845c's MDSS");
        assertEquals("reserved", first.get("scenario").get("knobs").get("fw.framebuffer").asText(), "cont_splash is no-map");
        assertTrue(j.get("safePolicies").get(0).get("policies").toString().contains("fw-quiesce"));
        assertEquals(0, j.get("skippedPolicies").size());
    }

    /** A DTB board boots with a device tree: policies built on an IORT RMR are not run, and say why. */
    @Test
    void policiesNeedingTheOtherFirmwareInterfaceAreNotRun() throws Exception {
        CliTest.Run r = run("board", sharedDtb("sdm845-db845c.dtb").toString(), "--policy", "rmr-identity",
                "--policy", "fw-quiesce", "--format", "json", "--vary", "fw.mapping");
        assertEquals(0, r.code(), r.err());
        JsonNode j = RunReport.JSON.readTree(r.out());
        assertEquals(2, j.get("results").size(), "fw-quiesce only");
        assertEquals("rmr-identity", j.get("skippedPolicies").get(0).get("policy").asText());
        assertTrue(j.get("skippedPolicies").get(0).get("reason").asText().contains("needs an ACPI boot"));
        CliTest.Run none = run("board", sharedDtb("sdm845-db845c.dtb").toString(), "--policy", "rmr-dma");
        assertEquals(ExitCode.BAD_INPUT, none.code());
        assertTrue(none.err().contains("no chosen policy applies"), none.err());
    }

    @Test
    void textEndsWithTheSafePolicies() {
        CliTest.Run r = run("board", sharedDtb("sc8280xp-lenovo-thinkpad-x13s.dtb").toString(), "--policy", "fw-quiesce",
                "--policy", "stock", "--vary", "fw.mapping", "--kernel", "5.15");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("display /soc@0/display-subsystem@ae00000:"), r.out());
        assertFalse(r.out().contains("display /soc@0/display-subsystem@22000000:"), "the disabled display gets no matrix");
        assertTrue(r.out().trim().endsWith("safe in every variant: fw-quiesce"), r.out());
    }

    /**
     * Every enabled client of the display's SMMU is modelled, in DT order: here a DMA engine
     * whose 0x888 lies inside the display's 0x880/0x8. With qcom's read-back the engine's
     * allocation narrows the inherited display entry (arm_smmu_master_alloc_smes, count 0), a
     * violation only a model with both clients can find.
     */
    @Test
    void everyClientOfTheDisplaysSmmuIsModelled(@TempDir Path dir) throws Exception {
        FdtWriter w = new FdtWriter();
        w.root.cells("#address-cells", 2).cells("#size-cells", 2).str("model", "two clients").cells("interrupt-parent", 1);
        w.root.child("interrupt-controller@17a00000").cells("#interrupt-cells", 3).cells("phandle", 1).flag("interrupt-controller");
        FdtWriter.Node soc = w.root.child("soc@0").cells("#address-cells", 2).cells("#size-cells", 2);
        soc.child("iommu@15000000").str("compatible", "qcom,sdm845-smmu-500", "arm,mmu-500").cells("#iommu-cells", 2)
                .cells("#global-interrupts", 1).cells("interrupts", 0, 65, 4, 0, 96, 4, 0, 97, 4, 0, 98, 4).cells("phandle", 2);
        soc.child("ufshc@1d84000").str("compatible", "qcom,sdm845-ufshc").cells("iommus", 2, 0x100, 0xf);
        soc.child("dma@1dc4000").str("compatible", "qcom,bam").cells("iommus", 2, 0x888, 0x0);
        soc.child("display-subsystem@ae00000").str("compatible", "qcom,sdm845-mdss").cells("iommus", 2, 0x880, 0x8);
        Path f = dir.resolve("two.dtb");
        Files.write(f, w.build());
        CliTest.Run r = run("board", f.toString(), "--policy", "qcom-bypass", "--vary", "fw.mapping", "--format", "json");
        assertEquals(ExitCode.HOLDS, r.code(), "a board run reports; only --require-safe gates: " + r.err());
        JsonNode root = RunReport.JSON.readTree(r.out());
        JsonNode modelled = root.get("modelled").get(0);
        assertEquals("/soc@0/iommu@15000000", modelled.get("smmu").asText());
        assertEquals(3, modelled.get("contextBanks").asInt(), "4 interrupts, 1 global");
        assertEquals("[\"display\",\"other1\",\"other2\"]", RunReport.JSON.writeValueAsString(
                RunReport.JSON.valueToTree(modelled.get("clients").findValuesAsText("label"))).replace(" ", ""));
        JsonNode cell = root.get("results").get(0);
        assertEquals("identity", cell.get("variant").get("fw.mapping").asText());
        JsonNode masters = cell.get("scenario").get("platform").get("masters");
        assertEquals(2, masters.size(), cell.get("scenario").get("platform").toString());
        assertEquals("/soc@0/ufshc@1d84000", masters.get(0).get("name").asText());
        assertEquals("/soc@0/dma@1dc4000", masters.get(1).get("name").asText());
        JsonNode fault = cell.get("properties").get(0);
        assertEquals("no-dma-fault", fault.get("name").asText());
        assertEquals("VIOLATED", fault.get("verdict").asText());
        assertTrue(fault.get("trace").get("rootCause").asText().startsWith("iommu-core other2.write_sme[].smr"),
                fault.get("trace").get("rootCause").asText());
    }

    /**
     * A knob given with --set that replaces what the board states or implies (sdm845's hypervisor
     * quirk, the SMMU's version) is a note in the text and the JSON; a knob the board leaves open
     * (fw.mapping) is not.
     */
    @Test
    void aGivenKnobThatReplacesABoardFactIsANote() throws Exception {
        String dtb = sharedDtb("sdm845-db845c.dtb").toString();
        CliTest.Run r = run("board", dtb, "--policy", "stock", "--set", "hyp.bypass-quirk=no", "--set", "fw.mapping=translated",
                "--vary", "fw.smr", "--format", "json");
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        JsonNode n = RunReport.JSON.readTree(r.out()).get("modelled").get(0).get("notes");
        java.util.List<String> all = new java.util.ArrayList<>();
        n.forEach(x -> all.add(x.asText()));
        assertTrue(all.contains("hyp.bypass-quirk=no given: it replaces the board's hyp.bypass-quirk=yes"), all.toString());
        assertTrue(all.stream().noneMatch(x -> x.startsWith("fw.mapping")), "the board states no mapping: " + all);
        CliTest.Run text = run("board", dtb, "--policy", "stock", "--set", "smmu.version=v3", "--vary", "fw.smr");
        assertTrue(text.out().contains("  note: smmu.version=v3 given: it replaces the board's smmu.version=v2\n"), text.out());
    }

    /**
     * A display whose memory-region carries an iommu-addresses entry equal to the region's reg: the
     * DTB states the firmware's mapping (identity, a direct region), so the default matrix varies
     * only what it does not state (fw.smr), and the policy that honours the entry is run with it.
     */
    @Test
    void iommuAddressesFixTheMappingTheMatrixWouldVary(@TempDir Path dir) throws Exception {
        FdtWriter w = new FdtWriter();
        w.root.cells("#address-cells", 2).cells("#size-cells", 2).str("model", "described splash").cells("interrupt-parent", 1);
        w.root.child("interrupt-controller@17a00000").cells("#interrupt-cells", 3).cells("phandle", 1).flag("interrupt-controller");
        FdtWriter.Node rm = w.root.child("reserved-memory").cells("#address-cells", 2).cells("#size-cells", 2);
        rm.child("cont-splash@9d400000").cells("reg", 0, 0x9d400000L, 0, 0x800000).flag("no-map").cells("phandle", 5)
                .cells("iommu-addresses", 4, 0, 0x9d400000L, 0, 0x800000);
        FdtWriter.Node soc = w.root.child("soc@0").cells("#address-cells", 2).cells("#size-cells", 2);
        soc.child("iommu@15000000").str("compatible", "arm,mmu-500").cells("#iommu-cells", 2)
                .cells("#global-interrupts", 1).cells("interrupts", 0, 65, 4, 0, 96, 4, 0, 97, 4, 0, 98, 4).cells("phandle", 2);
        soc.child("display-subsystem@ae00000").str("compatible", "qcom,sdm845-mdss").cells("iommus", 2, 0x880, 0x8)
                .cells("memory-region", 5).cells("phandle", 4);
        Path f = dir.resolve("splash.dtb");
        Files.write(f, w.build());
        CliTest.Run r = run("board", f.toString(), "--policy", "dt-iommu-addresses", "--format", "json");
        JsonNode root = RunReport.JSON.readTree(r.out());
        JsonNode results = root.get("results");
        assertEquals(3, results.size(), "fw.smr's three values only: " + r.out());
        for (JsonNode cell : results) {
            assertEquals(null, cell.get("variant").get("fw.mapping"), cell.get("variant").toString());
            assertEquals("identity", cell.get("scenario").get("knobs").get("fw.mapping").asText());
            assertEquals("iommu-addresses", cell.get("scenario").get("knobs").get("fw.description").asText());
        }
        CliTest.Run text = run("board", f.toString(), "--policy", "dt-iommu-addresses");
        assertTrue(text.out().contains("note: fw.description=iommu-addresses, fw.mapping=identity: /reserved-memory/cont-splash@9d400000"
                + " iommu-addresses 0x9d400000 + 0x800000 equals the region's reg (IOMMU_RESV_DIRECT)"), text.out());
    }

    @Test
    void noMatrixPrintsTheFactsThenExits65(@TempDir Path dir) throws Exception {
        FdtWriter w = new FdtWriter();
        w.root.cells("#address-cells", 2).cells("#size-cells", 2).str("model", "headless");
        w.root.child("iommu@15000000").str("compatible", "arm,mmu-500").cells("#iommu-cells", 2).cells("phandle", 1);
        w.root.child("ufs@1d84000").str("compatible", "qcom,ufshc").cells("iommus", 1, 0x100, 0xf);
        Path f = dir.resolve("headless.dtb");
        Files.write(f, w.build());
        CliTest.Run r = run("board", f.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code());
        assertTrue(r.out().contains("/iommu@15000000"), "facts first: " + r.out());
        assertEquals("handoff: no matrix for " + f + ": no display controller found (by compatible)", r.err().trim());
    }

    @Test
    void corruptFilesExit65WithTheOffset(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.dtb");
        byte[] b = Files.readAllBytes(sharedDtb("sdm850-lenovo-yoga-c630.dtb"));
        Files.write(f, java.util.Arrays.copyOf(b, 1000));
        CliTest.Run r = run("board", f.toString());
        assertEquals(ExitCode.BAD_INPUT, r.code());
        assertTrue(r.err().matches("handoff: .*bad\\.dtb: offset 0x4: totalsize \\d+ is larger than the file \\(1000 bytes\\): truncated\\?\\s*"), r.err());
        assertEquals(ExitCode.USAGE, run("board").code(), "neither a DTB nor --acpi");
    }

    @Test
    void acpiIortWithRmr(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("iort.bin");
        Files.write(f, new IortWriter().component("\\_SB_.MDSS", 0x880, 1).component("\\_SB_.UFS0", 0x100, 16)
                .rmr(0, 0x9d400000L, 0x800000L, 0x880, 1).build());
        CliTest.Run r = run("board", "--acpi", f.toString(), "--policy", "rmr-identity", "--policy", "fw-quiesce",
                "--vary", "fw.mapping");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("note: fw.description=rmr"), r.out());
        assertTrue(r.out().contains("IORT RMR@"), r.out());
    }

    /**
     * --require-safe gates CI on the matrix: exit 10 when a named policy is unsafe in some variant
     * (the line names the variants), when none is safe (no names), or when a named policy cannot
     * run on this board; 0 when the gate holds.
     */
    @Test
    void requireSafeGatesOnTheMatrix() {
        String c630 = sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString();
        CliTest.Run unsafe = run("board", c630, "--policy", "fw-quiesce", "--policy", "qcom-bypass", "--require-safe", "fw-quiesce");
        assertEquals(ExitCode.SAFETY_VIOLATED, unsafe.code(), unsafe.err());
        assertTrue(unsafe.err().contains("--require-safe: fw-quiesce is not safe for display /soc@0/display-subsystem@ae00000:"
                + " fw.mapping=identity,fw.smr=match (isolation)"), unsafe.err());
        CliTest.Run safe = run("board", c630, "--policy", "fw-quiesce", "--policy", "qcom-bypass", "--require-safe", "fw-quiesce",
                "--set", "hyp.clientpd=ignored");
        assertEquals(ExitCode.HOLDS, safe.code(), safe.err());
        CliTest.Run any = run("board", c630, "--policy", "qcom-bypass", "--require-safe");
        assertEquals(ExitCode.SAFETY_VIOLATED, any.code());
        assertTrue(any.err().contains("no policy keeps display /soc@0/display-subsystem@ae00000 safe in every variant"), any.err());
        CliTest.Run notRun = run("board", c630, "--policy", "stock", "--policy", "rmr-dma", "--require-safe", "rmr-dma");
        assertEquals(ExitCode.SAFETY_VIOLATED, notRun.code());
        assertTrue(notRun.err().contains("rmr-dma was not run on this board (its fw.description=rmr needs an ACPI boot"), notRun.err());
        CliTest.Run platform = run("board", c630, "--platform", "c630");
        assertEquals(ExitCode.USAGE, platform.code());
        assertTrue(platform.err().contains("--platform does not apply to board"), platform.err());
    }

    @Test
    void boardWritesTraceFilesThatReplay(@TempDir Path dir) throws Exception {
        String c630 = sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString();
        CliTest.Run r = run("board", c630, "--policy", "stock", "--vary", "fw.mapping", "--trace-out", dir.resolve("t.json").toString());
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        Path f = dir.resolve("t.stock.fw.mapping-identity.no-dma-fault.json");
        assertTrue(Files.exists(f), r.err());
        CliTest.Run replay = run("replay", f.toString());
        assertEquals(ExitCode.SAFETY_VIOLATED, replay.code(), replay.err());
    }

    /** Device tree source: compiled with dtc into the same facts and verdicts as the blob; without dtc, a one-line how-to. */
    @Test
    void deviceTreeSourceGoesThroughDtc(@TempDir Path dir) throws Exception {
        Path dtb = sharedDtb("sdm850-lenovo-yoga-c630.dtb");
        String saved = System.getProperty("handoff.dtc");
        System.setProperty("handoff.dtc", dir.resolve("no-such-dtc").toString());
        Path fake = dir.resolve("board.dts");
        Files.writeString(fake, "/dts-v1/;\n/ { };\n");
        try {
            CliTest.Run missing = run("board", fake.toString());
            assertEquals(ExitCode.BAD_INPUT, missing.code());
            assertTrue(missing.err().contains("is device tree source and dtc is not installed: install it (apt-get install"
                    + " device-tree-compiler)"), missing.err());
            assertEquals(1, missing.err().lines().count(), missing.err());
        } finally {
            if (saved == null) {
                System.clearProperty("handoff.dtc");
            } else {
                System.setProperty("handoff.dtc", saved);
            }
        }
        Process probe;
        try {
            probe = new ProcessBuilder("dtc", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            probe.waitFor();
        } catch (java.io.IOException e) {
            Assumptions.abort("dtc is not installed here; the compile path is not exercised");
            return;
        }
        Path dts = dir.resolve("c630.dts");
        Process p = new ProcessBuilder("dtc", "-q", "-I", "dtb", "-O", "dts", "-o", dts.toString(), dtb.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        String fromBlob = run("board", dtb.toString(), "--policy", "stock", "--vary", "fw.mapping", "--format", "json").out();
        CliTest.Run fromSource = run("board", dts.toString(), "--policy", "stock", "--vary", "fw.mapping", "--format", "json");
        assertEquals(0, fromSource.code(), fromSource.err());
        // seconds, and choco solves (the process-wide constraint cache answers the second run), vary
        String volatileFields = "\"(seconds|constraintSolves)\" : [0-9.E-]+";
        assertEquals(fromBlob.replace(dtb.toString(), "FILE").replaceAll(volatileFields, ""),
                fromSource.out().replace(dts.toString(), "FILE").replaceAll(volatileFields, ""));
    }
}
