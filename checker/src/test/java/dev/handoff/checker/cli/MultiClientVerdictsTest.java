package dev.handoff.checker.cli;

import dev.handoff.engine.Verdict;
import dev.handoff.engine.formalism.Models;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.kernel.DeviceState;
import dev.handoff.model.scenario.Master;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.StreamEntry;
import dev.handoff.model.smmu.Registers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.handoff.checker.cli.PolicyVerdictsTest.check;
import static dev.handoff.checker.cli.PolicyVerdictsTest.rootCause;
import static dev.handoff.checker.cli.PolicyVerdictsTest.verdict;
import static dev.handoff.properties.HandoffProperties.NO_DMA_FAULT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Violations and mechanisms that need several IOMMU-core clients on one SMMU. The boards here are
 * the embedded ones with synthetic masters added; each test says which kernel lines decide it.
 */
class MultiClientVerdictsTest {
    static Master master(String name, StreamEntry... e) {
        return new Master(name, List.of(e));
    }

    static Set<HandoffState> done(Platform p, String policy) {
        HandoffModel m = new HandoffModel(Scenario.of(p, policy, Map.of()), true);
        Set<HandoffState> out = new java.util.HashSet<>();
        for (HandoffState s : Models.reachable(m)) {
            if (s.failure() == null && m.kernelDone(s)) {
                out.add(s);
            }
        }
        assertFalse(out.isEmpty(), "some run of " + policy + " finishes");
        return out;
    }

    /**
     * qcom_smmu_cfg_probe inherits the bootloader's SMR 0x880/0x8 with count 0. A client whose
     * entry 0x888/0 lies inside it probes before the display: arm_smmu_find_sme returns that index
     * (the entry covers the new one), and arm_smmu_master_alloc_smes, seeing count 0
     * (6.12 arm-smmu.c:1096-1099), overwrites the entry with the client's own ID and mask. The
     * write narrows SMR[0] to 0x888/0: the display's 0x880 matches nothing, an unidentified stream
     * fault on the live scanout. The same policies are safe with only the board's UFS. A quiesced
     * display has no live stream to lose.
     */
    @Test
    void anotherClientNarrowsTheInheritedDisplayEntry() {
        Platform base = Platforms.C630;
        Platform narrowing = base.withMasters(List.of(master("narrower@1000", new StreamEntry(0x888, 0)),
                base.masters().get(0)));
        for (String policy : List.of("qcom-bypass", "explicit-inherit", "readback-remap")) {
            assertEquals(Verdict.HOLDS, verdict(check(base, policy, Map.of()), NO_DMA_FAULT), policy + " with the UFS only");
            HandoffCheck.Outcome o = check(narrowing, policy, Map.of());
            assertEquals(Verdict.VIOLATED, verdict(o, NO_DMA_FAULT), policy);
            assertTrue(rootCause(o, NO_DMA_FAULT).startsWith("iommu-core other1.write_sme[].smr -> fatal: no SMR matches"),
                    policy + ": " + rootCause(o, NO_DMA_FAULT));
        }
        assertEquals(Verdict.HOLDS, verdict(check(narrowing, "fw-quiesce", Map.of()), NO_DMA_FAULT));
    }

    /**
     * Two clients with the same stream ID share one stream map entry (arm_smmu_find_sme finds the
     * first's, count 2). arm_smmu_device_group then returns the group the entry remembers
     * (6.12 arm-smmu.c:1541-1554), so the second client joins the first's group and is attached
     * to its domain: one context bank, the S2CR untouched.
     */
    @Test
    void aClientSharingAStreamIdJoinsTheFirstClientsGroup() {
        Platform p = Platforms.C630.withMasters(List.of(master("a@100", new StreamEntry(0x100, 0)),
                master("b@200", new StreamEntry(0x100, 0))));
        for (HandoffState s : done(p, "qcom-bypass")) {
            DeviceState a = s.device(1);
            DeviceState b = s.device(2);
            assertEquals(1, a.group());
            assertEquals(1, b.group(), "b joins a's group");
            assertEquals(a.smendx()[0], b.smendx()[0], "one shared entry");
            assertEquals(2, s.driver().shadow().get(a.smendx()[0]).count());
            assertTrue(a.cb() >= 0 && a.cb() == b.cb(), "one domain, one bank");
            assertEquals(Registers.S2CR_TYPE_TRANS, Registers.s2crType(s.v2().s2cr()[a.smendx()[0]]));
            assertEquals(a.cb(), Registers.s2crCbndx(s.v2().s2cr()[a.smendx()[0]]));
        }
    }

