package dev.handoff.checker.bench;

import dev.handoff.engine.ExplorationResult;
import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.Explorer;
import dev.handoff.engine.Reduction;
import dev.handoff.engine.formalism.Models;
import dev.handoff.engine.formalism.PackedModels;
import dev.handoff.engine.formalism.Property;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Master;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.StreamEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The figures of the README's symmetry table: states of the presets with extra single-ID masters
 * under display-last, any order, and any order with symmetry reduction. Run from a built tree:
 * {@code java -cp checker/target/handoff.jar benchmarks/src/main/java/dev/handoff/checker/bench/SymmetryFigures.java}.
 */
public final class SymmetryFigures {
    private SymmetryFigures() {
    }

    public static void main(String[] a) {
        for (Platform base : List.of(Platforms.C630, Platforms.JUNO, Platforms.TEGRA186)) {
            for (int n : new int[] {2, 4, 6}) {
                List<Master> ms = new ArrayList<>(base.masters());
                for (int k = 0; k < n; k++) ms.add(new Master("m" + k, List.of(new StreamEntry(0x200 + k * 0x10, base == Platforms.TEGRA186 ? 0x7f80 : 0))));
                Platform p = base.withMasters(ms);
                String pol = base == Platforms.TEGRA186 ? "tegra-late-sid" : "qcom-bypass";
                HandoffModel m = new HandoffModel(Scenario.of(p, pol, Map.of(Knobs.KERNEL_PROBE_ORDER, "any")), true);
                ExplorationSettings s = ExplorationSettings.defaults().withWorkers(1).withCheckDeadlock(false);
                long t0 = System.nanoTime();
                ExplorationResult full = Explorer.explore(PackedModels.of(Models.withProperties(m, List.of(Property.always("t", x -> true)))), s);
                long t1 = System.nanoTime();
                ExplorationResult red = Explorer.explore(PackedModels.of(Models.withProperties(m, List.of(Property.always("t", x -> true)))), s.withReduction(Reduction.SYMMETRY));
                long t2 = System.nanoTime();
                HandoffModel dl = new HandoffModel(Scenario.of(p, pol, Map.of()), true);
                ExplorationResult last = Explorer.explore(PackedModels.of(Models.withProperties(dl, List.of(Property.always("t", x -> true)))), s);
                System.out.printf("%s +%d masters (%s): display-last %d | any %d (%.1fs) | any+symmetry %d (%.1fs) ratio %.1f%n", base.name(), n, pol,
                    last.statistics().distinctStates(), full.statistics().distinctStates(), (t1 - t0) / 1e9, red.statistics().distinctStates(), (t2 - t1) / 1e9,
                    (double) full.statistics().distinctStates() / red.statistics().distinctStates());
            }
        }
    }
}
