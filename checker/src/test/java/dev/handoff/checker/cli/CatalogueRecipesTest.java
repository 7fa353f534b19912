package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.handoff.checker.cli.BoardCliTest.sharedDtb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sharded catalogue's CI recipes, each run the way its CI system runs it: the GitHub Actions
 * matrix (.github/workflows/catalogue.yml), GitLab's parallel: (.ci/recipes/gitlab-catalogue.yml)
 * and a Kubernetes Indexed Job (.ci/recipes/k8s-catalogue-job.yaml). Each recipe's shard count is
 * within its system's limit and matches the N its command gives; every index its system hands out
 * is run (with the index in the variable that system sets), and the merge step's JSON equals one
 * unsharded run's byte for byte, its JUnit validates.
 */
class CatalogueRecipesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    /** Small and fast; the recipes' own arguments come first. */
    private static final String NARROW = " --policy fw-quiesce --policy qcom-bypass --vary fw.mapping";

    /** A CI job's working copy: the repository's scripts, the shared DTBs as dtb/. */
    static Path workspace(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.createSymbolicLink(dir.resolve(".ci"), REPO.resolve(".ci"));
        Files.createSymbolicLink(dir.resolve("dtb"), sharedDtb("sdm850-lenovo-yoga-c630.dtb").getParent());
        return dir;
    }

    /** Runs a recipe's shell line as the CI system would (bash -c, the job's variables), with this JVM as handoff. */
    static int sh(Path cwd, String line, Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).directory(cwd.toFile());
        pb.environment().put("HANDOFF", java + " -cp " + System.getProperty("java.class.path") + " dev.handoff.checker.cli.Main");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(cwd.resolve("job.log").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "finishes: " + line);
        return p.exitValue();
    }

    /** The reference: one unsharded run, in-process, with the same arguments. */
    static String unsharded(String recipeArgs) {
        List<String> a = new ArrayList<>(List.of("catalogue", sharedDtb("sdm850-lenovo-yoga-c630.dtb").getParent().toString()));
        for (String x : (recipeArgs + NARROW).trim().split("\\s+")) {
            if (!x.equals("--progress")) {
                a.add(x);
            }
        }
        a.addAll(List.of("--format", "json"));
        CliTest.Run r = CliTest.run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    /** The merged report equals the unsharded one; the JUnit validates; the HTML and markdown are there. */
    static void sameAsUnsharded(Path reports, String recipeArgs, Path cwd) throws Exception {
        assertTrue(Files.exists(reports.resolve("catalogue.json")), "merged: " + Files.readString(cwd.resolve("job.log")));
        // the recipe's --cache is relative to the job's directory; the reference needs none
        String expected = unsharded(recipeArgs.replaceAll("--cache \\S+", ""));
        String merged = Files.readString(reports.resolve("catalogue.json"));
        // file names in the report are the inputs as given: dtb/ in the job, the absolute path here
        assertEquals(expected.replace(sharedDtb("sdm850-lenovo-yoga-c630.dtb").getParent().toString(), "dtb"), merged);
        ReportConsumersTest.validJunit(Files.readString(reports.resolve("catalogue.xml")));
        assertTrue(Files.readString(reports.resolve("catalogue.html")).contains("<table class=\"heat\""));
        assertTrue(Files.readString(reports.resolve("catalogue.md")).startsWith("# handoff catalogue"));
    }

    @Test
    void githubMatrix(@TempDir Path dir) throws Exception {
        JsonNode wf = YAML.readTree(REPO.resolve(".github/workflows/catalogue.yml").toFile());
        int n = wf.get("env").get("SHARDS").asInt();
        JsonNode matrix = wf.get("jobs").get("shard").get("strategy").get("matrix").get("shard");
        assertTrue(n >= 1 && n <= 256, "GitHub runs at most 256 jobs per matrix");
        assertEquals(n, matrix.size(), "the matrix has SHARDS entries");
        String args = wf.get("env").get("HANDOFF_CATALOGUE_ARGS").asText();
        String shardLine = null;
        for (JsonNode step : wf.get("jobs").get("shard").get("steps")) {
            if (step.has("run")) {
                shardLine = step.get("run").asText();
            }
        }
        assertEquals(".ci/catalogue-shard parts dtb $SHARDS ${{ matrix.shard }}", shardLine);
        String mergeLine = null;
        for (JsonNode step : wf.get("jobs").get("merge").get("steps")) {
            if (step.has("run")) {
                mergeLine = step.get("run").asText();
            }
        }
        assertEquals("shard", wf.get("jobs").get("merge").get("needs").asText());
        Path ws = workspace(dir.resolve("ws"));
        for (int k = 0; k < matrix.size(); k++) {
            assertEquals(k + 1, matrix.get(k).asInt(), "the matrix lists 1..N");
            String line = shardLine.replace("${{ matrix.shard }}", matrix.get(k).asText());
            assertEquals(0, sh(ws, line, Map.of("SHARDS", String.valueOf(n), "HANDOFF_CATALOGUE_ARGS", args + NARROW)),
                    Files.readString(ws.resolve("job.log")));
        }
        Path summary = dir.resolve("summary.md");
        assertEquals(0, sh(ws, mergeLine, Map.of("GITHUB_STEP_SUMMARY", summary.toString())), Files.readString(ws.resolve("job.log")));
        sameAsUnsharded(ws.resolve("reports"), args, ws);
        assertTrue(Files.readString(summary).startsWith("# handoff catalogue"), "the markdown went to the step summary");
    }

    @Test
    void gitlabParallel(@TempDir Path dir) throws Exception {
        JsonNode gl = YAML.readTree(REPO.resolve(".ci/recipes/gitlab-catalogue.yml").toFile());
        JsonNode shard = gl.get("catalogue-shard");
        int n = shard.get("parallel").asInt();
        assertTrue(n >= 2 && n <= 200, "GitLab's parallel: is 2 to 200");
        String args = gl.get("variables").get("HANDOFF_CATALOGUE_ARGS").asText();
        Path ws = workspace(dir.resolve("ws"));
        for (int i = 1; i <= n; i++) {
            for (JsonNode line : shard.get("script")) {
                assertEquals(0, sh(ws, line.asText(), Map.of("CI_NODE_INDEX", String.valueOf(i), "CI_NODE_TOTAL", String.valueOf(n),
                        "HANDOFF_CATALOGUE_ARGS", args + NARROW)), Files.readString(ws.resolve("job.log")));
            }
        }
        JsonNode merge = gl.get("catalogue-merge");
        assertEquals("catalogue-shard", merge.get("needs").get(0).asText());
        assertEquals("reports/catalogue.xml", merge.get("artifacts").get("reports").get("junit").asText());
        for (JsonNode line : merge.get("script")) {
            assertEquals(0, sh(ws, line.asText(), Map.of()), Files.readString(ws.resolve("job.log")));
        }
        sameAsUnsharded(ws.resolve("reports"), args, ws);
    }

    @Test
    void kubernetesIndexedJob(@TempDir Path dir) throws Exception {
        // the shards' Job and the merge Job are separate files: applied together, the merge would start before the parts exist
        List<JsonNode> docs = YAML.readValues(YAML.getFactory().createParser(REPO.resolve(".ci/recipes/k8s-catalogue-job.yaml").toFile()),
                JsonNode.class).readAll();
        assertEquals(1, docs.size(), "one Job per file");
        JsonNode mergeJob = YAML.readTree(REPO.resolve(".ci/recipes/k8s-catalogue-merge-job.yaml").toFile());
        assertEquals("Job", mergeJob.get("kind").asText());
        JsonNode job = docs.get(0).get("spec");
        assertEquals("Indexed", job.get("completionMode").asText());
        int n = job.get("completions").asInt();
        JsonNode c = job.get("template").get("spec").get("containers").get(0);
        List<String> command = new ArrayList<>();
        c.get("command").forEach(x -> command.add(x.asText()));
        assertEquals(List.of("bash", "-c"), command.subList(0, 2));
        assertTrue(command.get(2).contains(" " + n + " $((JOB_COMPLETION_INDEX + 1))"), "N is completions, i is the index + 1: " + command);
        String args = c.get("env").get(0).get("value").asText();
        // the pods' shared volume, /work, is a directory here; the repository is /work/handoff
        Path work = dir.resolve("work");
        Path ws = workspace(work.resolve("handoff"));
        Files.createSymbolicLink(work.resolve("dtb"), sharedDtb("sdm850-lenovo-yoga-c630.dtb").getParent());
        String mine = args.replace("/work/", work + "/") + NARROW;
        for (int k = 0; k < n; k++) {
            assertEquals(0, sh(ws, command.get(2).replace("/work/", work + "/"), Map.of("JOB_COMPLETION_INDEX", String.valueOf(k),
                    "HANDOFF_CATALOGUE_ARGS", mine)), Files.readString(ws.resolve("job.log")));
        }
        assertTrue(Files.isDirectory(work.resolve("cache")), "the pods share the cells' cache");
        JsonNode merge = mergeJob.get("spec").get("template").get("spec").get("containers").get(0);
        assertEquals(0, sh(ws, merge.get("command").get(2).asText().replace("/work/", work + "/"), Map.of()),
                Files.readString(ws.resolve("job.log")));
        String expected = unsharded(args.replaceAll("--cache \\S+", ""))
                .replace(sharedDtb("sdm850-lenovo-yoga-c630.dtb").getParent().toString(), work + "/dtb");
        assertEquals(expected, Files.readString(work.resolve("reports/catalogue.json")));
        ReportConsumersTest.validJunit(Files.readString(work.resolve("reports/catalogue.xml")));
    }

    /** Beyond a job limit each job runs several shards: two jobs of two shards each make the same report. */
    @Test
    void aJobRunsSeveralShards(@TempDir Path dir) throws Exception {
        Path ws = workspace(dir.resolve("ws"));
        for (String job : List.of("1 3", "2 4")) {
            assertEquals(0, sh(ws, ".ci/catalogue-shard parts dtb 4 " + job, Map.of("HANDOFF_CATALOGUE_ARGS", NARROW)),
                    Files.readString(ws.resolve("job.log")));
        }
        try (var parts = Files.list(ws.resolve("parts"))) {
            assertEquals(4, parts.count());
        }
        assertEquals(0, sh(ws, ".ci/catalogue-merge reports parts", Map.of()), Files.readString(ws.resolve("job.log")));
        sameAsUnsharded(ws.resolve("reports"), "", ws);
        // a shard missing: the merge fails and writes no report
        Files.delete(ws.resolve("parts/part-3-of-4.json"));
        assertEquals(65, sh(ws, ".ci/catalogue-merge reports2 parts", Map.of()));
        assertTrue(Files.readString(ws.resolve("job.log")).contains("missing shard(s) 3 of 4"), Files.readString(ws.resolve("job.log")));
        assertTrue(!Files.exists(ws.resolve("reports2/catalogue.json")), "nothing half-written");
    }
}
