package dev.handoff.model.log;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handoff's lines, as the kernel's format strings print them, among noise. */
class KernelLogTest {
    static List<KernelLog.Event> read(String text) {
        return KernelLog.read(new StringReader(text)).events();
    }

    @Test
    void contextFaultsInEveryFormat() {
        List<KernelLog.Event> e = read("""
                [    0.000000] Booting Linux on physical CPU 0x0000000000 [0x517f803c]
                [    5.123456] arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, iova=0x9d400000, fsynr=0x1, cbfrsynra=0x880, cb=2
                [    5.123460] arm-smmu 15000000.iommu: FSR    = 00000402 [Format=2 TF], SID=0x880
                [    5.123461] arm-smmu 15000000.iommu: FSYNR0 = 00000001 [S1CBNDX=0 PLVL=1]
                [    6.000000] arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, iova=0x00001000, fsynr=0x0, cb=3
                [    6.5] usb 1-1: new high-speed USB device number 2 using xhci-hcd
                """);
        assertEquals(3, e.size(), e.toString());
        KernelLog.Event v61 = e.get(0);
        assertEquals(KernelLog.Kind.CONTEXT_FAULT, v61.kind());
        assertEquals("15000000.iommu", v61.device());
        assertEquals(0x880, v61.get("sid"), "cbfrsynra's low 16 bits (arm_smmu_context_fault, 6.1 arm-smmu.c:415)");
        assertEquals(0x9d400000L, v61.get("iova"));
        assertEquals(2, v61.get("cb"));
        assertEquals(5.123456, v61.time(), 1e-9);
        assertEquals(KernelLog.Kind.CONTEXT_FAULT_SID, e.get(1).kind(), "6.12's decoded FSR line");
        assertEquals(0x880, e.get(1).get("sid"));
        assertEquals(-1, e.get(2).get("sid"), "before cbfrsynra was printed (v5.1) there is no stream ID");
        assertEquals(0x1000, e.get(2).get("iova"));
    }

    @Test
    void globalFaultsAndTheirSyndrome() {
        List<KernelLog.Event> e = read("""
                arm-smmu 15000000.iommu: Blocked unknown Stream ID 0x880; boot with "arm-smmu.disable_bypass=0" to allow, but this may have security implications
                arm-smmu 15000000.iommu: Unexpected global fault, this could be serious
                arm-smmu 15000000.iommu: \tGFSR 0x80000002, GFSYNR0 0x00000000, GFSYNR1 0x00000c80, GFSYNR2 0x00000000
                """);
        assertEquals(List.of(KernelLog.Kind.BLOCKED_STREAM, KernelLog.Kind.GLOBAL_FAULT, KernelLog.Kind.GLOBAL_SYNDROME),
                e.stream().map(KernelLog.Event::kind).toList());
        assertEquals(0x880, e.get(0).get("sid"));
        assertEquals(0xc80, e.get(2).get("sid"), "GFSYNR1's stream ID");
        assertTrue(Double.isNaN(e.get(0).time()), "no timestamp: dmesg -t");
    }

    @Test
    void journalAndSerialPrefixesAndTheHandoffsOtherLines() {
        List<KernelLog.Event> e = read("""
                Dec 01 12:00:00 x13s kernel: efifb: framebuffer at 0x9d400000, using 8100k, total 8100k
                Dec 01 12:00:01 x13s kernel: arm-smmu 15000000.iommu: probing hardware configuration...
                Dec 01 12:00:01 x13s kernel: arm-smmu 15000000.iommu: \t128 context banks (0 stage-2 only)
                Dec 01 12:00:01 x13s kernel: arm-smmu 15000000.iommu: \tstream matching with 128 register groups
                Dec 01 12:00:01 x13s kernel: arm-smmu 15000000.iommu: \tpreserved 1 boot mapping
                [    2.000001] x13s kernel: platform ae00000.display-subsystem: Adding to iommu group 5
                <6>[    9.100000] [drm] Initialized msm 1.12.0 20130625 for ae01000.display-controller on minor 0
                [   10.000000] arm-smmu-v3 arm-smmu-v3.0.auto: SMMU currently enabled! Resetting...
                [   10.100000] arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:
                [   10.2] arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, iova=0x9d4
                """);
        assertEquals(List.of(KernelLog.Kind.EFIFB, KernelLog.Kind.SMMU_PROBE, KernelLog.Kind.SMMU_BANKS, KernelLog.Kind.SMMU_GROUPS,
                        KernelLog.Kind.RMR_PRESERVED, KernelLog.Kind.IOMMU_GROUP, KernelLog.Kind.DRM_INIT, KernelLog.Kind.V3_RESET,
                        KernelLog.Kind.V3_EVENT),
                e.stream().map(KernelLog.Event::kind).toList(), "the truncated last line is skipped");
        assertEquals(0x9d400000L, e.get(0).get("base"));
        assertEquals(8100 * 1024L, e.get(0).get("bytes"));
        assertNull(e.get(0).device());
        assertEquals(128, e.get(2).get("banks"));
        assertEquals("ae00000.display-subsystem", e.get(5).device());
        assertEquals(2.000001, e.get(5).time(), 1e-9);
        assertEquals("msm", e.get(6).detail());
        assertEquals("ae01000.display-controller", e.get(6).device());
        assertEquals(0x10, e.get(8).get("event"));
    }

