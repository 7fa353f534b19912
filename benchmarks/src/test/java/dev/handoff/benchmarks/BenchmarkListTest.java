package dev.handoff.benchmarks;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JMH annotation processor ran over this module, and the runtime jar carries no JMH. */
class BenchmarkListTest {
    @Test
    void benchmarksAreGeneratedHereAndJmhStaysOutOfTheCommandLine() throws Exception {
        try (var in = BenchmarkListTest.class.getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertNotNull(in, "the JMH annotation processor ran");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(list.contains("FetchBenchmark") && list.contains("FingerprintSetBenchmark"), list);
        }
        // the checker module (whose jar is handoff.jar) must not see JMH at all
        var checkerClasses = dev.handoff.checker.cli.Main.class.getProtectionDomain().getCodeSource().getLocation();
        assertTrue(!new java.io.File(checkerClasses.toURI()).toPath().resolve("META-INF/BenchmarkList").toFile().exists(),
                "no benchmark list in the checker's classes");
    }
}
