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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI recipes: the GitHub Actions workflow and the GitLab CI file parse and run the scripts
 * they name the way the README says; {@code .ci/boards} itself, run as a CI job runs it, writes
 * reports that a JUnit schema validator, Surefire's parser and a markdown parser accept, and
 * passes the board gate's exit code through.
 */
class CiRecipeTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    record Result(int code, String err) {
    }

    /** Runs .ci/boards with this JVM and class path standing in for ./handoff. */
    static Result boards(Path out, String extraArgs, String... inputs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of("bash", REPO.resolve(".ci/boards").toString(), out.toString()));
        cmd.addAll(List.of(inputs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().put("HANDOFF", java + " -cp " + System.getProperty("java.class.path") + " dev.handoff.checker.cli.Main");
        pb.environment().put("HANDOFF_BOARD_ARGS", extraArgs);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "finishes");
        return new Result(p.exitValue(), err);
    }

    @Test
    void theWorkflowsRunTheRepositorysScripts() throws Exception {
        JsonNode gh = YAML.readTree(REPO.resolve(".github/workflows/handoff.yml").toFile());
        String ghText = gh.toString();
        assertTrue(ghText.contains(".ci/run") && ghText.contains(".ci/boards ../reports ../shared/dtb") && ghText.contains(".ci/fetch-dtbs"),
                ghText);
        assertTrue(ghText.contains("reports/junit/*.xml") && ghText.contains("actions/upload-artifact"), ghText);
        assertTrue(ghText.contains("GITHUB_STEP_SUMMARY"), "the markdown goes to the step summary");
        JsonNode gl = YAML.readTree(REPO.resolve(".gitlab-ci.yml").toFile());
        assertEquals("reports/junit/*.xml", gl.get("verify").get("artifacts").get("reports").get("junit").asText());
        assertTrue(gl.get("verify").get("script").toString().contains(".ci/boards reports ../shared/dtb"), gl.toString());
        for (String script : List.of(".ci/run", ".ci/boards", ".ci/fetch-dtbs")) {
            assertTrue(Files.isExecutable(REPO.resolve(script)), script + " is executable");
        }
        assertTrue(Files.readString(REPO.resolve(".ci/run")).contains("./mvnw -B verify"), ".ci/run runs the README's test command");
    }

    @Test
    void boardsScriptWritesReportsConsumersAccept(@TempDir Path out) throws Exception {
        Path c630 = BoardCliTest.sharedDtb("sdm850-lenovo-yoga-c630.dtb");
        Result r = boards(out, "--policy stock --policy fw-quiesce --vary fw.mapping", c630.toString());
        assertEquals(0, r.code(), r.err());
        String junit = Files.readString(out.resolve("junit/sdm850-lenovo-yoga-c630.xml"));
        ReportConsumersTest.validJunit(junit);
        assertTrue(ReportConsumersTest.surefire(out, junit).stream().mapToInt(s -> s.getTestCases().size()).sum() >= 24);
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.startsWith("## handoff board: ") && md.contains("| policy |"), md);
        try (var traces = Files.list(out.resolve("traces/sdm850-lenovo-yoga-c630"))) {
            assertTrue(traces.anyMatch(p -> p.getFileName().toString().endsWith(".isolation.json")), "traces for replay");
        }
    }

    @Test
    void boardsScriptPassesTheGateThroughAndChecksEveryBoard(@TempDir Path out) throws Exception {
        Path c630 = BoardCliTest.sharedDtb("sdm850-lenovo-yoga-c630.dtb");
        Path bad = out.resolve("broken.dtb");
        Files.write(bad, new byte[] {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed, 0, 0, 0, 1});
        Result r = boards(out.resolve("r"), "--policy qcom-bypass --vary fw.mapping --require-safe qcom-bypass",
                c630.toString(), bad.toString());
        assertEquals(ExitCode.SAFETY_VIOLATED, r.code(), "the first failing board's code: " + r.err());
        assertTrue(r.err().contains("sdm850-lenovo-yoga-c630: exit 10") && r.err().contains("broken: exit 65"), r.err());
        assertTrue(Files.exists(out.resolve("r/junit/sdm850-lenovo-yoga-c630.xml")), "a failed gate still reports");
        Result missing = boards(out.resolve("m"), "", out.resolve("nope.dtb").toString());
        assertEquals(ExitCode.BAD_INPUT, missing.code());
    }
}