    @Test
    void decimalRunsTooLongForALongSaturateInsteadOfEndingTheRead() {
        String digits = "5".repeat(120) + "2";
        List<KernelLog.Event> e = read("""
                arm-smmu 15000000.iommu: \tpreserved %s boot mappings
                arm-smmu 15000000.iommu: \t%s context banks (0 stage-2 only)
                efifb: framebuffer at 0x9d400000, using %sk, total 8100k
                arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, iova=0x9d400000, fsynr=%s, cb=2
                """.formatted(digits, digits, digits, digits));
        assertEquals(List.of(KernelLog.Kind.RMR_PRESERVED, KernelLog.Kind.SMMU_BANKS, KernelLog.Kind.EFIFB, KernelLog.Kind.CONTEXT_FAULT),
                e.stream().map(KernelLog.Event::kind).toList(), "found by Jazzer in CI: NumberFormatException ended the read");
        assertEquals(Long.MAX_VALUE, e.get(0).get("mappings"));
        assertEquals(Long.MAX_VALUE, e.get(1).get("banks"));
        assertTrue(e.get(2).get("bytes") > 0, "kilobytes times 1024 does not wrap negative");
        assertEquals(Long.MAX_VALUE, e.get(3).get("fsynr"));
    }

    @Test
    void smmuV3EventsCarryTheirWords() {
        List<KernelLog.Event> e = read("""
                [    3.000000] arm-smmu-v3 12600000.iommu: event 0x10 received:
                [    3.000001] arm-smmu-v3 12600000.iommu: 	0x0000088000000010
                [    3.000002] arm-smmu-v3 12600000.iommu: 	0x0000000000000000
                [    3.000003] arm-smmu-v3 12600000.iommu: 	0x0000000080000000
                [    3.000004] arm-smmu-v3 12600000.iommu: 	0x0000000000000000
                """);
        assertEquals(KernelLog.Kind.V3_EVENT, e.get(0).kind());
        assertEquals(4, e.stream().filter(x -> x.kind() == KernelLog.Kind.V3_EVENT_WORD).count());
        assertEquals(0x0000088000000010L, e.get(1).get("word"));
    }

    @Test
    void tegraMemoryControllerErrors() {
        List<KernelLog.Event> e = read("""
                [    2.000000] tegra-mc 2c00000.memory-controller: nvdisplayr: read @0x0000000096000000: EMEM address decode error (SMMU translation error [--S])
                [    2.100000] tegra-mc 2c00000.memory-controller: xusb_hostw: secure write @0x00000000ffff0000: EMEM address decode error (EMEM decode error)
                """);
        assertEquals(2, e.size());
        assertEquals(KernelLog.Kind.MC_ERROR, e.get(0).kind());
        assertEquals("nvdisplayr", e.get(0).detail());
        assertEquals(0x96000000L, e.get(0).get("address"));
        assertEquals(1, e.get(0).get("smmu"), "tegra_mc_error_names[6]");
        assertEquals(0, e.get(1).get("smmu"));
        assertEquals(1, e.get(1).get("write"));
    }

