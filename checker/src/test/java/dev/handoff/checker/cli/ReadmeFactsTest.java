package dev.handoff.checker.cli;

import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Policies;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Counts the README states in prose, held against the registries they count. */
class ReadmeFactsTest {
    private static final Path README = Path.of("..").toAbsolutePath().normalize().resolve("README.md");

    @Test
    void theKnobAndPolicyCountsAreTheRegistries() throws Exception {
        String text = Files.readString(README);
        Matcher knobs = Pattern.compile("`handoff list knobs` \\((\\d+) knobs\\)").matcher(text);
        assertTrue(knobs.find(), "the README states the knob count");
        assertEquals(Knobs.all().size(), Integer.parseInt(knobs.group(1)), "README knob count");
        Matcher policies = Pattern.compile("`handoff list policies` \\((\\d+) presets").matcher(text);
        assertTrue(policies.find(), "the README states the policy count");
        assertEquals(Policies.all().size(), Integer.parseInt(policies.group(1)), "README policy count");
    }
}
