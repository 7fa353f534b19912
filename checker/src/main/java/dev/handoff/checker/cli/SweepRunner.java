package dev.handoff.checker.cli;

import dev.handoff.checker.engine.ExplorationSettings;
import dev.handoff.checker.engine.SearchListener;
import dev.handoff.checker.engine.Verdict;
import dev.handoff.model.scenario.Scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/** The what-if matrix: every policy under every combination of the varied knobs' values. */
final class SweepRunner {
    /** The matrix and its cells in row order. */
    record Result(List<String> policies, List<String> labels, Map<String, Map<String, HandoffCheck.Outcome>> grid,
                  List<HandoffCheck.Outcome> all, List<Map<String, String>> shown) {
        /** Policies under which every property holds in every variant. */
        List<String> safePolicies() {
            List<String> out = new ArrayList<>();
            for (String p : policies) {
                if (grid.get(p).values().stream().allMatch(o -> o.verdict() == Verdict.HOLDS)) {
                    out.add(p);
                }
            }
            return out;
        }
    }

    private SweepRunner() {
    }

    /**
     * @param scenario builds the scenario of a (policy, variant) cell
     * @param written  called with (cell label, outcome) for each cell, for trace files
     */
    static Result run(BiFunction<String, Map<String, String>, Scenario> scenario, List<String> policies,
                      List<String> knobs, List<String> properties, boolean pruning, int counterexamples,
                      ExplorationSettings settings, SearchListener listener,
                      BiConsumer<String, HandoffCheck.Outcome> written) {
        List<Map<String, String>> variants = variants(knobs);
        List<String> labels = variants.stream().map(SweepRunner::label).toList();
        Map<String, Map<String, HandoffCheck.Outcome>> grid = new LinkedHashMap<>();
        List<HandoffCheck.Outcome> all = new ArrayList<>();
        List<Map<String, String>> shown = new ArrayList<>();
        for (String p : policies) {
            Map<String, HandoffCheck.Outcome> row = new LinkedHashMap<>();
            for (int j = 0; j < variants.size(); j++) {
                HandoffCheck.Outcome o = HandoffCheck.run(scenario.apply(p, variants.get(j)), properties, pruning,
                        counterexamples, settings, listener);
                row.put(labels.get(j), o);
                all.add(o);
                shown.add(variants.get(j));
                written.accept(p + "." + labels.get(j).replace(',', '.').replace('=', '-'), o);
            }
            grid.put(p, row);
        }
        return new Result(policies, labels, grid, all, shown);
    }

    static List<Map<String, String>> variants(List<String> knobs) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (String k : knobs) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> m : out) {
                for (String v : Names.knobValues(k)) {
                    Map<String, String> n = new LinkedHashMap<>(m);
                    n.put(k, v);
                    next.add(n);
                }
            }
            out = next;
        }
        return out;
    }

    static String label(Map<String, String> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }
}
