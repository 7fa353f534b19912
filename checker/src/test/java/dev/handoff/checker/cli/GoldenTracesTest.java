package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.SearchListener;
import dev.handoff.counterexamples.SequenceChart;
import dev.handoff.counterexamples.TextRenderer;
import dev.handoff.counterexamples.TraceFile;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact text, Mermaid chart and explanation of a few counterexamples, against checked-in
 * files under {@code src/test/resources/golden}. After an intended change, regenerate them with
 * {@code ./mvnw -B verify -Dgolden.update=true} and review the diff. One worker: with several,
 * which parent first reaches a state is a race, so the path to the same violating state may differ.
 */
class GoldenTracesTest {
    private static final Path DIR = Path.of("src", "test", "resources", "golden");

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @CsvSource({
        "stock, identity, no-dma-fault, no",
        "qcom-bypass, translated, right-page, no",
        "rmr-identity, identity, no-dma-fault, no",
        "qcom-bypass, identity, no-dma-fault, yes",
    })
    void traceRenderings(String policy, String mapping, String property, String clkIgnoreUnused) throws Exception {
        HandoffCheck.Outcome o = HandoffCheck.run(Scenario.of(Platforms.C630, policy, Map.of(Knobs.FW_MAPPING, mapping,
                        Knobs.KERNEL_CLK_IGNORE_UNUSED, clkIgnoreUnused)),
                List.of(property), true, ExplorationSettings.defaults().withWorkers(1), SearchListener.NONE);
        TraceFile f = o.properties().get(0).file();
        assertTrue(f != null, "a counterexample");
        String name = policy + "." + mapping + "." + property;
        golden(name + ".txt", TextRenderer.render(f.trace(), f.explanation()));
        golden(name + ".mmd", SequenceChart.mermaid(f.trace()));
        ChartConsumersTest.mermaid(SequenceChart.mermaid(f.trace()));
    }

    private static void golden(String file, String actual) throws Exception {
        Path p = DIR.resolve(file);
        if (Boolean.getBoolean("golden.update") || !Files.exists(p)) {
            Files.createDirectories(DIR);
            Files.writeString(p, actual, StandardCharsets.UTF_8);
            if (!Boolean.getBoolean("golden.update")) {
                throw new AssertionError("golden file " + p + " did not exist; written now, review and commit it");
            }
        }
        assertEquals(Files.readString(p, StandardCharsets.UTF_8), actual, "golden file " + p);
    }
}
