package dev.handoff.model.scenario;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Knobs, presets and scenario files, with the errors a user sees. */
class ScenarioTest {
    @Test
    void precedenceIsDefaultsPlatformPolicyOverrides() {
        Scenario s = Scenario.of(Platforms.C630, "stock", Map.of(Knobs.FW_MAPPING, "translated"));
        assertEquals("none", s.knob(Knobs.KERNEL_INHERIT), "policy over default");
        assertEquals("yes", s.knob(Knobs.HYP_BYPASS_QUIRK), "platform over default");
        assertEquals("translated", s.knob(Knobs.FW_MAPPING), "override over all");
        assertEquals(Knobs.all().size(), s.knobs().size(), "every knob has a value");
    }

    @Test
    void unknownKnobListsTheKnownOnes() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> Scenario.of(Platforms.C630, null, Map.of("fw.maping", "identity")));
        assertTrue(e.getMessage().startsWith("knob \"fw.maping\" is unknown (known: smmu.version, fw.interface, fw.mapping,"), e.getMessage());
    }

    @Test
    void badValueListsTheAllowedOnes() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> Scenario.of(Platforms.C630, null, Map.of("fw.mapping", "sideways")));
        assertEquals("knob \"fw.mapping\" has no value \"sideways\" (allowed: identity, translated)", e.getMessage());
    }

    @Test
    void everyPolicyOfTheBriefExists() {
        for (String p : new String[] {"stock", "stock-bypass", "explicit-only", "explicit-inherit", "qcom-bypass",
                "qcom-pre-sctlr-fix", "rmr-identity", "rmr-dma", "dt-iommu-addresses",
                "dt-iommu-addresses-nonidentity", "tegra-late-sid", "global-passthrough", "fw-quiesce", "readback-remap",
                "asahi-translated"}) {
            assertEquals(p, Policies.get(p, "").name());
        }
        assertEquals(15, Policies.all().size());
    }

    /** Every value the version table sets is a value of its knob, and the version's settings reach the scenario. */
    @Test
    void kernelVersionsSetTheirMechanisms() {
        for (KernelVersions.Mechanism m : KernelVersions.mechanisms()) {
            if (m.knob() != null) {
                for (String v : KernelVersions.VERSIONS) {
                    Knobs.get(m.knob(), "").check(m.value(v), m.what() + " " + v + ": ");
                }
            }
        }
        assertEquals("no", Scenario.of(Platforms.C630, null, Map.of(Knobs.KERNEL_VERSION, "5.15")).knob(Knobs.KERNEL_RMR_BYPASS_SMR));
        assertEquals("yes", Scenario.of(Platforms.C630, null, Map.of()).knob(Knobs.KERNEL_RMR_BYPASS_SMR), "6.12 by default");
        assertEquals("yes", Scenario.of(Platforms.C630, null,
                Map.of(Knobs.KERNEL_VERSION, "5.15", Knobs.KERNEL_RMR_BYPASS_SMR, "yes")).knob(Knobs.KERNEL_RMR_BYPASS_SMR),
                "an explicit setting wins over the version");
        assertEquals("no", Scenario.of(Platforms.C630, "qcom-pre-sctlr-fix", Map.of()).knob(Knobs.KERNEL_QCOM_SCTLR_FIX),
                "a policy wins over the version");
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> Scenario.of(Platforms.C630, null, Map.of(Knobs.KERNEL_VERSION, "4.19")));
        assertTrue(e.getMessage().contains("allowed: 5.10, 5.15, 6.1, 6.6, 6.12"), e.getMessage());
    }

    /** A bank index the platform does not have is bad input naming the allowed range. */
    @Test
    void contextBankMustFitThePlatform() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> Scenario.of(Platforms.JUNO, null, Map.of(Knobs.FW_CONTEXT_BANK, "3")));
        assertEquals("knob \"fw.context-bank\" is 3 but platform juno has 4 context banks: allowed 0 to 2"
                + " (the last bank is fw.last-bank=display)", e.getMessage());
        assertEquals("3", Scenario.of(Platforms.C630, null, Map.of(Knobs.FW_CONTEXT_BANK, "3")).knob(Knobs.FW_CONTEXT_BANK));
    }

    /** Policies choose, boards are: no preset sets a hardware fact, and a preset that tried is refused. */
    @Test
    void policiesSetNoFactOfTheBoard() {
        for (Policy p : Policies.all()) {
            for (String k : p.settings().keySet()) {
                assertNotEquals(Knob.Kind.HARDWARE, Knobs.get(k, "").kind(), p.name() + " sets " + k);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Policy("reset-it", "", Map.of(Knobs.DISPLAY_RESET, "present")));
        assertTrue(e.getMessage().contains("display.reset, a fact of the board"), e.getMessage());
    }

    @Test
    void scenarioFile() {
        ScenarioFile.Parsed p = ScenarioFile.read("s.yaml", new StringReader(
                "platform: c630\npolicy: rmr-dma\nknobs:\n  fw.mapping: translated\n  fw.quiesce: yes\n"));
        assertEquals("rmr-dma", p.policy());
        assertEquals(Map.of("fw.mapping", "translated", "fw.quiesce", "yes"), p.knobs());
    }

    @Test
    void scenarioFileErrorsNameTheLine() {
        ScenarioException unknown = assertThrows(ScenarioException.class, () -> ScenarioFile.read("s.yaml",
                new StringReader("policy: stock\nknobs:\n  fw.mapping: identity\n  fw.maping: translated\n")));
        assertTrue(unknown.getMessage().startsWith("s.yaml line 4: knob \"fw.maping\" is unknown"), unknown.getMessage());
        ScenarioException key = assertThrows(ScenarioException.class, () -> ScenarioFile.read("s.yaml",
                new StringReader("policy: stock\nplatfrom: c630\n")));
        assertEquals("s.yaml line 2: unknown key \"platfrom\" (allowed: platform, policy, knobs, masters)", key.getMessage());
        ScenarioException policy = assertThrows(ScenarioException.class, () -> ScenarioFile.read("s.yaml",
                new StringReader("policy: stok\n")));
        assertTrue(policy.getMessage().startsWith("s.yaml: policy \"stok\" is unknown (known: stock,"), policy.getMessage());
        ScenarioException yaml = assertThrows(ScenarioException.class, () -> ScenarioFile.read("s.yaml",
                new StringReader("knobs: [unclosed\n")));
        assertTrue(yaml.getMessage().startsWith("s.yaml"), yaml.getMessage());
    }

    @Test
    void scenarioFileMastersReplaceThePlatformsOwn() {
        ScenarioFile.Parsed p = ScenarioFile.read("s.yaml", new StringReader(
                "platform: c630\nmasters:\n  - name: ufs\n    streams: [{sid: 0x100, mask: 0xf}]\n"
                        + "  - name: modem\n    compatible: [\"qcom,sdm845-mss-pil\"]\n    streams:\n      - {sid: 1921}\n"));
        assertEquals(List.of(new Master("ufs", List.of(new StreamEntry(0x100, 0xf))),
                new Master("modem", List.of(new StreamEntry(0x781, 0)), List.of("qcom,sdm845-mss-pil"))), p.masters());
        assertEquals(null, ScenarioFile.read("s.yaml", new StringReader("platform: c630\n")).masters(), "absent: the platform's");
    }

    @Test
    void scenarioFileMasterErrorsNameTheLine() {
        ScenarioException wide = assertThrows(ScenarioException.class, () -> ScenarioFile.read("s.yaml", new StringReader(
                "masters:\n  - name: a\n    streams: [{sid: 0x10000}]\n")));
        assertEquals("s.yaml line 3: \"sid\" is 0x10000: a stream ID or mask is 0 to 0xffff (decimal or 0x-hex)", wide.getMessage());
        ScenarioException none = assertThrows(ScenarioException.class, () -> ScenarioFile.read("s.yaml", new StringReader(
                "masters:\n  - name: a\n")));
        assertEquals("s.yaml line 2: a master needs a \"name\" and at least one stream", none.getMessage());
        ScenarioException key = assertThrows(ScenarioException.class, () -> ScenarioFile.read("s.yaml", new StringReader(
                "masters:\n  - name: a\n    stream: []\n")));
        assertTrue(key.getMessage().startsWith("s.yaml line 3: unknown key \"stream\" in a master (allowed: name, streams, compatible)"),
                key.getMessage());
        ScenarioException shape = assertThrows(ScenarioException.class, () -> ScenarioFile.read("s.yaml", new StringReader(
                "masters: ufs\n")));
        assertTrue(shape.getMessage().startsWith("s.yaml line 1: \"masters\" must be a list"), shape.getMessage());
    }
}
