package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.model.scenario.Knobs;
import org.junit.jupiter.api.Test;

import java.util.List;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.handoff.checker.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** check, sweep and list in-process: formats, schemas and input errors. */
class HandoffCliTest {
    @Test
    void checkJsonFollowsTheSchema() throws Exception {
        CliTest.Run r = run("check", "--policy", "stock", "--format", "json");
        assertEquals(ExitCode.SAFETY_VIOLATED, r.code(), r.err());
        JsonNode j = RunReport.JSON.readTree(r.out());
        assertEquals("handoff.check/2", j.get("schema").asText());
        assertEquals("c630", j.get("scenario").get("platform").get("name").asText());
        assertEquals("stock", j.get("scenario").get("policy").asText());
        assertEquals(Knobs.all().size(), j.get("scenario").get("knobs").size(), "every knob and its value");
        assertEquals("VIOLATED", j.get("verdict").asText());
        JsonNode fault = j.get("properties").get(0);
        assertEquals("no-dma-fault", fault.get("name").asText());
        JsonNode trace = fault.get("trace");
        JsonNode last = trace.get("steps").get(trace.get("steps").size() - 1);
        assertEquals("display-engine", last.get("actor").asText());
        assertEquals("fatal", last.get("choice").asText(), "the nondeterministic choice the fetch took");
        assertTrue(trace.get("steps").get(0).get("choice").isNull(), "firmware steps are deterministic");
        assertEquals("fatal", trace.get("witness").get("outcome").asText(), "a global fault on Qualcomm firmware");
        assertEquals("global", trace.get("witness").get("report").asText(), "recorded in sGFSR");
        assertEquals(false, trace.get("witness").get("logged").asBoolean(), "the firmware resets before Linux can print it");
        assertEquals("fatal", fault.get("severity").asText());
        assertTrue(j.get("properties").get(1).get("severity").isNull(), "right-page holds: no severity");
        assertEquals("0x880", trace.get("witness").get("sid").asText());
        JsonNode first = trace.get("steps").get(0);
        assertEquals("fw_program_smmu", first.get("function").asText());
        assertTrue(first.get("changes").size() > 0);
        assertTrue(j.get("stats").get("distinctStates").asLong() > 0);
    }

    @Test
    void checkHoldsExitsZero() {
        CliTest.Run r = run("check", "--policy", "fw-quiesce", "--kernel", "5.15");
        assertEquals(ExitCode.HOLDS, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("verdict: HOLDS"));
    }

    @Test
    void propertySelectionAndSetOverride() throws Exception {
        CliTest.Run r = run("check", "--policy", "qcom-bypass", "--set", "fw.mapping=translated",
                "--property", "right-page", "--format", "json");
        assertEquals(ExitCode.SAFETY_VIOLATED, r.code());
        JsonNode j = RunReport.JSON.readTree(r.out());
        assertEquals(1, j.get("properties").size());
        assertEquals("translated", j.get("scenario").get("knobs").get("fw.mapping").asText());
    }

    @Test
    void sweepJsonHoldsOneCheckPerCell() throws Exception {
        CliTest.Run r = run("sweep", "--policy", "stock", "--policy", "fw-quiesce", "--vary", "fw.tables",
                "--vary", "fw.mapping", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = RunReport.JSON.readTree(r.out());
        assertEquals("handoff.sweep/2", j.get("schema").asText());
        assertEquals(8, j.get("results").size(), "2 policies x 2 x 2 variants");
        assertEquals("handoff.check/2", j.get("results").get(0).get("schema").asText());
    }

    @Test
    void sweepMarkdownTable() {
        CliTest.Run r = run("sweep", "--policy", "fw-quiesce", "--policy", "stock", "--format", "markdown",
                "--set", "hyp.clientpd=ignored");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("| policy | fw.mapping=identity | fw.mapping=translated |"), r.out());
        assertTrue(r.out().contains("| fw-quiesce | ✅ ok | ✅ ok |"), r.out());
        assertTrue(r.out().contains("| stock | ❌ no-dma-fault:fatal"), r.out());
    }