    /** dmesg -T, --time-format iso, -x, a serial capture's prefix: the device and the stream survive. */
    @Test
    void everyToolsPrefixIsPeeled() {
        String msg = "arm-smmu 15000000.iommu: Blocked unknown Stream ID 0x888; boot with \"arm-smmu.disable_bypass=0\" to allow";
        for (String prefix : List.of("[Sun Jul 20 10:01:02 2025] ", "2025-07-20T10:01:02,123456+02:00 ", "kern  :err   : [    1.230000] ",
                "10:01:02.123 -> [    1.230000] ", "<3>[    1.230000] ", "Jul 20 10:01:02 c630 kernel: ")) {
            List<KernelLog.Event> e = read(prefix + msg + "\n");
            assertEquals(1, e.size(), prefix);
            assertEquals("15000000.iommu", e.get(0).device(), prefix);
            assertEquals(0x888, e.get(0).get("sid"), prefix);
        }
        assertEquals("msm", read("[Sun Jul 20 10:01:09 2025] [drm] Initialized msm 1.12.0 for ae01000.display-controller on minor 0\n")
                .get(0).detail(), "a bracket without a digit is DRM's, not a stamp");
    }

    /** A journal of two boots: the last is read, the first's lines counted as dropped. */
    @Test
    void theLastBootIsRead() {
        KernelLog.Log log = KernelLog.read(new StringReader("""
                -- Boot 0123456789abcdef0123456789abcdef --
                Jul 20 10:00:00 c630 kernel: arm-smmu 15000000.iommu: Blocked unknown Stream ID 0x880; boot with "arm-smmu.disable_bypass=0" to allow
                -- Boot fedcba9876543210fedcba9876543210 --
                Jul 20 11:00:00 c630 kernel: Booting Linux on physical CPU 0x0000000000 [0x517f803c]
                Jul 20 11:00:01 c630 kernel: arm-smmu 15000000.iommu: probing hardware configuration...
                """));
        assertEquals(List.of(KernelLog.Kind.SMMU_PROBE), log.events().stream().map(KernelLog.Event::kind).toList());
        assertEquals(1, log.dropped());
    }

    /**
     * A console that saw the kernel start again keeps the boot before it, whose end may be the
     * symptom; a journal's separator keeps none (it says nothing of how a boot ended). The
     * kernel's own ends of a boot (kernel/reboot.c, panic()) are read.
     */
    @Test
    void aConsoleKeepsTheBootBeforeTheLast() {
        KernelLog.Log console = KernelLog.read(new StringReader("""
                [    0.000000] Booting Linux on physical CPU 0x0000000000 [0x517f803c]
                [    1.100000] arm-smmu 15000000.iommu: probing hardware configuration...
                Format: Log Type - Time(microsec) - Message - Optional Info
                S - QC_IMAGE_VERSION_STRING=BOOT.XF.2.0-00371-SDM850LZB-1
                [    0.000000] Booting Linux on physical CPU 0x0000000000 [0x517f803c]
                [    0.000000] Linux version 6.12.38-arm64 (debian-kernel@lists.debian.org)
                [    1.100000] arm-smmu 15000000.iommu: probing hardware configuration...
                """));
        assertEquals(List.of(KernelLog.Kind.SMMU_PROBE), console.previous().stream().map(KernelLog.Event::kind).toList());
        assertEquals(2, console.previous().get(0).line());
        assertEquals(List.of(KernelLog.Kind.LINUX_VERSION, KernelLog.Kind.SMMU_PROBE), console.events().stream().map(KernelLog.Event::kind).toList());
        KernelLog.Log journal = KernelLog.read(new StringReader("""
                Jul 20 10:00:01 c630 kernel: arm-smmu 15000000.iommu: probing hardware configuration...
                -- Boot fedcba9876543210fedcba9876543210 --
                Jul 20 11:00:01 c630 kernel: arm-smmu 15000000.iommu: probing hardware configuration...
                """));
        assertEquals(List.of(), journal.previous(), "a journal's separator: how the boot ended is not known");
        KernelLog.Log twice = KernelLog.read(new StringReader("""
                [    1.100000] arm-smmu 15000000.iommu: probing hardware configuration...
                [    9.100000] [drm] Initialized msm 1.12.0 20130625 for ae01000.display-controller on minor 0
                [    1.100000] arm-smmu 15000000.iommu: probing hardware configuration...
                """));
        assertEquals(1, twice.events().size(), "printk time going back with no banner starts another boot");
        assertEquals(2, twice.previous().size());
        List<KernelLog.Event> ends = read("""
                [  100.000000] reboot: Restarting system
                [  100.000000] reboot: Power down
                [  101.000000] Kernel panic - not syncing: Asynchronous SError Interrupt
                """);
        assertEquals(List.of(KernelLog.Kind.REBOOT, KernelLog.Kind.REBOOT, KernelLog.Kind.PANIC), ends.stream().map(KernelLog.Event::kind).toList());
        assertEquals("Asynchronous SError Interrupt", ends.get(2).detail());
    }

