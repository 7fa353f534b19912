package dev.handoff.model.handoff;

import dev.handoff.model.scenario.Master;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.StreamEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients are interchangeable only where the kernel treats them alike: the same stream shape and
 * the same meaning of their compatibles. A Qualcomm client (an identity default domain from the
 * qcom impl's def_domain_type) is never swapped with a master the table does not name.
 */
class ClientSymmetryTest {
    /** Whether the two masters added to the C630 (clients n+1 and n+2) share a symmetry class under kernel.probe-order=any. */
    private static boolean alike(Master a, Master b) {
        Platform c630 = Platforms.get("c630", "");
        List<Master> ms = new ArrayList<>(c630.masters());
        int first = ms.size() + 1;
        ms.add(a);
        ms.add(b);
        HandoffConfig c = HandoffConfig.of(Scenario.of(c630.withMasters(ms), null, Map.of("kernel.probe-order", "any")));
        ClientSymmetry s = ClientSymmetry.of(c);
        return s != null && s.classes().stream().anyMatch(k -> Arrays.stream(k).anyMatch(i -> i == first)
                && Arrays.stream(k).anyMatch(i -> i == first + 1));
    }

    @Test
    void aQualcommClientIsNotSwappedWithAnotherMaster() {
        Master plain = new Master("/soc/a@1", List.of(new StreamEntry(0x1001, 0)), List.of("vendor,a"));
        assertTrue(alike(plain, new Master("/soc/b@2", List.of(new StreamEntry(0x1002, 0)), List.of("vendor,b"))),
                "two masters of one shape that the kernel treats alike");
        assertFalse(alike(plain, new Master("/soc/gpu@2", List.of(new StreamEntry(0x1002, 0)), List.of("qcom,adreno"))),
                "the Adreno GPU gets an identity domain from the qcom impl: not interchangeable");
    }
}
