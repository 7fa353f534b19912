package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.SearchListener;
import dev.handoff.model.board.BoardPlatforms;
import dev.handoff.model.board.DeviceTreeReader;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Policies;
import dev.handoff.model.scenario.Policy;
import dev.handoff.model.scenario.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The embedded platforms are the real boards: for the shared DTB of each, the board read from the
 * blob has the same display facts (SMMU hooks, the display's stream entries and flavour, whether
 * its node has resets, the firmware facts the board implies), and every policy gives the same
 * verdicts and severities under both firmware mappings. What still differs is what a DTB cannot
 * say (the framebuffer's address, a representative one for the board) and which unrelated master
 * stands for "another described client" (the board takes the first in tree order).
 */
class BoardAgreementTest {
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"sdm850-lenovo-yoga-c630.dtb, c630", "tegra186-p2771-0000.dtb, tegra186"})
    void boardAndEmbeddedPlatformAgree(String dtb, String embedded) {
        Platform real = BoardPlatforms.targets(DeviceTreeReader.read(BoardCliTest.sharedDtb(dtb))).get(0).platform();
        Platform ours = Platforms.get(embedded, "");
        assertEquals(ours.impl(), real.impl(), "arm_smmu_impl_init's hooks");
        assertEquals(ours.displayStreams(), real.displayStreams(), "the display's iommus as arm_smmu_of_xlate reads them");
        assertEquals(ours.displayFlavour(), real.displayFlavour());
        for (String k : List.of(Knobs.DISPLAY_RESET, Knobs.HYP_BYPASS_QUIRK, Knobs.FW_GLOBAL_FAULT, Knobs.FW_INTERFACE)) {
            assertEquals(Scenario.of(ours, null, Map.of()).knob(k), Scenario.of(real, null, Map.of()).knob(k), k);
        }
        List<String> differ = new ArrayList<>();
        for (Policy p : Policies.all()) {
            if ("rmr".equals(p.settings().get(Knobs.FW_DESCRIPTION))) {
                continue; // an ACPI boot: 'board' does not run it on a DTB
            }
            for (String mapping : List.of("identity", "translated")) {
                String a = verdicts(ours, p.name(), mapping);
                String b = verdicts(real, p.name(), mapping);
                if (!a.equals(b)) {
                    differ.add(p.name() + " " + mapping + ": embedded " + a + ", board " + b);
                }
            }
        }
        assertEquals(List.of(), differ);
    }

    private static String verdicts(Platform p, String policy, String mapping) {
        HandoffCheck.Outcome o = HandoffCheck.run(Scenario.of(p, policy, Map.of(Knobs.FW_MAPPING, mapping)), List.of(), true,
                ExplorationSettings.defaults().withWorkers(1), SearchListener.NONE);
        StringBuilder sb = new StringBuilder();
        for (HandoffCheck.PropertyOutcome po : o.properties()) {
            sb.append(po.name()).append('=').append(po.verdict()).append(po.severity() == null ? "" : ":" + po.severity().label()).append(' ');
        }
        return sb.toString().trim();
    }
}
