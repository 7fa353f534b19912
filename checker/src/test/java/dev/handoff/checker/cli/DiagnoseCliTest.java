package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.handoff.checker.cli.BoardCliTest.sharedDtb;
import static dev.handoff.checker.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code handoff diagnose}: logs written with the kernel's own format strings (arm_smmu_global_fault,
 * arm_smmu_context_fault, efifb_probe, drm_dev_register), with timestamps and unrelated noise,
 * against the Yoga C630's DTB.
 */
class DiagnoseCliTest {
    static final String PROBE = """
            [    0.000000] Booting Linux on physical CPU 0x0000000000 [0x517f803c]
            [    0.512000] efifb: framebuffer at 0x80000000, using 8100k, total 8100k
            [    1.100000] arm-smmu 15000000.iommu: probing hardware configuration...
            [    1.100300] arm-smmu 15000000.iommu: \t64 context banks (0 stage-2 only)
            [    1.4] usb 1-1: new high-speed USB device number 2 using xhci-hcd
            """;
    static final String DRM = "[    9.100000] [drm] Initialized msm 1.12.0 20130625 for ae01000.display-controller on minor 0\n";

    static Path write(Path dir, String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    /**
     * The MDSS's stream 0x880 blocked as an unknown stream while efifb still scans: the model of
     * mainline 6.12 (with qcom's read-back, as it ships) has that very failure (a global fault on
     * an unmatched display stream, fatal where the firmware resets on it) when the firmware's SMR
     * was narrower than the DT's entry; fw-quiesce is the policy that keeps the display safe.
     */
    @Test
    void aBlockedDisplayStreamIsExplainedByTheModel(@TempDir Path dir) throws Exception {
        Path log = write(dir, "c630.log", PROBE + """
                [    1.230000] arm-smmu 15000000.iommu: Blocked unknown Stream ID 0x880; boot with "arm-smmu.disable_bypass=0" to allow, but this may have security implications
                """ + DRM);
        String c630 = sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString();
        CliTest.Run r = run("diagnose", log.toString(), "--board", c630, "--format", "json");
        assertEquals(ExitCode.SAFETY_VIOLATED, r.code(), r.err());
        JsonNode root = RunReport.JSON.readTree(r.out());
        SchemaConsumersTest.valid("diagnose", root);
        assertEquals("handoff-fault", root.get("verdict").asText());
        JsonNode fault = root.get("faults").get(0);
        assertEquals("global", fault.get("kind").asText());
        assertEquals("0x880", fault.get("sid").asText());
        assertEquals("/soc@0/display-subsystem@ae00000", fault.get("owner").asText());
        assertTrue(fault.get("phase").asText().startsWith("before the display driver came up"), fault.toString());
        assertTrue(root.get("policy").isNull(), "mainline: the version's own settings, no what-if preset");
        assertEquals("6.12", root.get("inferred").get("kernel.version").asText());
        JsonNode m = root.get("matches").get(0);
        assertEquals("no-dma-fault", m.get("property").asText());
        assertTrue(m.get("severity").asText().equals("fatal") || m.get("severity").asText().equals("fault"), m.toString());
        assertTrue(m.get("explanation").asText().contains("no SMR matches"), m.toString());
        assertTrue(m.get("explanation").asText().contains("(IOVA 0x80000000)"), "efifb's framebuffer is the model's: " + m);
        assertEquals("while arm-smmu probes (or the clients before the display)", m.get("phase").asText(),
                "the firmware's own state faults the display: reported once arm-smmu's interrupts are up, as in the log");
        assertTrue(root.get("fromTheLog").toString().contains("the firmware framebuffer at 0x80000000 (8100 KiB) from efifb"), root.toString());
        assertTrue(root.get("safePolicies").toString().contains("fw-quiesce"), root.toString());
        JsonNode tl = root.get("timeline");
        assertEquals("efifb takes the firmware framebuffer at 0x80000000 (8100 KiB)", tl.get(0).get("what").asText());
        assertEquals("/soc@0/iommu@15000000", tl.get(1).get("node").asText(), "the printing SMMU, as a board node");
        JsonNode up = tl.get(tl.size() - 1);
        assertEquals("the display driver msm is up on ae01000.display-controller", up.get("what").asText());
        assertEquals("/soc@0/display-subsystem@ae00000/display-controller@ae01000", up.get("node").asText());
        Path trace = dir.resolve("match.json");
        CliTest.Run text = run("diagnose", log.toString(), "--board", c630, "--trace-out", trace.toString());
        assertTrue(text.out().contains("diagnosis: handoff fault on /soc@0/display-subsystem@ae00000"), text.out());
        CliTest.Run replay = run("replay", trace.toString());
        assertEquals(ExitCode.SAFETY_VIOLATED, replay.code(), "the matching trace replays: " + replay.err());
    }

    /**
     * A context fault on the display's stream inside the framebuffer, before msm comes up: under
     * qcom-bypass with an identity mapping the model's display fetch fails only with global faults
     * (an unmatched stream), never a walk fault; the diagnosis says so and lists what it predicts.
     */
    @Test
    void aFaultNoModelBehaviourShowsIsUnexplainedWithThePredictions(@TempDir Path dir) throws Exception {
        Path log = write(dir, "ctx.log", PROBE + """
                [    3.000000] arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, iova=0x80000000, fsynr=0x1, cbfrsynra=0x880, cb=1
                """ + DRM);
        CliTest.Run r = run("diagnose", log.toString(), "--board", sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString(), "--format", "json");
        assertEquals(ExitCode.INCONCLUSIVE, r.code(), r.err());
        JsonNode root = RunReport.JSON.readTree(r.out());
        SchemaConsumersTest.valid("diagnose", root);
        assertEquals("unexplained", root.get("verdict").asText());
        assertEquals("identity", root.get("inferred").get("fw.mapping").asText(), "the IOVA is the framebuffer's own address");
        assertEquals(0, root.get("matches").size());
        assertTrue(root.get("predicted").size() > 0, root.toString());
        for (JsonNode p : root.get("predicted")) {
            assertTrue(!p.get("kind").asText().equals("context") || !p.get("severity").asText().equals("fault"), p.toString());
        }
    }

    /** A context fault of the UFS at IOVA 0, long after the display came up: a driver's bug, not the handoff. */
    @Test
    void aFaultOfAnotherMasterIsNoHandoffFault(@TempDir Path dir) throws Exception {
        Path log = write(dir, "ufs.log", PROBE + DRM + """
                [   42.000000] arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, iova=0x00000000, fsynr=0x0, cbfrsynra=0x100, cb=5
                """);
        CliTest.Run r = run("diagnose", log.toString(), "--board", sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString(), "--format", "json");
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        JsonNode root = RunReport.JSON.readTree(r.out());
        SchemaConsumersTest.valid("diagnose", root);
        assertEquals("no-handoff-fault", root.get("verdict").asText());
        Path trace = dir.resolve("t.json");
        CliTest.Run none = run("diagnose", log.toString(), "--board", sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString(),
                "--trace-out", trace.toString());
        assertTrue(none.err().contains("handoff: " + trace + " not written: no modelled violation matches the log (no-handoff-fault)"),
                none.err());
        assertTrue(!Files.exists(trace), "nothing matched, nothing written");
        JsonNode fault = root.get("faults").get(0);
        assertEquals("context", fault.get("kind").asText());
        assertEquals("/soc@0/ufshc@1d84000", fault.get("owner").asText());
        assertEquals(0, fault.get("alsoMatches").size());
        assertEquals(false, fault.get("inFramebuffer").asBoolean());
        assertTrue(fault.get("phase").asText().startsWith("after the display driver came up (+32.900 s)"), fault.toString());
    }

    @Test
    void aLogWithoutSmmuFaultsAndOneWithoutABoard(@TempDir Path dir) throws Exception {
        CliTest.Run quiet = run("diagnose", write(dir, "quiet.log", PROBE + DRM).toString(), "--board",
                sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString());
        assertEquals(ExitCode.HOLDS, quiet.code(), quiet.err());
        assertTrue(quiet.out().contains("diagnosis: no handoff fault: the log has no SMMU fault"), quiet.out());
        CliTest.Run bare = run("diagnose", write(dir, "fault.log", PROBE
                + "arm-smmu 15000000.iommu: Blocked unknown Stream ID 0x880; boot with \"arm-smmu.disable_bypass=0\" to allow\n").toString());
        assertEquals(ExitCode.HOLDS, bare.code());
        assertTrue(bare.out().contains("give --board FILE.dtb"), bare.out());
    }

    /**
     * Noise from two boards: simpledrm's initialisation is not the display driver's (the fault before
     * msm came up stays "before"), a fault printed by the board's Adreno SMMU belongs to the GPU, one
     * printed by an SMMU this board does not have maps to nothing, and a line cut before its bank is
     * counted as not decoded: the log is undetermined, it may hide the display's fault.
     */
    @Test
    void faultsAreMappedOnlyOntoWhatTheBoardDescribes(@TempDir Path dir) throws Exception {
        Path log = write(dir, "mixed.log", PROBE + """
                [    2.000000] [drm] Initialized simpledrm 1.0.0 20200625 for 80000000.framebuffer on minor 0
                [    3.000000] arm-smmu 5040000.iommu: Unhandled context fault: fsr=0x402, iova=0x00100000, fsynr=0x1, cbfrsynra=0x0, cb=0
                [    3.500000] arm-smmu 99990000.iommu: Unhandled context fault: fsr=0x402, iova=0x00100000, fsynr=0x1, cbfrsynra=0x880, cb=0
                [    4.000000] arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, iova=0x8000
                """ + DRM);
        CliTest.Run r = run("diagnose", log.toString(), "--board", sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString(), "--format", "json");
        JsonNode root = RunReport.JSON.readTree(r.out());
        SchemaConsumersTest.valid("diagnose", root);
        assertEquals(2, root.get("faults").size(), root.toString());
        JsonNode gpu = root.get("faults").get(0);
        assertEquals("/soc@0/iommu@5040000", gpu.get("smmu").asText());
        assertTrue(gpu.get("owner").asText().contains("gpu"), gpu.toString());
        assertTrue(gpu.get("phase").asText().startsWith("before the display driver came up"), "simpledrm is not the display driver");
        JsonNode stranger = root.get("faults").get(1);
        assertTrue(stranger.get("smmu").isNull() && stranger.get("owner").isNull(), stranger.toString());
        assertTrue(root.get("fromTheLog").get(0).asText().startsWith("1 line(s) speak of an SMMU fault in a form not decoded"),
                "a line cut before its bank and stream: counted, its IOVA not trusted: " + root.get("fromTheLog"));
        assertEquals("undetermined", root.get("verdict").asText(), "the cut fault may be the display's");
        assertEquals(ExitCode.INCONCLUSIVE, r.code());
    }

    /**
     * What the log does not show, found: a display context fault after its IOMMU group, with no
     * command line in the log, is no behaviour of the model as 6.12 ships (late_initcall_sync turns
     * the display's clocks off before msm, a module, binds); the single changes under which it is
     * include clk_ignore_unused, and a log whose command line has it is explained outright, in the
     * driver's binding. Lines copied as mail shows them (quoted, wrapped, the device renamed by an
     * older kernel's DT) read the same.
     */
    @Test
    void whatTheLogDoesNotShowIsSearchedForAndMailedLogsReadTheSame(@TempDir Path dir) throws Exception {
        String c630 = sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString();
        String faults = """
                > [    4.488253] msm ae00000.mdss: Adding to iommu group 7
                > [    4.526823] arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, iova=0x807ac000,\u0020
                > fsynr=0x100020, cbfrsynra=0x880, cb=6
                > [    4.526900] arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, iova=0x807ad000, fsynr=0x100020, cbfrsynra=0x880, cb=6
                """;
        CliTest.Run unknown = run("diagnose", write(dir, "mailed.log", faults).toString(), "--board", c630, "--format", "json");
        assertEquals(ExitCode.INCONCLUSIVE, unknown.code(), unknown.err());
        JsonNode root = RunReport.JSON.readTree(unknown.out());
        SchemaConsumersTest.valid("diagnose", root);
        assertEquals("unexplained", root.get("verdict").asText());
        assertEquals(2, root.get("faults").size(), "the wrapped line joined, the quote peeled: " + root.get("faults"));
        assertEquals("0x880", root.get("faults").get(0).get("sid").asText());
        assertEquals("/soc@0/display-subsystem@ae00000", root.get("timeline").get(0).get("node").asText(), "ae00000.mdss by its unit address");
        java.util.List<String> changes = new java.util.ArrayList<>();
        root.get("explainers").forEach(x -> changes.add(x.get("knob").asText() + "=" + x.get("value").asText()));
        assertTrue(changes.contains("kernel.clk-ignore-unused=yes"), changes.toString());
        assertEquals(DiagnoseCommand.DURING_DRIVER_BIND, root.get("explainers").get(0).get("violation").get("phase").asText(),
                "the explainers agreeing with the log's phase first: " + root.get("explainers"));

        String withCmdline = "[    0.000000] Kernel command line: BOOT_IMAGE=/vmlinuz clk_ignore_unused\n" + faults;
        CliTest.Run known = run("diagnose", write(dir, "cmdline.log", withCmdline).toString(), "--board", c630, "--format", "json");
        assertEquals(ExitCode.SAFETY_VIOLATED, known.code(), known.out());
        JsonNode explained = RunReport.JSON.readTree(known.out()).get("matches").get(0);
        assertEquals("context", explained.get("kind").asText());
        assertTrue(explained.get("logged").asBoolean(), "Linux's own bank: printed");
        assertEquals(DiagnoseCommand.DURING_DRIVER_BIND, explained.get("phase").asText());
    }

    /**
     * A fault line copied without its "arm-smmu DEVICE:" prefix is taken as the SMMU's whose
     * clients use the stream ID, and says so; a global fault whose syndrome line is missing, and
     * a vendor tree's fault line nothing here decodes, leave the log undetermined (exit 20), not clean.
     */
    @Test
    void faultsTheLogSaysTooLittleOf(@TempDir Path dir) throws Exception {
        String db845c = sharedDtb("sdm845-db845c.dtb").toString();
        CliTest.Run bare = run("diagnose", write(dir, "bare.log",
                "  Unhandled context fault: fsr=0x402, iova=0x9da00000, fsynr=0x370020, cbfrsynra=0x880, cb=0\n").toString(),
                "--board", db845c, "--format", "json");
        JsonNode fault = RunReport.JSON.readTree(bare.out()).get("faults").get(0);
        assertEquals("/soc@0/iommu@15000000", fault.get("smmu").asText());
        assertTrue(fault.get("note").asText().startsWith("the line names no SMMU"), fault.toString());
        assertTrue(fault.get("display").asBoolean());
        CliTest.Run noSyndrome = run("diagnose", write(dir, "global.log",
                "[ 1.0] arm-smmu 15000000.iommu: Unexpected global fault, this could be serious\n").toString(), "--board", db845c, "--format", "json");
        assertEquals(ExitCode.INCONCLUSIVE, noSyndrome.code());
        assertEquals("undetermined", RunReport.JSON.readTree(noSyndrome.out()).get("verdict").asText());
        CliTest.Run vendor = run("diagnose", write(dir, "vendor.log",
                "[ 1.0] arm-smmu 15000000.iommu: context fault on cb 0x5 at far 0xa09d70c8\n").toString(), "--board", db845c, "--format", "json");
        JsonNode v = RunReport.JSON.readTree(vendor.out());
        assertEquals("undetermined", v.get("verdict").asText());
        assertTrue(v.get("fromTheLog").get(0).asText().startsWith("1 line(s) speak of an SMMU fault in a form not decoded"), v.toString());
    }

    /**
     * Tegra186 on 5.10, whose memory controller still programs the display's SID at its own probe:
     * the model's display fetch then meets an unmatched stream after the reset, a fault the memory
     * controller reports against its display client without saying which kind; on 6.12 (the SID
     * set in probe_finalize) the model has no such failure, and says so.
     */
    @Test
    void aTegraMemoryControllerErrorOnTheDisplayClient(@TempDir Path dir) throws Exception {
        Path log = write(dir, "tegra.log", """
                [    0.700000] efifb: framebuffer at 0x96000000, using 8100k, total 8100k
                [    1.100000] arm-smmu 12000000.iommu: probing hardware configuration...
                [    2.000000] tegra-mc 2c00000.memory-controller: nvdisplayr: read @0x0000000096000000: EMEM address decode error (SMMU translation error [--S])
                [    9.100000] [drm] Initialized tegra 1.0.0 for 15200000.display-hub on minor 0
                """);
        String tegra = sharedDtb("tegra186-p2771-0000.dtb").toString();
        CliTest.Run old = run("diagnose", log.toString(), "--board", tegra, "--kernel", "5.10", "--format", "json");
        assertEquals(ExitCode.SAFETY_VIOLATED, old.code(), old.err());
        JsonNode root = RunReport.JSON.readTree(old.out());
        SchemaConsumersTest.valid("diagnose", root);
        assertEquals("any", root.get("faults").get(0).get("kind").asText());
        assertEquals("handoff-fault", root.get("verdict").asText());
        assertEquals("0x9", root.get("matches").get(0).get("sid").asText(), "the display's kernel SID, unmatched");
        CliTest.Run now = run("diagnose", log.toString(), "--board", tegra, "--format", "json");
        assertEquals("unexplained", RunReport.JSON.readTree(now.out()).get("verdict").asText());
    }

    /** A console of a board that resets while arm-smmu probes: the first boot ends there, the kernel starts again. */
    static final String RESET_LOOP = PROBE + """
            Format: Log Type - Time(microsec) - Message - Optional Info
            S - QC_IMAGE_VERSION_STRING=BOOT.XF.2.0-00371-SDM850LZB-1
            """ + PROBE;

    /**
     * A board that hangs or resets during the handoff prints nothing about it: the boot before the
     * console's last ends after arm-smmu's probe with no reboot or panic message and no display
     * driver. That stop is explained by the model's fatal faults and hangs only, in the phase the
     * log stopped in; the boot's own end (a reboot message) is no stop; --stopped says it of a
     * single boot.
     */
    @Test
    void aBoardThatResetsDuringTheHandoffIsExplainedByItsFatalFaultsAndHangs(@TempDir Path dir) throws Exception {
        String c630 = sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString();
        CliTest.Run loop = run("diagnose", write(dir, "loop.log", RESET_LOOP).toString(), "--board", c630, "--format", "json");
        assertEquals(ExitCode.SAFETY_VIOLATED, loop.code(), loop.err());
        JsonNode root = RunReport.JSON.readTree(loop.out());
        SchemaConsumersTest.valid("diagnose", root);
        assertEquals("handoff-fault", root.get("verdict").asText());
        assertEquals("stop", root.get("faults").get(0).get("kind").asText());
        assertTrue(root.get("matches").size() > 0);
        for (JsonNode m : root.get("matches")) {
            assertTrue(Set.of("fatal", "hang").contains(m.get("severity").asText()), "only what stops a machine: " + m);
        }
        assertEquals(DiagnoseCommand.DURING_SMMU_PROBE, root.get("matches").get(0).get("phase").asText(), "the log's phase first");
        assertTrue(root.get("predicted").size() > root.get("matches").size(), "the model's reported faults are no stop");

        String rebooted = RESET_LOOP.replace("Format: Log Type", "[   20.000000] reboot: Restarting system\nFormat: Log Type");
        CliTest.Run clean = run("diagnose", write(dir, "reboot.log", rebooted).toString(), "--board", c630, "--format", "json");
        assertEquals(ExitCode.HOLDS, clean.code(), clean.out());
        assertEquals("no-handoff-fault", RunReport.JSON.readTree(clean.out()).get("verdict").asText(), "a boot that ended on purpose");

        CliTest.Run single = run("diagnose", write(dir, "single.log", PROBE).toString(), "--board", c630, "--format", "json");
        assertEquals("no-handoff-fault", RunReport.JSON.readTree(single.out()).get("verdict").asText(), "one boot, not said to stop");
        CliTest.Run told = run("diagnose", write(dir, "told.log", PROBE).toString(), "--board", c630, "--stopped", "--format", "json");
        assertEquals(ExitCode.SAFETY_VIOLATED, told.code());
        assertEquals("stop", RunReport.JSON.readTree(told.out()).get("faults").get(0).get("kind").asText());
    }

    /**
     * An ACPI machine: the SMMU prints as "arm-smmu.0.auto" (no DT node), the stream maps through
     * the IORT's ID mappings onto the named component, and the display's stream blocked at the
     * reset (no RMR preserves it) is the model's own fault of arm_smmu_device_reset, printed.
     */
    @Test
    void anAcpiMachineMapsThroughItsIort(@TempDir Path dir) throws Exception {
        Path iort = dir.resolve("iort.bin");
        Files.write(iort, new dev.handoff.model.board.IortWriter().component("\\_SB_.MDSS", 0x880, 1)
                .component("\\_SB_.UFS0", 0x100, 16).build());
        Path log = write(dir, "acpi.log", """
                [    0.600000] efifb: framebuffer at 0x80000000, using 8100k, total 8100k
                [    1.100000] arm-smmu arm-smmu.0.auto: probing hardware configuration...
                [    1.500000] arm-smmu arm-smmu.0.auto: Blocked unknown Stream ID 0x880; boot with "arm-smmu.disable_bypass=0" to allow
                [    1.500001] arm-smmu arm-smmu.0.auto: \tGFSR 0x80000002, GFSYNR0 0x00000000, GFSYNR1 0x00000880, GFSYNR2 0x00000000
                [    2.000000] arm-smmu arm-smmu.0.auto: Unhandled context fault: fsr=0x402, iova=0x00000000, fsynr=0x1, cbfrsynra=0x100, cb=1
                """);
        CliTest.Run r = run("diagnose", log.toString(), "--acpi", iort.toString(), "--format", "json");
        assertEquals(ExitCode.SAFETY_VIOLATED, r.code(), r.err());
        JsonNode root = RunReport.JSON.readTree(r.out());
        SchemaConsumersTest.valid("diagnose", root);
        assertEquals("\\_SB_.MDSS", root.get("faults").get(0).get("owner").asText());
        assertEquals("\\_SB_.UFS0", root.get("faults").get(1).get("owner").asText(), "0x100 of UFS0's sixteen IDs");
        JsonNode best = root.get("matches").get(0);
        assertEquals("global", best.get("kind").asText());
        assertTrue(best.get("rootCause").asText().startsWith("arm-smmu reset"), best.toString());
    }

    /** The banner fixes the version (patch level and all), the command line clk_ignore_unused; --kernel takes a patch level too. */
    @Test
    void theLogSaysWhichKernelItIs(@TempDir Path dir) throws Exception {
        Path log = write(dir, "banner.log", """
                [    0.000000] Linux version 6.6.15-arm64 (debian-kernel@lists.debian.org) (gcc-12) #1 SMP Debian 6.6.15-2
                [    0.000000] Kernel command line: BOOT_IMAGE=/vmlinuz root=/dev/nvme0n1p2 clk_ignore_unused pd_ignore_unused arm-smmu.disable_bypass=0
                [    0.300000] iommu: Default domain type: Passthrough (set via kernel command line)
                """ + PROBE.lines().skip(1).collect(java.util.stream.Collectors.joining("\n", "", "\n")) + """
                [    1.230000] arm-smmu 15000000.iommu: Blocked unknown Stream ID 0x880; boot with "arm-smmu.disable_bypass=0" to allow
                """ + DRM);
        String c630 = sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString();
        JsonNode root = RunReport.JSON.readTree(run("diagnose", log.toString(), "--board", c630, "--format", "json").out());
        SchemaConsumersTest.valid("diagnose", root);
        assertEquals("6.6", root.get("inferred").get("kernel.version").asText());
        assertEquals("yes", root.get("inferred").get("kernel.clk-ignore-unused").asText());
        assertEquals("reported", root.get("inferred").get("fw.global-fault").asText(), "a printed global fault: the firmware did not reset");
        assertEquals("no", root.get("inferred").get("kernel.disable-bypass").asText(), "arm-smmu.disable_bypass=0");
        assertEquals("identity", root.get("inferred").get("kernel.default-domain").asText(), "the IOMMU core's default domain");
        assertEquals(7, root.get("fromTheLog").size(), "the banner, efifb, the command line's two, the default domain, the printed"
                + " global fault, the board's missing display reset: " + root.get("fromTheLog"));
        JsonNode given = RunReport.JSON.readTree(run("diagnose", log.toString(), "--board", c630, "--kernel", "6.12.38", "--format", "json").out());
        assertEquals("6.12", given.get("inferred").get("kernel.version").asText(), "--kernel wins over the banner, patch level dropped");
        assertEquals(ExitCode.USAGE, run("diagnose", log.toString(), "--kernel", "4.19").code());
        JsonNode between = RunReport.JSON.readTree(run("diagnose", log.toString(), "--board", c630, "--kernel", "5.13.4", "--format", "json").out());
        assertEquals("5.10", between.get("inferred").get("kernel.version").asText(), "the nearest earlier version the model knows");
        assertTrue(between.get("fromTheLog").get(0).asText().contains("read as the model's nearest earlier version; these changed by 5.15"),
                between.get("fromTheLog").toString());
    }

    /**
     * The model's phase is the step before the failing fetch, as the kernel orders it: msm's MDSS
     * reset is mdss_probe's (before the DPU binds), its own domain the binding's, the firmware
     * framebuffer's removal the binding's in 6.12 but after drm_dev_register in 6.1, the fbdev
     * buffer after it.
     */
    @Test
    void theModelsPhaseFollowsTheKernelsOrder() {
        java.util.function.BiFunction<String, String, String> phase = (action, version) -> DiagnoseCommand.modelPhase(
                new dev.handoff.counterexamples.Trace("no-dma-fault", List.of(
                        new dev.handoff.counterexamples.Trace.Step(1, "display-driver", action, "", List.of()),
                        new dev.handoff.counterexamples.Trace.Step(2, "display-engine", "fetch(fault)", "", List.of())), null), version);
        assertEquals(DiagnoseCommand.DURING_DISPLAY_PROBE, phase.apply("mdss_reset", "6.12"));
        assertEquals(DiagnoseCommand.DURING_DRIVER_BIND, phase.apply("attach_own_domain.s2cr[0]", "6.12"));
        assertEquals(DiagnoseCommand.DURING_DRIVER_BIND, phase.apply("remove_fw_fb", "6.12"));
        assertEquals(DiagnoseCommand.AFTER_DRIVER, phase.apply("remove_fw_fb", "6.1"));
        assertEquals(DiagnoseCommand.AFTER_DRIVER, phase.apply("pin_new_fb", "6.12"));
    }

    /** A compressed, UTF-16, binary or empty log is refused (65), not read as a log without faults. */
    @Test
    void whatIsNoTextLogIsRefused(@TempDir Path dir) throws Exception {
        Path gz = dir.resolve("dmesg.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(PROBE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Path utf16 = dir.resolve("utf16.log");
        Files.write(utf16, ("\uFEFF" + PROBE).getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        Path empty = write(dir, "empty.log", "");
        Path binary = dir.resolve("bin.log");
        Files.write(binary, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0x7f, 0x45, 0x4c, 0x46});
        for (Path p : List.of(gz, utf16, empty, binary)) {
            CliTest.Run r = run("diagnose", p.toString());
            assertEquals(ExitCode.BAD_INPUT, r.code(), p + ": " + r.out());
            assertEquals(1, r.err().trim().lines().count(), r.err());
        }
        assertTrue(run("diagnose", gz.toString()).err().contains("gzip-compressed"));
        assertTrue(run("diagnose", utf16.toString()).err().contains("UTF-16"));
    }

    @Test
    void unreadableInputIsOneLineAndExit65(@TempDir Path dir) {
        CliTest.Run missing = run("diagnose", dir.resolve("nope.log").toString());
        assertEquals(ExitCode.BAD_INPUT, missing.code());
        assertEquals("handoff: " + dir.resolve("nope.log") + " does not exist", missing.err().trim());
        CliTest.Run intoDir = run("diagnose", dir.resolve("nope.log").toString(), "--trace-out", dir.toString());
        assertEquals(ExitCode.USAGE, intoDir.code(), "--trace-out a directory is refused before any work");
        assertEquals(ExitCode.USAGE, run("diagnose").code(), "no LOG");
    }
}
