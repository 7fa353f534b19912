package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.Reduction;
import dev.handoff.engine.SearchListener;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Master;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.StreamEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Symmetry reduction over interchangeable clients: which clients are interchangeable, and that
 * the reduced search decides every property as the full one does, with fewer states and with
 * counterexamples that are real runs (each is replayed through the unreduced model when its trace
 * file is made).
 */
class SymmetryReductionTest {
    static final Map<String, String> ANY = Map.of(Knobs.KERNEL_PROBE_ORDER, "any");

    static Platform withMasters(Platform p, int n, int mask) {
        List<Master> ms = new ArrayList<>(p.masters());
        for (int k = 0; k < n; k++) {
            ms.add(new Master("m" + k + "@" + Integer.toHexString(0x200 + k * 0x10), List.of(new StreamEntry(0x200 + k * 0x10, mask))));
        }
        return p.withMasters(ms);
    }

    static HandoffCheck.Outcome run(Scenario s, Reduction r, boolean crossCheck) {
        return HandoffCheck.run(s, List.of(), true, false, 1, ExplorationSettings.defaults().withWorkers(1).withReduction(r),
                SearchListener.NONE, crossCheck);
    }

    @Test
    void clientsAlikeButForTheirStreamIdsFormAClass() {
        Platform p = withMasters(Platforms.C630, 3, 0);
        HandoffModel any = new HandoffModel(Scenario.of(p, "qcom-bypass", ANY), true);
        assertEquals(1, any.symmetryClasses().size());
        assertEquals(List.of(2, 3, 4), java.util.Arrays.stream(any.symmetryClasses().get(0)).boxed().toList(),
                "the three new masters; the UFS (mask 0xf) has no twin");
        assertTrue(new HandoffModel(Scenario.of(p, "qcom-bypass", Map.of()), true).symmetryClasses().isEmpty(),
                "display-last fixes the order: nothing is interchangeable");
        // a master whose ID one of the class's entries also matches leaves the class
        List<Master> ms = new ArrayList<>(p.masters());
        ms.add(new Master("overlap@300", List.of(new StreamEntry(0x210, 0x1))));
        HandoffModel overlapped = new HandoffModel(Scenario.of(p.withMasters(ms), "qcom-bypass", ANY), true);
        assertEquals(List.of(2, 4), java.util.Arrays.stream(overlapped.symmetryClasses().get(0)).boxed().toList());
        // a master inside the display's firmware entry never joins a class
        List<Master> inside = new ArrayList<>(Platforms.C630.masters());
        inside.add(new Master("a", List.of(new StreamEntry(0x888, 0))));
        inside.add(new Master("b", List.of(new StreamEntry(0x400, 0))));
        assertTrue(new HandoffModel(Scenario.of(Platforms.C630.withMasters(inside), "qcom-bypass", ANY), true)
                .symmetryClasses().isEmpty());
    }

    @Test
    void theReducedSearchDecidesEveryPropertyAsTheFullOne() {
        for (Platform p : List.of(withMasters(Platforms.C630, 4, 0), withMasters(Platforms.JUNO, 4, 0))) {
            for (String policy : List.of("qcom-bypass", "stock", "fw-quiesce", "stock-bypass")) {
                Scenario s = Scenario.of(p, policy, ANY);
                HandoffCheck.Outcome reduced = run(s, Reduction.SYMMETRY, true);
                long full = reduced.reduced().unreducedStates();
                assertTrue(full > 0, "cross-checked");
                assertTrue(reduced.stats().distinctStates() * 3 < full, p.name() + " " + policy + ": "
                        + reduced.stats().distinctStates() + " of " + full);
                for (var prop : reduced.properties()) {
                    if (prop.trace() != null) {
                        assertTrue(prop.trace().steps().size() > 0, "a replayed counterexample for " + prop.name());
                    }
                }
            }
        }
    }

    @Test
    void symmetryReductionNeedsTheFreeOrderAndChangesNothingWithoutIt() {
        Scenario s = Scenario.of(withMasters(Platforms.C630, 3, 0), "qcom-bypass", Map.of());
        HandoffCheck.Outcome reduced = run(s, Reduction.SYMMETRY, true);
        assertEquals(reduced.reduced().unreducedStates(), reduced.stats().distinctStates());
        assertTrue(reduced.reduced().classes().isEmpty());
    }

