package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.SearchListener;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Policies;
import dev.handoff.model.scenario.Policy;
import dev.handoff.model.scenario.Scenario;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Pins the model's behaviour: for every embedded platform × policy × firmware mapping, with
 * constraint pruning and with naive enumeration (a 3-page framebuffer, so that naive runs stay
 * small), the distinct states, the transitions and every property's verdict (with the worst
 * severity of a violated fetch property), against
 * {@code src/test/resources/golden/verdicts.txt}. A change to a mechanism shows here, cell by
 * cell; after an intended change regenerate with {@code ./mvnw -B verify -Dgolden.update=true}
 * and explain every moved line in the commit. One worker, so that counts are those of one run
 * order (they do not depend on it, but the file is diffed as text).
 */
class GoldenVerdictsTest {
    private static final Path FILE = Path.of("src", "test", "resources", "golden", "verdicts.txt");

    @Test
    void everyCellMatchesTheGoldenFile() throws Exception {
        List<String> actual = new ArrayList<>();
        actual.add("# platform policy fw.mapping search: states transitions verdicts (regenerate: -Dgolden.update=true)");
        for (Platform p : Platforms.all()) {
            for (Policy policy : Policies.all()) {
                for (String mapping : List.of("identity", "translated")) {
                    actual.add(line(p, policy.name(), mapping, true));
                    actual.add(line(p.withFramebufferBytes(3 * Platform.PAGE), policy.name(), mapping, false));
                }
            }
        }
        String text = String.join("\n", actual) + "\n";
        if (Boolean.getBoolean("golden.update") || !Files.exists(FILE)) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, text, StandardCharsets.UTF_8);
            if (!Boolean.getBoolean("golden.update")) {
                fail("golden file " + FILE + " did not exist; written now, review and commit it");
            }
        }
        List<String> expected = Files.readAllLines(FILE, StandardCharsets.UTF_8);
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String e = i < expected.size() ? expected.get(i) : "(none)";
            String a = i < actual.size() ? actual.get(i) : "(none)";
            if (!e.equals(a)) {
                moved.add("- " + e + "\n+ " + a);
            }
        }
        if (!moved.isEmpty()) {
            fail(moved.size() + " cells moved against " + FILE + " (regenerate with -Dgolden.update=true once explained):\n"
                    + String.join("\n", moved.subList(0, Math.min(40, moved.size()))));
        }
    }

    private static String line(Platform p, String policy, String mapping, boolean pruning) {
        HandoffCheck.Outcome o = HandoffCheck.run(Scenario.of(p, policy, Map.of(Knobs.FW_MAPPING, mapping)), List.of(),
                pruning, ExplorationSettings.defaults().withWorkers(1), SearchListener.NONE);
        StringBuilder sb = new StringBuilder();
        sb.append(p.name()).append(' ').append(policy).append(' ').append(mapping).append(' ')
                .append(pruning ? "pruned" : "naive").append(": ")
                .append(o.stats().distinctStates()).append(' ').append(o.stats().transitions());
        for (HandoffCheck.PropertyOutcome po : o.properties()) {
            sb.append(' ').append(po.name()).append('=').append(po.verdict());
            if (po.severity() != null) {
                sb.append(':').append(po.severity().label());
            }
        }
        return sb.toString();
    }
}