    /**
     * The IOMMU core's default domain (6.12 "%s%s", 6.1 "%s %s"), qcom's software walk after a
     * context fault (arm-smmu-qcom-debug.c), of_iommu's non-direct reserved region.
     */
    @Test
    void defaultDomainSoftwareWalkAndNonDirectRegions() {
        List<KernelLog.Event> e = read("""
                [    0.300000] iommu: Default domain type: Translated
                [    0.300000] iommu: Default domain type: Passthrough (set via kernel command line)
                <6>[    0.300000] iommu: Default domain type: Translated\u0020
                [    5.000000] arm-smmu 15000000.iommu: soft iova-to-phys=0x0000000000000000
                [    5.000001] arm-smmu 15000000.iommu: SOFTWARE TABLE WALK FAILED! Looks like 15000000.iommu accessed an unmapped address!
                [    6.000000] msm_dpu ae01000.display-controller: treating non-direct mapping [mem 0x9d400000-0x9f7fffff] -> [0x60000000-0x623fffff] as reservation
                """);
        assertEquals(List.of(KernelLog.Kind.DEFAULT_DOMAIN, KernelLog.Kind.DEFAULT_DOMAIN, KernelLog.Kind.DEFAULT_DOMAIN,
                KernelLog.Kind.QCOM_SOFT_WALK, KernelLog.Kind.RESV_NOT_DIRECT), e.stream().map(KernelLog.Event::kind).toList());
        assertEquals("Translated", e.get(0).detail());
        assertEquals(0, e.get(0).get("cmdline"));
        assertEquals("Passthrough", e.get(1).detail());
        assertEquals(1, e.get(1).get("cmdline"));
        assertEquals(0, e.get(3).get("phys"));
        assertEquals("ae01000.display-controller", e.get(4).device());
        assertEquals(0x60000000L, e.get(4).get("start"));
        assertEquals(0x623fffffL, e.get(4).get("end"));
    }

