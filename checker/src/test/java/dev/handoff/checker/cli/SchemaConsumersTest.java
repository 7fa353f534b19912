package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.handoff.model.scenario.ScenarioSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.handoff.checker.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every JSON document handoff writes (and the scenario file it reads) handed to a JSON Schema
 * validator (networknt, draft 2020-12) with the published schemas; the schemas themselves
 * checked against the draft 2020-12 meta-schema.
 */
class SchemaConsumersTest {
    private static final String BASE = "https://handoff.invalid/schemas/";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix(BASE, "classpath:schemas/")));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static JsonSchema schema(String name) {
        return FACTORY.getSchema(SchemaLocation.of(BASE + SchemaCommand.FILES.get(name)));
    }

    static void valid(String name, JsonNode doc) {
        Set<ValidationMessage> errors = schema(name).validate(doc);
        assertTrue(errors.isEmpty(), name + ": " + errors);
    }

    static void valid(String name, String json) throws Exception {
        valid(name, RunReport.JSON.readTree(json));
    }

    @Test
    void everySchemaIsAValidDraft202012Schema() throws Exception {
        JsonSchema meta = FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        for (String name : SchemaCommand.FILES.keySet()) {
            JsonNode s = RunReport.JSON.readTree(SchemaCommand.text(name));
            Set<ValidationMessage> errors = meta.validate(s);
            assertTrue(errors.isEmpty(), name + ": " + errors);
            assertEquals("https://json-schema.org/draft/2020-12/schema", s.get("$schema").asText());
        }
    }

    @Test
    void theCommittedScenarioSchemaIsTheGeneratedOne() throws Exception {
        Path committed = Path.of("..", "schemas", "scenario.schema.json");
        assertEquals(ScenarioSchema.text(), Files.readString(committed),
                "schemas/scenario.schema.json is stale: regenerate it with ./handoff schema scenario > schemas/scenario.schema.json");
    }

    @Test
    void checkDocumentsFollowTheirSchema() throws Exception {
        for (List<String> args : List.of(
                List.of("check", "--policy", "stock", "--format", "json"),
                List.of("check", "--policy", "stock", "--set", "fw.mapping=translated", "--max-counterexamples", "2", "--format", "json"),
                List.of("check", "--policy", "fw-quiesce", "--kernel", "5.15", "--format", "json"),
                List.of("check", "--platform", "tegra186", "--policy", "tegra-late-sid", "--count-saved", "--format", "json"),
                List.of("check", "--policy", "stock", "--max-states", "20", "--format", "json"))) {
            CliTest.Run r = run(args.toArray(String[]::new));
            valid("check", r.out());
        }
        JsonNode inconclusive = RunReport.JSON.readTree(run("check", "--policy", "stock", "--property", "no-dma-fault",
                "--max-states", "20", "--format", "json").out());
        assertEquals("INCONCLUSIVE", inconclusive.get("verdict").asText());
        assertFalse(inconclusive.get("stopReason").isNull(), "an inconclusive check says why");
        // the schema is strict: the check/1 shapes it replaced are refused
        var old = (com.fasterxml.jackson.databind.node.ObjectNode) RunReport.JSON.readTree(
                run("check", "--policy", "stock", "--format", "json").out());
        ((com.fasterxml.jackson.databind.node.ObjectNode) old.get("scenario")).put("platform", "c630");
        assertFalse(schema("check").validate(old).isEmpty(), "scenario.platform as a bare name");
        var trace = (com.fasterxml.jackson.databind.node.ObjectNode) RunReport.JSON.readTree(
                run("check", "--policy", "stock", "--format", "json").out()).get("properties").get(0).get("trace");
        trace.remove("original");
        trace.put("originalSteps", 32);
        var doc = (com.fasterxml.jackson.databind.node.ObjectNode) RunReport.JSON.readTree(run("check", "--policy", "stock", "--format", "json").out());
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("properties").get(0)).set("trace", trace);
        assertFalse(schema("check").validate(doc).isEmpty(), "originalSteps in place of original");
    }

    @Test
    void sweepDocumentsRecordWhatTheyVaried() throws Exception {
        CliTest.Run r = run("sweep", "--policy", "stock", "--policy", "qcom-bypass", "--vary", "fw.mapping", "--vary", "kernel.version",
                "--format", "json");
        valid("sweep", r.out());
        JsonNode j = RunReport.JSON.readTree(r.out());
        assertEquals(List.of("fw.mapping", "kernel.version"), List.of(j.get("vary").get(0).asText(), j.get("vary").get(1).asText()));
        assertEquals(2 * 2 * 5, j.get("results").size());
        assertEquals("5.10", j.get("results").get(0).get("variant").get("kernel.version").asText());
    }

    @Test
    void boardDocumentsFollowTheirSchema() throws Exception {
        for (String dtb : List.of("sdm845-db845c.dtb", "tegra186-p2771-0000.dtb")) {
            CliTest.Run r = run("board", BoardCliTest.sharedDtb(dtb).toString(), "--policy", "stock", "--policy", "fw-quiesce",
                    "--format", "json");
            valid("board", r.out());
            JsonNode j = RunReport.JSON.readTree(r.out());
            for (JsonNode region : j.get("reservedRegions")) {
                assertEquals(region.get("dynamic").asBoolean(), region.get("base").isNull(), region.toString());
            }
            if (dtb.startsWith("sdm845")) {
                assertTrue(j.get("reservedRegions").findValues("dynamic").stream().anyMatch(JsonNode::asBoolean),
                        "db845c has regions the kernel places at boot");
            }
        }
    }

    @Test
    void traceFilesAndRunsFollowTheirSchemas(@TempDir Path dir) throws Exception {
        run("check", "--policy", "stock", "--set", "fw.mapping=translated", "--trace-out", dir.resolve("t.json").toString());
        int files = 0;
        try (var list = Files.list(dir)) {
            for (Path f : list.toList()) {
                valid("trace", Files.readString(f));
                files++;
            }
        }
        assertTrue(files >= 4, "a file per violated property: " + files);
        valid("run", run("reference", "philosophers", "--n", "3", "--planted-bug", "--format", "json").out());
        valid("run", run("reference", "grid", "--n", "4", "--format", "json").out());
    }

    /** --reproducible writes zeros where the machine shows through; the documents still follow their schemas. */
    @Test
    void reproducibleDocumentsFollowTheirSchemas() throws Exception {
        String run = run("reference", "philosophers", "--n", "4", "--planted-bug", "--format", "json", "--reproducible").out();
        assertTrue(run.contains("\"workers\" : 0"), run);
        valid("run", run);
        valid("check", run("check", "--policy", "stock", "--format", "json", "--reproducible").out());
        String sweep = run("sweep", "--policy", "stock", "--vary", "fw.mapping", "--format", "json", "--reproducible").out();
        assertTrue(sweep.contains("\"seconds\" : 0,"), sweep);
        valid("sweep", sweep);
    }

    @Test
    void scenarioFilesFollowTheirSchemaAndTheSchemaRefusesWhatTheReaderRefuses(@TempDir Path dir) throws Exception {
        String good = "platform: c630\npolicy: qcom-bypass\nknobs:\n  fw.mapping: translated\n  kernel.version: 5.10\n  fw.context-bank: 2\n";
        valid("scenario", YAML.readTree(good));
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, good);
        assertEquals(ExitCode.SAFETY_VIOLATED, run("check", "--scenario", f.toString()).code(), "the reader takes it too");
        for (String bad : List.of("knobs:\n  fw.bogus: yes\n", "knobs:\n  fw.mapping: sideways\n", "policy: nonesuch\n",
                "platform: c630\ncolour: red\n")) {
            assertFalse(schema("scenario").validate(YAML.readTree(bad)).isEmpty(), "the schema refuses:\n" + bad);
            Files.writeString(f, bad);
            assertEquals(ExitCode.BAD_INPUT, run("check", "--scenario", f.toString()).code(), "the reader refuses:\n" + bad);
        }
    }

    /**
     * The documents of a board with several clients: a scenario file with {@code masters:}, the
     * check JSON of a symmetry-reduced, cross-checked run ({@code stats.reduction} with classes and
     * the unreduced count) and its trace files ({@code platform.masters} with compatibles).
     */
    @Test
    void multiClientDocumentsFollowTheirSchemas(@TempDir Path dir) throws Exception {
        String yaml = "platform: c630\npolicy: qcom-bypass\nknobs:\n  kernel.probe-order: any\nmasters:\n"
                + "  - {name: ufs, streams: [{sid: 0x100, mask: 0xf}], compatible: [\"qcom,sdm845-ufshc\"]}\n"
                + "  - {name: a, streams: [{sid: 0x200}]}\n  - {name: b, streams: [{sid: 0x210}]}\n";
        valid("scenario", YAML.readTree(yaml));
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, yaml);
        CliTest.Run r = run("check", "--scenario", f.toString(), "--reduction", "symmetry", "--cross-check", "--format", "json",
                "--trace-out", dir.resolve("t.json").toString());
        assertEquals(ExitCode.SAFETY_VIOLATED, r.code(), r.err());
        JsonNode doc = RunReport.JSON.readTree(r.out());
        valid("check", doc);
        JsonNode red = doc.get("stats").get("reduction");
        assertEquals("symmetry", red.get("mode").asText());
        assertTrue(red.get("unreducedStates").asLong() > doc.get("stats").get("distinctStates").asLong(), red.toString());
        int traces = 0;
        try (var list = Files.list(dir)) {
            for (Path t : list.filter(p -> p.getFileName().toString().startsWith("t.")).toList()) {
                valid("trace", Files.readString(t));
                assertTrue(Files.readString(t).contains("qcom,sdm845-ufshc"), "the masters with their compatibles");
                traces++;
            }
        }
        assertTrue(traces > 0);
        String bad = "masters:\n  - {name: a}\n";
        assertFalse(schema("scenario").validate(YAML.readTree(bad)).isEmpty(), "the schema refuses a master without streams");
        Files.writeString(f, bad);
        assertEquals(ExitCode.BAD_INPUT, run("check", "--scenario", f.toString()).code(), "and so does the reader");
    }

    /** The check JSON of a partial-order-reduced run, with and without symmetry, cross-checked: {@code stats.reduction.mode} is the option's value. */
    @Test
    void reducedRunsFollowTheCheckSchema() throws Exception {
        for (String mode : java.util.List.of("por", "por+symmetry")) {
            CliTest.Run r = run("check", "--platform", "c630", "--set", "fw.tables=unreserved", "--set", "fw.mapping=translated",
                    "--reduction", mode, "--cross-check", "--format", "json");
            JsonNode doc = RunReport.JSON.readTree(r.out());
            valid("check", doc);
            JsonNode red = doc.get("stats").get("reduction");
            assertEquals(mode, red.get("mode").asText());
            assertTrue(red.get("unreducedStates").asLong() >= doc.get("stats").get("distinctStates").asLong(), red.toString());
        }
    }
}