    @Test
    void theCommandLineSaysWhatTheReductionDidOrWhyNot() {
        CliTest.Run none = CliTest.run("check", "--platform", "tegra186", "--policy", "tegra-late-sid", "--reduction", "symmetry");
        assertTrue(none.out().contains("reduction: symmetry found no interchangeable clients, nothing was reduced"), none.out());
        CliTest.Run lonely = CliTest.run("check", "--platform", "c630", "--policy", "qcom-bypass", "--cross-check");
        assertEquals(ExitCode.USAGE, lonely.code());
        assertTrue(lonely.err().startsWith("handoff: --cross-check compares a reduced run with an unreduced one"), lonely.err());
        CliTest.Run bogus = CliTest.run("check", "--platform", "c630", "--reduction", "bogus");
        assertEquals(ExitCode.USAGE, bogus.code());
        assertTrue(bogus.err().contains("'bogus' is not a reduction (allowed: none, por, symmetry, por+symmetry)"), bogus.err());
    }

    /** Masters whose masks differ but are all nonzero form one class, and the verdicts agree with the full search. */
    @Test
    void differentNonzeroMasksAreInterchangeable() {
        List<Master> ms = new ArrayList<>(Platforms.C630.masters());
        int[] masks = {0x1, 0x3, 0x7};
        for (int k = 0; k < masks.length; k++) {
            ms.add(new Master("m" + k, List.of(new StreamEntry(0x200 + k * 0x10, masks[k]))));
        }
        Scenario s = Scenario.of(Platforms.C630.withMasters(ms), "qcom-bypass", ANY);
        assertEquals(List.of(1, 2, 3, 4), java.util.Arrays.stream(new HandoffModel(s, true).symmetryClasses().get(0)).boxed().toList(),
                "the UFS (0xf) and the three: every mask nonzero");
        HandoffCheck.Outcome reduced = run(s, Reduction.SYMMETRY, true);
        assertTrue(reduced.stats().distinctStates() * 3 < reduced.reduced().unreducedStates());
    }

    /**
     * Random boards (seeded): a preset with two to four extra masters of one or two entries,
     * random IDs and masks (overlapping or not), under a random policy and the free probe order.
     * Every run is cross-checked: a difference in any verdict or severity throws. The draw must
     * also exercise the reduction (classes found, states saved) in most runs.
     */
    @Test
    void randomBoardsKeepTheirVerdictsUnderSymmetry() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(10);
        List<Platform> bases = List.of(Platforms.C630, Platforms.JUNO, Platforms.TEGRA186);
        List<String> policies = List.of("qcom-bypass", "stock", "stock-bypass", "explicit-inherit", "tegra-late-sid", "readback-remap");
        int[] masks = {0, 0, 0x1, 0x3, 0xf};
        int reduced = 0;
        int runs = 24;
        for (int run = 0; run < runs; run++) {
            Platform base = bases.get(rnd.nextInt(bases.size()));
            List<Master> ms = new ArrayList<>(base.masters());
            int n = 2 + rnd.nextInt(3);
            for (int k = 0; k < n; k++) {
                int entries = rnd.nextInt(4) == 0 ? 2 : 1;
                List<StreamEntry> st = new ArrayList<>();
                for (int e = 0; e < entries; e++) {
                    int mask = base == Platforms.TEGRA186 ? 0x7f80 : masks[rnd.nextInt(masks.length)];
                    st.add(new StreamEntry(0x200 + rnd.nextInt(12) * 0x4, mask));
                }
                ms.add(new Master("r" + run + "m" + k, st));
            }
            Scenario s = Scenario.of(base.withMasters(ms), policies.get(rnd.nextInt(policies.size())), ANY);
            HandoffCheck.Outcome o = run(s, Reduction.SYMMETRY, true); // throws CrossCheckException on a difference
            if (o.stats().distinctStates() < o.reduced().unreducedStates()) {
                reduced++;
            }
        }
        assertTrue(reduced * 2 > runs, "the draw exercises the reduction: " + reduced + " of " + runs + " runs reduced");
    }
}
