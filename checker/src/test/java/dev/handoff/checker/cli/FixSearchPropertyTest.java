package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.SearchListener;
import dev.handoff.engine.Verdict;
import dev.handoff.model.fix.FixSpace;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.properties.HandoffProperties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fix search against brute force, on the C630 with its kernel pinned (5.15 or 6.12) and the
 * firmware mapping varied: under random costs and property sets, every reported fix is safe (each
 * allowed candidate's safety decided by model checking every variant), the first is as cheap as
 * the cheapest safe candidate, and each later one is as cheap as the cheapest safe candidate that
 * contains no earlier fix. A box too wide (a counterexample that two changes close only together)
 * would show here as a missed cheaper fix unless the certification catches it.
 */
class FixSearchPropertyTest {
    static final Platform PLATFORM = Platforms.C630;
    static final List<Map<String, String>> VARIANTS = SweepRunner.variants(List.of(Knobs.FW_MAPPING));
    /** (kernel, properties, candidate knobs) -> safe in every variant. */
    static final Map<String, Boolean> SAFE = new ConcurrentHashMap<>();

    /** Certified candidates over all tries: the certification must have run at least once. */
    static final java.util.concurrent.atomic.AtomicLong CERTIFIED = new java.util.concurrent.atomic.AtomicLong();

    /** The knobs no change may set: the kernel ("any": the version is a dimension of five choices) and fw.smr. */
    static Map<String, String> pins(String kernel) {
        return kernel.equals("any") ? Map.of(Knobs.FW_SMR, "match") : Map.of(Knobs.KERNEL_VERSION, kernel, Knobs.FW_SMR, "match");
    }

    static FixSpace space(String kernel, Map<String, Integer> costs) {
        List<Scenario> base = VARIANTS.stream().map(v -> scenario(kernel, v, Map.of())).toList();
        return FixSpace.build(new FixSpace.Context(PLATFORM, null, false, base, pins(kernel).keySet(), true, costs));
    }

    static Scenario scenario(String kernel, Map<String, String> variant, Map<String, String> changes) {
        Map<String, String> k = new LinkedHashMap<>(variant);
        k.putAll(changes);
        k.putAll(pins(kernel));
        return Scenario.of(PLATFORM, null, k);
    }

    static boolean safe(String kernel, List<String> props, Map<String, String> changes) {
        return SAFE.computeIfAbsent(kernel + props + changes, k -> VARIANTS.stream().allMatch(v -> HandoffCheck.run(
                scenario(kernel, v, changes), props, true, false, 0, ExplorationSettings.defaults().withWorkers(1),
                SearchListener.NONE, false).verdict() == Verdict.HOLDS));
    }

    static List<int[]> allowed(FixSpace space) {
        List<int[]> out = new ArrayList<>();
        int n = space.dimensions().size();
        int[] c = new int[n];
        while (true) {
            if (space.allowed(c)) {
                out.add(c.clone());
            }
            int d = 0;
            while (d < n && ++c[d] == space.dimensions().get(d).choices().size()) {
                c[d++] = 0;
            }
            if (d == n) {
                return out;
            }
        }
    }

    /** Whether {@code y} changes every dimension {@code fix} changes (then it is not another fix). */
    static boolean contains(int[] y, int[] fix) {
        for (int d = 0; d < y.length; d++) {
            if (fix[d] != 0 && y[d] == 0) {
                return false;
            }
        }
        return true;
    }

    @Provide
    Arbitrary<Map<String, Integer>> costs() {
        return Arbitraries.integers().between(1, 6).list().ofSize(FixSpace.DEFAULT_COSTS.size()).map(l -> {
            Map<String, Integer> m = new LinkedHashMap<>();
            int i = 0;
            for (String id : FixSpace.DEFAULT_COSTS.keySet()) {
                m.put(id, l.get(i++));
            }
            return m;
        });
    }

    @Provide
    Arbitrary<List<String>> properties() {
        return Arbitraries.of(List.of(HandoffProperties.NO_DMA_FAULT), List.of(HandoffProperties.RIGHT_PAGE,
                HandoffProperties.NO_CORRUPTION), List.of(HandoffProperties.NO_DMA_FAULT, HandoffProperties.RIGHT_PAGE,
                HandoffProperties.NO_CORRUPTION, HandoffProperties.ISOLATION, HandoffProperties.HANDOFF_COMPLETES));
    }

    @Property(tries = 24)
    void everyFixIsSafeAndNoCheaperCandidateIs(@ForAll("costs") Map<String, Integer> costs,
                                                @ForAll("properties") List<String> generated,
                                                @ForAll("kernels") String kernel) {
        // with the version a dimension the brute force is 5 times larger: one property set there
        List<String> props = kernel.equals("any") ? List.of(HandoffProperties.NO_DMA_FAULT) : generated;
        FixSpace space = space(kernel, costs);
        FixSearch.Result r = new FixSearch(space, VARIANTS, (c, v) -> scenario(kernel, v, space.knobs(c)), props, true,
                ExplorationSettings.defaults(), 3, 10_000, s -> { }).run();
        CERTIFIED.addAndGet(r.stats().certified());
        assertEquals(null, r.stopped());
        List<int[]> all = allowed(space);
        assertEquals(all.size(), r.stats().allowed());
        List<int[]> earlier = new ArrayList<>();
        for (FixSearch.Fix f : r.fixes()) {
            assertTrue(safe(kernel, props, space.knobs(f.candidate())), "reported fix is not safe: " + space.chosen(f.candidate()));
            assertTrue(earlier.stream().noneMatch(e -> contains(f.candidate(), e)), "a fix contains an earlier one");
            int cheapest = all.stream().filter(y -> earlier.stream().noneMatch(e -> contains(y, e)))
                    .filter(y -> safe(kernel, props, space.knobs(y))).mapToInt(space::cost).min().orElseThrow();
            assertEquals(cheapest, f.cost(), "fix " + space.chosen(f.candidate()) + " is not the cheapest");
            earlier.add(f.candidate());
        }
        if (r.fixes().isEmpty()) {
            assertFalse(all.stream().anyMatch(y -> safe(kernel, props, space.knobs(y))), "a safe candidate was missed");
        } else if (r.fixes().size() < 3) {
            // the search ran dry: every safe candidate contains a reported fix
            assertTrue(all.stream().filter(y -> safe(kernel, props, space.knobs(y)))
                    .allMatch(y -> earlier.stream().anyMatch(e -> contains(y, e))), "a minimal fix was missed");
        }
        assertTrue(r.stats().checked() <= all.size());
        if (kernel.equals("any")) {
            assertTrue(space.dimensions().stream().anyMatch(d -> d.name().equals("kernel.version") && d.choices().size() == 5));
        }
    }

    @net.jqwik.api.lifecycle.AfterContainer
    static void theCertificationRan() {
        assertTrue(CERTIFIED.get() > 0, "no try certified a candidate by replay: the property never exercised it");
    }

    /**
     * A candidate whose scenario cannot be built in a variant is never a fix, and the search
     * still finds the cheapest of the others (brute force with that change left out).
     */
    @net.jqwik.api.Example
    void aCandidateWhoseScenarioFailsIsNeverAFix() {
        String kernel = "5.15";
        List<String> props = List.of(HandoffProperties.NO_DMA_FAULT);
        FixSpace space = space(kernel, Map.of());
        FixSearch.Result r = new FixSearch(space, VARIANTS, (c, v) -> {
            if ("yes".equals(space.knobs(c).get(Knobs.FW_QUIESCE)) && v.get(Knobs.FW_MAPPING).equals("translated")) {
                throw new dev.handoff.model.scenario.ScenarioException("no quiesce with a translated mapping (test)");
            }
            return scenario(kernel, v, space.knobs(c));
        }, props, true, ExplorationSettings.defaults(), 3, 10_000, s -> { }).run();
        int cheapest = allowed(space).stream().filter(y -> !"yes".equals(space.knobs(y).get(Knobs.FW_QUIESCE)))
                .filter(y -> safe(kernel, props, space.knobs(y))).mapToInt(space::cost).min().orElseThrow();
        assertFalse(r.fixes().isEmpty());
        assertEquals(cheapest, r.fixes().get(0).cost());
        for (FixSearch.Fix f : r.fixes()) {
            assertFalse("yes".equals(space.knobs(f.candidate()).get(Knobs.FW_QUIESCE)), "an invalid candidate was reported");
        }
    }

    @Provide
    Arbitrary<String> kernels() {
        return Arbitraries.of("5.15", "6.12", "any");
    }

    /** Requirements hold in the space: the board's identity entry goes with an identity mapping. */
    @Property(tries = 1)
    void theSpaceHasItsRequirement() {
        FixSpace space = space("6.12", Map.of());
        assertTrue(space.requirements().stream().anyMatch(q -> q.choice().equals("board.iommu-addresses")
                && q.needs().equals("fw.identity-mapping")), space.requirements().toString());
        assertFalse(Set.copyOf(space.dimensions().stream().map(FixSpace.Dimension::name).toList()).contains("kernel.version"));
    }
}
