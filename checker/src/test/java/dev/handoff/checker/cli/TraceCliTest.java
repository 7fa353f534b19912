package dev.handoff.checker.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.handoff.checker.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --trace-out, replay and show through the command line. */
class TraceCliTest {
    @Test
    void traceOutThenReplayReproduces(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("run.json");
        CliTest.Run c = run("check", "--policy", "stock", "--trace-out", base.toString());
        assertEquals(ExitCode.SAFETY_VIOLATED, c.code());
        Path fault = dir.resolve("run.no-dma-fault.json");
        Path iso = dir.resolve("run.isolation.json");
        assertTrue(Files.exists(fault) && Files.exists(iso), c.err());
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".tmp")), "no half-written files left");
        }
        CliTest.Run r = run("replay", fault.toString());
        assertEquals(ExitCode.SAFETY_VIOLATED, r.code(), r.err());
        assertTrue(r.out().contains("replay: the trace reproduces the violation of no-dma-fault"), r.out());
        CliTest.Run explanation = run("show", iso.toString(), "--format", "explanation");
        assertEquals(0, explanation.code());
        assertTrue(explanation.out().contains("of another master reaches memory untranslated"), explanation.out());
        CliTest.Run svg = run("show", fault.toString(), "--format", "svg");
        assertTrue(svg.out().startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg.out());
        assertTrue(svg.out().trim().endsWith("</svg>"));
    }

    @Test
    void aTraceWithoutItsFetchReplaysButViolatesNothing(@TempDir Path dir) throws Exception {
        run("check", "--policy", "stock", "--property", "no-dma-fault", "--trace-out", dir.resolve("t.json").toString());
        Path f = dir.resolve("t.no-dma-fault.json");
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) RunReport.JSON.readTree(f.toFile());
        var steps = (com.fasterxml.jackson.databind.node.ArrayNode) root.get("steps");
        steps.remove(steps.size() - 1);
        Files.writeString(f, root.toString());
        CliTest.Run r = run("replay", f.toString());
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        assertTrue(r.out().contains("is a valid run, but its last state does not violate no-dma-fault"), r.out());
    }

    @Test
    void divergenceAndMalformedFilesExit65(@TempDir Path dir) throws Exception {
        run("check", "--policy", "stock", "--property", "no-dma-fault", "--trace-out", dir.resolve("t.json").toString());
        Path f = dir.resolve("t.no-dma-fault.json");
        String text = Files.readString(f);
        Files.writeString(f, text.replace("\"to\" : \"0x880\"", "\"to\" : \"0x881\""));
        CliTest.Run d = run("replay", f.toString());
        assertEquals(ExitCode.BAD_INPUT, d.code());
        assertTrue(d.err().matches("handoff: .*t\\.no-dma-fault\\.json: replay diverges at step \\d+ \\(firmware: program-smmu\\):"
                + " field smmu\\.SMR\\[0]\\.ID: recorded 0x0 -> 0x881, replay gives 0x0 -> 0x880\\s*"), d.err());
        Files.writeString(f, text.substring(0, 200));
        CliTest.Run t = run("replay", f.toString());
        assertEquals(ExitCode.BAD_INPUT, t.code());
        assertTrue(t.err().contains("not valid JSON"), t.err());
        assertEquals(1, t.err().lines().count());
        CliTest.Run missing = run("show", dir.resolve("nope.json").toString());
        assertEquals(ExitCode.BAD_INPUT, missing.code());
        Path binary = dir.resolve("binary.json");
        Files.write(binary, new byte[] {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed, 0, 0, 0, 1});
        CliTest.Run bin = run("replay", binary.toString());
        assertEquals(ExitCode.BAD_INPUT, bin.code());
        assertTrue(bin.err().contains("not valid JSON"), bin.err());
    }

    @Test
    void ciReports() {
        CliTest.Run md = run("check", "--policy", "stock", "--format", "markdown");
        assertTrue(md.out().startsWith("## handoff\n\n| scenario | property | verdict |"), md.out());
        assertTrue(md.out().contains("```mermaid\nsequenceDiagram"), md.out());
        assertTrue(md.out().contains("<details><summary>trace"), md.out());
        CliTest.Run junit = run("sweep", "--policy", "stock", "--policy", "fw-quiesce", "--format", "junit");
        assertTrue(junit.out().startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"handoff\" tests=\"24\""), junit.out());
        assertTrue(junit.out().contains("<testcase classname=\"c630 stock fw.mapping=identity\" name=\"no-dma-fault\">"), junit.out());
        assertTrue(junit.out().contains("<failure message=\"The display fetch of stream 0x880"), junit.out());
    }

    @Test
    void stateGraphExport(@TempDir Path dir) throws Exception {
        CliTest.Run dot = run("graph", "--policy", "stock", "--property", "no-dma-fault");
        assertEquals(0, dot.code(), dot.err());
        assertTrue(dot.out().startsWith("digraph G {"), dot.out());
        int steps = RunReport.JSON.readTree(run("check", "--policy", "stock", "--property", "no-dma-fault", "--format", "json").out())
                .get("properties").get(0).get("trace").get("steps").size();
        long redEdges = dot.out().lines().filter(l -> l.contains("->") && l.contains("color=\"red\"")).count();
        assertEquals(steps, redEdges, "the counterexample is drawn edge by edge");
        Path ml = dir.resolve("g.graphml");
        CliTest.Run graphml = run("graph", "--policy", "stock", "--format", "graphml", "-o", ml.toString());
        assertEquals(0, graphml.code(), graphml.err());
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ml.toFile());
        assertTrue(doc.getElementsByTagName("node").getLength() > 10);
        CliTest.Run refused = run("graph", "--policy", "stock", "--limit", "10");
        assertEquals(ExitCode.INCONCLUSIVE, refused.code());
        assertTrue(refused.err().contains("more than 10 states"), refused.err());
    }

    @Test
    void severalCounterexamplesWithDistinctRootCauses() throws Exception {
        CliTest.Run r = run("check", "--policy", "stock", "--property", "no-dma-fault", "--set", "fw.tables=unreserved",
                "--set", "fw.mapping=translated", "--max-counterexamples", "3", "--format", "json");
        var p = RunReport.JSON.readTree(r.out()).get("properties").get(0);
        java.util.Set<String> causes = new java.util.HashSet<>();
        causes.add(p.get("trace").get("rootCause").asText());
        p.get("moreTraces").forEach(t -> causes.add(t.get("rootCause").asText()));
        assertEquals(1 + p.get("moreTraces").size(), causes.size(), "root causes differ");
        assertTrue(causes.size() >= 2, causes.toString());
        assertEquals(ExitCode.USAGE, run("check", "--max-counterexamples", "0").code());
    }
}