    /**
     * Logs as people paste them: quoted ("> ", "> > "), behind a byte-order mark, fault lines a
     * mailer or a hand wrapped (joined at the trailing comma); vendor trees' context-fault printers
     * (NVIDIA's "sid=17(0x11 - AFI)", QCOM's msm-4.x order with its stream on a "SID=" line two
     * lines on), qcom_iommu's without cbfrsynra; the rate limiter's count; component binding. A
     * fault line nothing decodes is counted, prose that mentions a fault is not.
     */
    @Test
    void pastedWrappedAndVendorLines() {
        KernelLog.Log log = KernelLog.read(new StringReader("""
                \uFEFF> > [    1.000000] arm-smmu 15000000.iommu: Unhandled context fault: fsr=0x402, iova=0x9d4bb500,\u0020
                > > fsynr=0x170021, cbfrsynra=0xc88, cb=11
                >>> [    6.296121] arm-smmu 12000000.iommu: Unexpected global fault, this
                >>> could be serious
                > arm-smmu 15000000.iommu: GFSR 0x80000002, GFSYNR0 0x00000000,
                > \t\t\t GFSYNR1 0x00000781, GFSYNR2 0x00000000
                arm-smmu 12000000.iommu: Unhandled context fault: iova=0x17fe0fe00, fsynr=0x220003, cb=21, sid=17(0x11 - AFI), pgd=25bec9003
                [ 3440.122844] arm-smmu 15000000.apps-smmu: Unhandled context fault: iova=0xa09d70c8, fsr=0x40000402, fsynr=0x300003, cb=5
                [ 3440.122926] arm-smmu 15000000.apps-smmu: soft iova-to-phys=0x0000000000000000
                [ 3440.122986] arm-smmu 15000000.apps-smmu: SID=0x40
                qcom-iommu 1e20000.iommu: Unhandled context fault: fsr=0x402, iova=0x00001000, fsynr=0x1, cb=3
                arm_smmu_context_fault: 1697259 callbacks suppressed
                [ 3441.502291] msm ae00000.mdss: bound ae01000.mdp (ops dpu_kms_ops [msm])
                [ 3441.510000] [drm:dpu_kms_hw_init:1108] dpu hardware revision:0x40000000
                [ 3441.600000] simple-framebuffer 9d400000.framebuffer: framebuffer at 0x9d400000, 0x2400000 bytes
                [ 3442.000000] arm-smmu 15000000.iommu: TLB sync timed out -- SMMU may be deadlocked
                tegra30_mc_handle_irq: 12 callbacks suppressed
                [ 3443.000000] arm-smmu 15000000.iommu: context fault on cb 0x5 at far 0xa09d70c8
                if global faults are being delivered then context faults should be too
                """));
        List<KernelLog.Event> e = log.events();
        assertEquals(List.of(KernelLog.Kind.CONTEXT_FAULT, KernelLog.Kind.GLOBAL_FAULT, KernelLog.Kind.GLOBAL_SYNDROME,
                KernelLog.Kind.CONTEXT_FAULT, KernelLog.Kind.CONTEXT_FAULT, KernelLog.Kind.QCOM_SOFT_WALK, KernelLog.Kind.CONTEXT_FAULT_SID,
                KernelLog.Kind.CONTEXT_FAULT, KernelLog.Kind.SUPPRESSED, KernelLog.Kind.COMPONENT_BOUND, KernelLog.Kind.DPU_REVISION,
                KernelLog.Kind.SIMPLEFB, KernelLog.Kind.TLB_SYNC_TIMEOUT, KernelLog.Kind.SUPPRESSED), e.stream().map(KernelLog.Event::kind).toList());
        assertEquals("15000000.iommu", e.get(0).device(), "quotes and the byte-order mark peeled");
        assertEquals(1.0, e.get(0).time());
        assertEquals(0xc88, e.get(0).get("sid"), "the wrapped half joined");
        assertEquals(11, e.get(0).get("cb"));
        assertEquals(1, e.get(0).line());
        assertEquals(0x781, e.get(2).get("sid"), "the hand-wrapped syndrome joined");
        assertEquals(0x11, e.get(3).get("sid"), "NVIDIA's decimal sid=");
        assertEquals(21, e.get(3).get("cb"));
        assertEquals(-1, e.get(4).get("sid"), "QCOM's msm-4.x: the stream comes on its own line");
        assertEquals(0x40000402L, e.get(4).get("fsr"));
        assertEquals(0x40, e.get(6).get("sid"));
        assertEquals(-1, e.get(7).get("sid"), "qcom_iommu prints no stream");
        assertEquals(3, e.get(7).get("cb"));
        assertEquals(1697259, e.get(8).get("count"));
        assertEquals("ae01000.mdp", e.get(9).detail());
        assertEquals("ae00000.mdss", e.get(9).device());
        assertEquals(0x9d400000L, e.get(11).get("base"), "simplefb: the DT's firmware framebuffer");
        assertEquals(0x2400000L, e.get(11).get("bytes"));
        assertEquals("tegra30_mc_handle_irq", e.get(13).detail());
        assertEquals(1, log.undecoded(), "the vendor line, not the prose");
        assertTrue(log.undecodedSamples().get(0).startsWith("18: "), log.undecodedSamples().toString());
    }

    @Test
    void qcomsClampAndAFailedDirectMapping() {
        List<KernelLog.Event> e = read("""
                [    1.100500] arm-smmu 15000000.iommu: 	Limiting the stream matching groups to 128
                [    2.000000] IOMMU driver was not able to establish FW requested direct mapping.
                [    2.000001] WARNING: CPU: 3 PID: 1 at drivers/iommu/iommu.c:2984 iommu_setup_default_domain+0x3e0/0x480
                """);
        assertEquals(List.of(KernelLog.Kind.QCOM_CLAMP, KernelLog.Kind.DIRECT_MAP_FAILED), e.stream().map(KernelLog.Event::kind).toList());
        assertEquals(128, e.get(0).get("groups"));
    }

    @Test
    void aLogWithoutSmmuLinesHasNoEvents() {
        assertEquals(List.of(), read("[    0.000000] Booting Linux\n[    1.0] Freeing unused kernel memory: 1024K\n"));
        assertEquals(List.of(), read(""));
    }
}