    /**
     * arm_smmu_device_group assigns {@code group = s2crs[idx].group} for every entry, so a client
     * whose last entry remembers no group gets a new group even when an earlier entry is shared
     * (6.12 arm-smmu.c:1541-1566): b (0x100, 0x200) shares a's 0x100, gets its own group, domain
     * and bank, and its attach points the shared S2CR at b's bank: a's DMA is translated by b's
     * page tables from then on.
     */
    @Test
    void aSharedEntryFollowsTheLastClientsNewGroup() {
        Platform p = Platforms.C630.withMasters(List.of(master("a@100", new StreamEntry(0x100, 0)),
                master("b@200", new StreamEntry(0x100, 0), new StreamEntry(0x200, 0))));
        for (HandoffState s : done(p, "qcom-bypass")) {
            DeviceState a = s.device(1);
            DeviceState b = s.device(2);
            assertEquals(2, b.group(), "a new group for b");
            assertTrue(a.cb() >= 0 && b.cb() >= 0 && a.cb() != b.cb(), "two domains");
            int shared = a.smendx()[0];
            assertEquals(shared, b.smendx()[0]);
            assertEquals(b.cb(), Registers.s2crCbndx(s.v2().s2cr()[shared]), "a's stream now walks b's tables");
            assertEquals(2, s.driver().shadow().get(shared).group(), "the entry remembers b's group");
        }
    }

    /**
     * A client whose entries remember two different groups: arm_smmu_device_group returns -EINVAL
     * (6.12 arm-smmu.c:1542-1546), iommu_init_device releases the device (arm_smmu_release_device
     * -> arm_smmu_master_free_smes) and its IOMMU probe fails; the shared entries keep their
     * other owners.
     */
    @Test
    void entriesOfTwoGroupsFailTheProbe() {
        Platform p = Platforms.C630.withMasters(List.of(master("a@100", new StreamEntry(0x100, 0)),
                master("b@200", new StreamEntry(0x200, 0)),
                master("c@300", new StreamEntry(0x100, 0), new StreamEntry(0x200, 0))));
        for (HandoffState s : done(p, "qcom-bypass")) {
            assertEquals(DeviceState.FAILED, s.device(3).probe());
            assertEquals(1, s.driver().shadow().get(s.device(1).smendx()[0]).count(), "a's entry is a's again");
            assertEquals(1, s.driver().shadow().get(s.device(2).smendx()[0]).count(), "b's entry is b's again");
            assertEquals(DeviceState.DMA, s.device(1).domain());
        }
    }