    /**
     * --fail-on gates on severity: stock's reset is a global fault, fatal on Qualcomm firmware;
     * qcom-bypass's is a context fault in the driver's empty domain, reported but survivable.
     */
    @Test
    void failOnGatesBySeverity() {
        assertEquals(ExitCode.SAFETY_VIOLATED, run("check", "--policy", "stock", "--fail-on", "fatal").code());
        String kept = "kernel.clk-ignore-unused=yes";
        CliTest.Run contextFault = run("check", "--policy", "qcom-bypass", "--set", kept, "--fail-on", "fatal");
        assertEquals(ExitCode.HOLDS, contextFault.code(), contextFault.out());
        assertTrue(contextFault.out().contains("VIOLATED fault"), contextFault.out());
        assertEquals(ExitCode.SAFETY_VIOLATED, run("check", "--policy", "qcom-bypass", "--set", kept, "--fail-on", "fault").code());
        assertEquals(ExitCode.SAFETY_VIOLATED, run("check", "--policy", "qcom-bypass", "--set", kept).code(), "default: any");
        assertEquals(ExitCode.SAFETY_VIOLATED, run("sweep", "--policy", "stock", "--fail-on", "fatal").code());
        assertEquals(ExitCode.HOLDS, run("sweep", "--policy", "stock").code(), "a sweep gates only when asked");
        CliTest.Run bad = run("check", "--fail-on", "severe");
        assertEquals(ExitCode.USAGE, bad.code());
        assertTrue(bad.err().contains("--fail-on 'severe' is not a level (allowed: fatal, hang, fault, wrong-page, any)"), bad.err());
    }

    @Test
    void listings() {
        CliTest.Run p = run("list", "policies");
        assertTrue(p.out().contains("qcom-bypass\n"), p.out());
        assertTrue(p.out().contains("sets: kernel.inherit=qcom-bypass\n"), p.out());
        CliTest.Run k = run("list", "knobs");
        assertTrue(k.out().contains("fw.mapping = identity | translated   (default identity)"), k.out());
        CliTest.Run pr = run("list", "properties");
        assertTrue(pr.out().contains("handoff-completes (liveness)"), pr.out());
        assertEquals(ExitCode.USAGE, run("list", "colours").code());
    }

    @Test
    void badInputExits65WithOneLine() {
        CliTest.Run knob = run("check", "--set", "fw.maping=identity");
        assertEquals(ExitCode.BAD_INPUT, knob.code());
        assertTrue(knob.err().startsWith("handoff: knob \"fw.maping\" is unknown (known: smmu.version, fw.interface, fw.mapping"), knob.err());
        CliTest.Run value = run("check", "--set", "fw.mapping=sideways");
        assertEquals(ExitCode.BAD_INPUT, value.code());
        assertTrue(value.err().contains("(allowed: identity, translated)"), value.err());
        CliTest.Run policy = run("sweep", "--policy", "stok");
        assertEquals(ExitCode.BAD_INPUT, policy.code());
        assertTrue(policy.err().contains("policy \"stok\" is unknown (known: stock, stock-bypass,"), policy.err());
        CliTest.Run prop = run("check", "--property", "no-faults");
        assertEquals(ExitCode.BAD_INPUT, prop.code());
        CliTest.Run set = run("check", "--set", "fw.mapping");
        assertEquals(ExitCode.USAGE, set.code(), "malformed syntax is a usage error");
        assertTrue(set.err().contains("is not KNOB=VALUE"), set.err());
        CliTest.Run both = run("sweep", "--vary", "fw.mapping", "--set", "fw.mapping=identity");
        assertEquals(ExitCode.BAD_INPUT, both.code());
        CliTest.Run missing = run("check", "--scenario", "/nonexistent/s.yaml");
        assertEquals(ExitCode.BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        CliTest.Run dir = run("check", "--scenario", System.getProperty("java.io.tmpdir"));
        assertEquals(ExitCode.BAD_INPUT, dir.code());
        assertTrue(dir.err().contains("is a directory"), dir.err());
        for (CliTest.Run r : new CliTest.Run[] {knob, value, policy, prop, both, missing, dir}) {
            assertEquals(1, r.err().lines().count(), "one line: " + r.err());
            assertFalse(r.err().contains("\tat "));
        }
    }

    @Test
    void scenarioFileWithCommandLineOverride(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "platform: c630\npolicy: qcom-bypass\nknobs:\n  fw.mapping: translated\n");
        CliTest.Run r = run("check", "--scenario", f.toString(), "--format", "json");
        JsonNode j = RunReport.JSON.readTree(r.out());
        assertEquals("qcom-bypass", j.get("scenario").get("policy").asText());
        assertEquals("translated", j.get("scenario").get("knobs").get("fw.mapping").asText());
        CliTest.Run o = run("check", "--scenario", f.toString(), "--set", "fw.mapping=identity", "--format", "json");
        assertEquals("identity", RunReport.JSON.readTree(o.out()).get("scenario").get("knobs").get("fw.mapping").asText());
        Files.writeString(f, "policy: qcom-bypass\nknobs:\n  fw.mapping: translated\n  fw.bogus: 1\n");
        CliTest.Run bad = run("check", "--scenario", f.toString());
        assertEquals(ExitCode.BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("s.yaml line 4: knob \"fw.bogus\" is unknown"), bad.err());
    }

