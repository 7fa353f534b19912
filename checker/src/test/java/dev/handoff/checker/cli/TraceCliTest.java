package dev.handoff.checker.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

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
        Files.writeString(f, text.replace("\"report\" : \"global\"", "\"report\" : \"loud\""));
        CliTest.Run report = run("show", f.toString());
        assertEquals(ExitCode.BAD_INPUT, report.code());
        assertTrue(report.err().contains("witness.report") && report.err().contains("global, context, event, none"), report.err());
        assertEquals(1, report.err().lines().count());
        Files.writeString(f, text.replaceAll(",\\s*\"report\" : \"global\",\\s*\"bank\" : null,\\s*\"logged\" : false", ""));
        assertTrue(!Files.readString(f).contains("\"report\""), "a file written before the witness said how it is recorded");
        assertEquals(ExitCode.SAFETY_VIOLATED, run("replay", f.toString()).code(), "still replays");
    }

    @Test
    void ciReports() {
        CliTest.Run md = run("check", "--policy", "stock", "--format", "markdown");
        assertTrue(md.out().startsWith("## handoff\n\n| scenario | property | verdict |"), md.out());
        assertTrue(md.out().contains("```mermaid\nsequenceDiagram"), md.out());
        assertTrue(md.out().contains("<details><summary>trace"), md.out());
        CliTest.Run junit = run("sweep", "--policy", "stock", "--policy", "fw-quiesce", "--format", "junit");
        assertTrue(junit.out().startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"handoff\" tests=\"24\""), junit.out());
        assertTrue(junit.out().contains("<testsuite name=\"c630 stock fw.mapping=identity\" tests=\"6\""), junit.out());
        assertTrue(junit.out().contains("<testcase classname=\"c630.stock\" name=\"no-dma-fault [fw.mapping=identity]\" time=\""), junit.out());
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
        CliTest.Run refused = run("graph", "--policy", "stock", "--limit", "10");
        assertEquals(ExitCode.INCONCLUSIVE, refused.code());
        assertTrue(refused.err().contains("more than 10 states"), refused.err());
    }

    /**
     * Both exports, read back by JGraphT's own importers (the GraphML one validates against the
     * GraphML schema), hold every explored state and every transition: an edge per transition
     * except the arrival in the initial state, labelled with its action; vertices carry the state.
     */
    @Test
    void stateGraphExportsHoldEveryTransition(@TempDir Path dir) throws Exception {
        for (String policy : List.of("stock", "qcom-bypass")) {
            var stats = RunReport.JSON.readTree(run("check", "--policy", policy, "--format", "json").out()).get("stats");
            int states = stats.get("distinctStates").asInt();
            int initialStates = 1;
            int edges = stats.get("transitions").asInt() - initialStates;
            for (String format : List.of("dot", "graphml")) {
                Path file = dir.resolve(policy + "." + format);
                CliTest.Run r = run("graph", "--policy", policy, "--format", format, "-o", file.toString());
                assertEquals(0, r.code(), r.err());
                org.jgrapht.Graph<String, org.jgrapht.graph.DefaultEdge> g = new org.jgrapht.graph.DirectedPseudograph<>(
                        org.jgrapht.util.SupplierUtil.createStringSupplier(), org.jgrapht.util.SupplierUtil.DEFAULT_EDGE_SUPPLIER, false);
                Map<org.jgrapht.graph.DefaultEdge, String> edgeLabels = new HashMap<>();
                Map<String, String> vertexLabels = new HashMap<>();
                var reader = java.nio.file.Files.newBufferedReader(file);
                if (format.equals("dot")) {
                    var in = new org.jgrapht.nio.dot.DOTImporter<String, org.jgrapht.graph.DefaultEdge>();
                    in.addEdgeAttributeConsumer((p, a) -> { if (a != null && p.getSecond().equals("label")) edgeLabels.put(p.getFirst(), a.getValue()); });
                    in.addVertexAttributeConsumer((p, a) -> { if (a != null && p.getSecond().equals("label")) vertexLabels.put(p.getFirst(), a.getValue()); });
                    in.importGraph(g, reader);
                } else {
                    var in = new org.jgrapht.nio.graphml.GraphMLImporter<String, org.jgrapht.graph.DefaultEdge>();
                    in.setSchemaValidation(true);
                    in.addEdgeAttributeConsumer((p, a) -> { if (a != null && p.getSecond().equals("action")) edgeLabels.put(p.getFirst(), a.getValue()); });
                    in.addVertexAttributeConsumer((p, a) -> { if (a != null && p.getSecond().equals("label")) vertexLabels.put(p.getFirst(), a.getValue()); });
                    in.importGraph(g, reader);
                }
                reader.close();
                assertEquals(states, g.vertexSet().size(), policy + " " + format + ": states");
                assertEquals(edges, g.edgeSet().size(), policy + " " + format + ": transitions minus the initial state");
                assertEquals(edges, edgeLabels.size(), "every edge is labelled");
                String actor = "(firmware|arm-smmu|iommu-core|display-driver|display-engine|fw-framebuffer-driver|kernel-init|page-allocator|memory-controller)";
                String notAnAction = edgeLabels.values().stream()
                        .filter(l -> !l.matches((format.equals("dot") ? actor + ": " : "") + "[a-z0-9_.\\[\\]() -]+")).findFirst().orElse(null);
                assertEquals(null, notAnAction, "edges carry the action name");
                assertTrue(edgeLabels.values().stream().anyMatch(l -> l.contains("reset.scr0")), "the reset's steps are edges");
                assertEquals(states, vertexLabels.size(), "every state is labelled");
                assertTrue(vertexLabels.values().stream().allMatch(l -> l.contains("scanout ")), vertexLabels.values().toString());
            }
        }
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