    /**
     * Context-bank exhaustion: Juno's MMU-401 has 4 banks. With four other clients probed first,
     * each DMA default domain takes one (arm_smmu_init_domain_context: __arm_smmu_alloc_bitmap),
     * and the display's attach finds none (-ENOSPC). The first attach must succeed
     * (iommu_setup_default_domain WARNs, 6.12 iommu.c:2997-2999), so __iommu_probe_device fails and
     * releases the device: arm_smmu_master_free_smes writes its entry back to invalid. Three
     * clients leave it a bank.
     */
    @Test
    void bankExhaustionLeavesTheDisplayWithoutADomain() {
        List<Master> four = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            four.add(master("m" + k, new StreamEntry(0x100 + k, 0)));
        }
        for (HandoffState s : done(Platforms.JUNO.withMasters(four), "stock-bypass")) {
            assertEquals(DeviceState.FAILED, s.display().probe());
            assertEquals(DeviceState.NO_DOMAIN, s.display().domain());
            assertEquals(-1, s.display().cb());
            for (int smr : s.v2().smr()) {
                assertFalse(Registers.smrValid(smr) && Registers.smrId(smr) == 0, "the display's entry 0x0 is released");
            }
            assertEquals(4, s.driver().contextMap().bitCount());
        }
        for (HandoffState s : done(Platforms.JUNO.withMasters(four.subList(0, 3)), "stock-bypass")) {
            assertEquals(DeviceState.DMA, s.display().domain());
            assertEquals(3, s.display().cb());
        }
    }

    /**
     * kernel.probe-order=any: the IOMMU core probes clients in every order iommu_probe_device_lock
     * allows. On Juno with four other clients the display's attach then finds a bank in the runs
     * where it probes early and none where it probes last; display-last reaches only the latter.
     */
    @Test
    void anyProbeOrderReachesBothSidesOfBankExhaustion() {
        List<Master> four = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            four.add(master("m" + k, new StreamEntry(0x100 + k, 0)));
        }
        Platform p = Platforms.JUNO.withMasters(four);
        HandoffModel any = new HandoffModel(Scenario.of(p, "stock-bypass", Map.of(dev.handoff.model.scenario.Knobs.KERNEL_PROBE_ORDER, "any")), true);
        Set<Integer> displayBanks = new java.util.TreeSet<>();
        int maxMidProbe = 0;
        for (HandoffState s : Models.reachable(any)) {
            int mid = 0;
            for (int c = 0; c < s.devices().size(); c++) {
                mid += s.probePc(c) > 0 && !any.clientDone(s, c) ? 1 : 0;
            }
            maxMidProbe = Math.max(maxMidProbe, mid);
            if (s.failure() == null && any.kernelDone(s)) {
                displayBanks.add(s.display().cb());
            }
        }
        assertEquals(Set.of(-1, 0, 1, 2, 3), displayBanks, "every position of the display among the four");
        assertEquals(1, maxMidProbe, "one probe at a time (iommu_probe_device_lock)");
        for (HandoffState s : done(p, "stock-bypass")) {
            assertEquals(-1, s.display().cb(), "display-last: the others took every bank");
        }
    }

    /**
     * iommu_probe_device drops iommu_probe_device_lock before probe_finalize (6.12
     * iommu.c:605-613): with the free order, another client's probe can run between the Tegra
     * display's attach and its memory-controller SID override.
     */
    @Test
    void probeFinalizeRunsOutsideTheProbeLock() {
        Platform p = Platforms.TEGRA186.withMasters(List.of(master("a@100", new StreamEntry(0x10, 0x7f80))));
        HandoffModel m = new HandoffModel(Scenario.of(p, "tegra-late-sid",
                Map.of(dev.handoff.model.scenario.Knobs.KERNEL_PROBE_ORDER, "any")), true);
        int kernelSid = m.config().displayKernelSid();
        boolean between = false;
        for (HandoffState s : Models.reachable(m)) {
            boolean displayAwaitsFinalize = s.display().probe() == DeviceState.PROBED && s.probePc(0) > 0
                    && !m.clientDone(s, 0) && s.mcSid() != kernelSid && s.display().domain() != DeviceState.NO_DOMAIN;
            boolean otherMidProbe = s.probePc(1) > 0 && !m.clientDone(s, 1);
            between |= displayAwaitsFinalize && otherMidProbe;
        }
        assertTrue(between, "a's probe between the display's attach and its probe_finalize");
    }

    /**
     * qcom_smmu_def_domain_type gives IDENTITY to every client qcom_smmu_client_of_match matches,
     * not only the display: the modem PIL bypasses (no bank); a UFS beside it is translated.
     */
    @Test
    void qcomClientsOtherThanTheDisplayGetIdentity() {
        Platform p = Platforms.C630.withMasters(List.of(Platforms.C630.masters().get(0),
                new Master("remoteproc@4080000", List.of(new StreamEntry(0x781, 0)), List.of("qcom,sdm845-mss-pil"))));
        for (HandoffState s : done(p, "stock-bypass")) {
            assertEquals(DeviceState.IDENTITY, s.device(2).domain());
            assertEquals(-1, s.device(2).cb());
            assertEquals(DeviceState.DMA, s.device(1).domain(), "the UFS is no qcom client");
        }
    }

    /**
     * The narrowing client from a scenario file ({@code masters:}), checked from the command line,
     * and its trace replayed: the trace carries the masters, so the replay rebuilds the same board.
     */
    @Test
    void aScenarioFileAddsClientsAndItsTracesReplay(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("narrow.yaml");
        java.nio.file.Files.writeString(f, "platform: c630\npolicy: qcom-bypass\nmasters:\n"
                + "  - name: ufs@1d84000\n    streams: [{sid: 0x100, mask: 0xf}]\n"
                + "  - name: dma@1dc4000\n    streams: [{sid: 0x888}]\n");
        CliTest.Run r = CliTest.run("check", "--scenario", f.toString(), "--property", "no-dma-fault",
                "--trace-out", dir.resolve("t.json").toString());
        assertEquals(ExitCode.SAFETY_VIOLATED, r.code(), r.err());
        assertTrue(r.out().contains("no-dma-fault               VIOLATED fatal"), r.out());
        java.nio.file.Path trace = dir.resolve("t.no-dma-fault.json");
        assertTrue(java.nio.file.Files.readString(trace).contains("\"name\" : \"dma@1dc4000\""));
        CliTest.Run replay = CliTest.run("replay", trace.toString());
        assertEquals(ExitCode.SAFETY_VIOLATED, replay.code(), replay.out() + replay.err());
    }
}