    @Test
    void noPruningGivesTheSameVerdict() throws Exception {
        CliTest.Run a = run("check", "--policy", "qcom-bypass", "--set", "kernel.clk-ignore-unused=yes", "--format", "json");
        CliTest.Run b = run("check", "--policy", "qcom-bypass", "--set", "kernel.clk-ignore-unused=yes", "--format", "json", "--no-pruning",
                "--property", "no-dma-fault", "--property", "right-page");
        JsonNode ja = RunReport.JSON.readTree(a.out());
        JsonNode jb = RunReport.JSON.readTree(b.out());
        assertEquals(ja.get("properties").get(0).get("verdict"), jb.get("properties").get(0).get("verdict"));
        assertEquals(ja.get("properties").get(1).get("verdict"), jb.get("properties").get(1).get("verdict"));
        assertTrue(ja.get("stats").get("pruning").get("naiveBranchesSaved").asLong() > 0);
        assertTrue(ja.get("stats").get("pruning").get("statesSaved").isNull(), "not counted unless asked");
        assertEquals("not counted (--count-saved counts it)", ja.get("stats").get("pruning").get("statesSavedNote").asText());
        CliTest.Run c = run("check", "--policy", "qcom-bypass", "--set", "kernel.clk-ignore-unused=yes", "--format", "json", "--count-saved");
        assertTrue(RunReport.JSON.readTree(c.out()).get("stats").get("pruning").get("statesSaved").asLong() > 0);
    }

    /** --kernel sets the version and its mechanisms; list kernels prints each mechanism per version; vary works. */
    @Test
    void kernelVersionIsAnInput() throws Exception {
        CliTest.Run k = run("list", "kernels");
        assertEquals(ExitCode.HOLDS, k.code());
        assertTrue(k.out().contains("kernel.rmr-bypass-smr      5.10=no 5.15=no 6.1=yes 6.6=yes 6.12=yes"), k.out());
        assertTrue(k.out().contains("commits: a5bf3cfce8cb (v6.3)"), k.out());
        CliTest.Run c = run("check", "--policy", "stock", "--kernel", "6.1", "--format", "json");
        JsonNode knobs = RunReport.JSON.readTree(c.out()).get("scenario").get("knobs");
        assertEquals("6.1", knobs.get("kernel.version").asText());
        assertEquals("no", knobs.get("kernel.iommu-addresses").asText(), "6.1 has no iommu-addresses support");
        CliTest.Run bad = run("check", "--kernel", "4.19");
        assertEquals(ExitCode.USAGE, bad.code());
        assertTrue(bad.err().contains("kernel version \"4.19\" is not one handoff models (known: 5.10, 5.15, 6.1, 6.6, 6.12)"),
                bad.err());
        CliTest.Run sweep = run("sweep", "--policy", "fw-quiesce", "--vary", "kernel.version");
        assertEquals(ExitCode.HOLDS, sweep.code(), sweep.err());
        assertTrue(sweep.out().contains("kernel.version=5.10") && sweep.out().contains("kernel.version=6.12"), sweep.out());
    }

    /** --progress: one line per finished cell on standard error; standard output is the same with or without it. */
    @Test
    void sweepProgressGoesToStandardErrorOneLinePerCell() {
        CliTest.Run plain = run("sweep", "--policy", "stock", "--policy", "fw-quiesce");
        CliTest.Run progress = run("sweep", "--policy", "stock", "--policy", "fw-quiesce", "--progress");
        assertEquals(plain.out().replaceAll("[0-9.]+ s of search", ""), progress.out().replaceAll("[0-9.]+ s of search", ""));
        List<String> lines = progress.err().lines().toList();
        assertEquals(4, lines.size(), progress.err());
        assertTrue(lines.stream().allMatch(l -> l.matches("\\[[1-4]/4] (stock|fw-quiesce) fw\\.mapping=\\w+: .* \\([0-9,]+ states, [0-9.]+ s\\)")),
                progress.err());
        assertTrue(plain.err().isEmpty(), "nothing without --progress off a terminal: " + plain.err());
    }
}
