package dev.handoff.checker.cli;

import dev.handoff.engine.formalism.Property;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.scenario.Knob;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Policies;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.ScenarioException;
import dev.handoff.properties.HandoffProperties;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every knob changes something: for each value of each knob there is an embedded platform and a
 * setting of the other knobs under which it changes the state graph (the reachable states, the
 * transitions between them and every property's value in every state) against the knob's default.
 * A knob that no mechanism reads fails here.
 *
 * <p>The search tries every platform × policy, then every platform × policy with one more knob
 * value (the zero-length fix needs a zero-length entry), then, with no policy, every pair of
 * firmware and hardware values (the clamp of 128 groups needs entries above it and bare metal).
 * {@code kernel.version} sets other knobs; {@link #everyKernelVersionDiffersInSomeMechanism} checks it.
 * A value no embedded platform shows is searched again on the platforms with a second display
 * controller among their masters ({@code fw.programmed} and {@code fw.describes} are about one).
 */
class KnobEffectTest {
    private final Map<Map<String, String>, Long> digests = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void everyKnobValueChangesTheGraphSomewhere() {
        List<String> unwitnessed = new ArrayList<>();
        for (Knob k : Knobs.all()) {
            if (k.name().equals(Knobs.KERNEL_VERSION)) {
                continue;
            }
            for (String v : k.values()) {
                if (!v.equals(k.defaultValue()) && !witnessed(k, v)) {
                    unwitnessed.add(k.name() + "=" + v);
                }
            }
        }
        assertTrue(unwitnessed.isEmpty(), "knob values that change nothing on any embedded platform: " + unwitnessed);
    }

    /**
     * Each kernel version differs from every other in some mechanism the model encodes: a knob it
     * sets or the qcom client list ({@code qcom_smmu_client_of_match}).
     */
    @Test
    void everyKernelVersionDiffersInSomeMechanism() {
        List<String> versions = dev.handoff.model.scenario.KernelVersions.VERSIONS;
        List<String> same = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            for (int j = i + 1; j < versions.size(); j++) {
                String a = versions.get(i);
                String b = versions.get(j);
                boolean differ = !dev.handoff.model.scenario.KernelVersions.settings(a)
                        .equals(dev.handoff.model.scenario.KernelVersions.settings(b))
                        || dev.handoff.model.scenario.KernelVersions.mechanisms().stream().anyMatch(m -> !m.value(a).equals(m.value(b))
                                && m.what().startsWith("qcom_smmu_client_of_match"));
                if (!differ) {
                    same.add(a + "=" + b);
                }
            }
        }
        assertTrue(same.isEmpty(), "versions that no modelled mechanism tells apart: " + same);
    }

    /** The embedded platforms, each with a second display controller (stream 0x900/0x8) after its masters. */
    private static final List<Platform> SECOND_DISPLAY = Platforms.all().stream().map(p -> {
        List<dev.handoff.model.scenario.Master> m = new ArrayList<>(p.masters());
        m.add(new dev.handoff.model.scenario.Master("/second-display", List.of(new dev.handoff.model.scenario.StreamEntry(0x900, 0x8)),
                List.of("arm,hdlcd")));
        return p.withMasters(m);
    }).toList();

    private boolean witnessed(Knob k, String v) {
        return witnessed(k, v, Platforms.all()) || witnessed(k, v, SECOND_DISPLAY);
    }

    private boolean witnessed(Knob k, String v, List<Platform> platforms) {
        List<String> policies = new ArrayList<>();
        policies.add(null);
        Policies.all().forEach(p -> policies.add(p.name()));
        List<Map<String, String>> singles = new ArrayList<>();
        singles.add(Map.of());
        singles.addAll(values(k, null));
        for (String policy : policies) {
            if (differs(k, v, policy, Map.of(), platforms)) {
                return true;
            }
        }
        if (singles.parallelStream().anyMatch(extra -> policies.stream().anyMatch(policy -> differs(k, v, policy, extra, platforms)))) {
            return true;
        }
        List<Map<String, String>> boardValues = values(k, Knob.Kind.KERNEL);
        List<Map<String, String>> pairs = new ArrayList<>();
        for (int i = 0; i < boardValues.size(); i++) {
            for (int j = i + 1; j < boardValues.size(); j++) {
                if (!boardValues.get(i).keySet().equals(boardValues.get(j).keySet())) {
                    Map<String, String> extra = new LinkedHashMap<>(boardValues.get(i));
                    extra.putAll(boardValues.get(j));
                    pairs.add(extra);
                }
            }
        }
        return pairs.parallelStream().anyMatch(extra -> differs(k, v, null, extra, platforms));
    }

    private boolean differs(Knob k, String v, String policy, Map<String, String> extra, List<Platform> platforms) {
        for (Platform p : platforms) {
            Map<String, String> with = new LinkedHashMap<>(extra);
            with.put(k.name(), v);
            Map<String, String> without = new LinkedHashMap<>(extra);
            without.put(k.name(), k.defaultValue());
            Long a = digest(p, policy, with);
            Long b = digest(p, policy, without);
            if (a != null && b != null && !a.equals(b)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Each value of every other knob (but kernel.version and knobs of kind {@code except}), as a
     * map; defaults too, since a platform may set another value.
     */
    private static List<Map<String, String>> values(Knob k, Knob.Kind except) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Knob other : Knobs.all()) {
            if (other.name().equals(k.name()) || other.name().equals(Knobs.KERNEL_VERSION) || other.kind() == except) {
                continue;
            }
            for (String v : other.values()) {
                out.add(Map.of(other.name(), v));
            }
        }
        return out;
    }

    /** An order-independent digest of the state graph and every property's value, or null for an invalid scenario. */
    private Long digest(Platform p, String policy, Map<String, String> overrides) {
        Scenario s;
        try {
            s = Scenario.of(p, policy, overrides);
        } catch (ScenarioException e) {
            return null;
        }
        Map<String, String> key = new LinkedHashMap<>(s.knobs());
        key.put("platform", p.name() + p.masters());
        Long known = digests.get(key);
        if (known != null) {
            return known;
        }
        HandoffModel m = new HandoffModel(s, true);
        List<Property<HandoffState>> props = new ArrayList<>(HandoffProperties.invariants(m, List.of()));
        props.addAll(HandoffProperties.severityInvariants());
        props.add(HandoffProperties.finishesWithModeset(m));
        long[] buf = new long[m.codec().words()];
        Map<HandoffState, Long> code = new HashMap<>();
        for (HandoffState i : m.initialStates()) {
            code.put(i, encode(m, i, buf));
        }
        ArrayDeque<HandoffState> queue = new ArrayDeque<>(code.keySet());
        long sum = 0;
        while (!queue.isEmpty()) {
            HandoffState st = queue.poll();
            long self = code.get(st);
            long h = self;
            for (Property<HandoffState> prop : props) {
                h = h * 31 + (prop.predicate().test(st) ? 1 : 2);
            }
            sum += mix(h);
            for (int a = 0; a < m.actions().size(); a++) {
                HandoffState n = m.next(st, a);
                if (n != null) {
                    Long nc = code.get(n);
                    if (nc == null) {
                        nc = encode(m, n, buf);
                        code.put(n, nc);
                        queue.add(n);
                    }
                    sum += mix(self * 1_000_003L + m.actions().get(a).name().hashCode() * 31L + nc);
                }
            }
        }
        digests.put(key, sum);
        return sum;
    }

    private static long encode(HandoffModel m, HandoffState s, long[] buf) {
        Arrays.fill(buf, 0);
        m.codec().encode(s, buf, 0);
        return Arrays.hashCode(buf);
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
