package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.model.scenario.Master;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.StreamEntry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A cell's key changes with everything the model reads and with nothing else: a master's node
 * name or an unused compatible leaves it; a compatible that makes the master a display
 * controller or a Qualcomm client, a stream, a knob, the kernel, the policy or the build changes it.
 */
class CellKeysTest {
    private static String key(Platform p, String policy, Map<String, String> knobs, String build) {
        return CellKeys.key(CellKeys.canonical(build, Scenario.of(p, policy, knobs), List.of(), ExplorationSettings.defaults()));
    }

    private static Platform with(Platform p, Master extra) {
        List<Master> ms = new java.util.ArrayList<>(p.masters());
        ms.add(extra);
        return p.withMasters(ms);
    }

    @Test
    void theKeyFollowsWhatTheModelReads() {
        Platform c630 = Platforms.get("c630", "");
        List<StreamEntry> ufs = List.of(new StreamEntry(0x100, 0xf));
        String base = key(with(c630, new Master("/soc/ufs@1d84000", ufs, List.of("qcom,ufshc"))), "fw-quiesce", Map.of(), "b1");
        assertEquals(base, key(with(c630, new Master("/soc@0/ufshc@1d84000", ufs, List.of("qcom,sdm845-ufshc", "qcom,ufshc"))),
                "fw-quiesce", Map.of(), "b1"), "another node name, another unused compatible: the same check");
        assertNotEquals(base, key(with(c630, new Master("/soc/ufs@1d84000", ufs, List.of("arm,mali-d71"))), "fw-quiesce",
                Map.of(), "b1"), "a display controller is handed off alike");
        assertNotEquals(base, key(with(c630, new Master("/soc/ufs@1d84000", ufs, List.of("qcom,adreno"))), "fw-quiesce",
                Map.of(), "b1"), "a Qualcomm client gets an identity domain");
        assertNotEquals(base, key(with(c630, new Master("/soc/ufs@1d84000", List.of(new StreamEntry(0x100, 0x7)),
                List.of("qcom,ufshc"))), "fw-quiesce", Map.of(), "b1"), "a stream mask");
        Platform p = with(c630, new Master("/soc/ufs@1d84000", ufs, List.of("qcom,ufshc")));
        assertNotEquals(base, key(p, "fw-quiesce", Map.of("fw.mapping", "translated"), "b1"));
        assertNotEquals(base, key(p, "fw-quiesce", Map.of("kernel.version", "6.1"), "b1"));
        assertNotEquals(base, key(p, "stock", Map.of(), "b1"));
        assertNotEquals(base, key(p, "fw-quiesce", Map.of(), "b2"), "another build");
        assertEquals(base, key(p, "fw-quiesce", Map.of("kernel.version", "6.12"), "b1"), "the default kernel named");
    }
}
