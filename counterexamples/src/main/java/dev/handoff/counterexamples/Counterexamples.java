package dev.handoff.counterexamples;

import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.handoff.StateFields;

import java.util.ArrayList;
import java.util.List;

/**
 * From a path the search found to what the user sees: shrink and normalise it (re-validated by
 * replay), build the trace, explain it, and package both versions into a {@link TraceFile}.
 */
public final class Counterexamples {
    private Counterexamples() {
    }

    /**
     * @param actions the search's path (action indices), which must violate {@code property}
     */
    public static TraceFile make(HandoffModel model, String property, int[] actions) {
        Shrinker shrinker = new Shrinker(model, property);
        List<Integer> original = new ArrayList<>();
        for (int a : actions) {
            original.add(a);
        }
        List<Integer> shrunk = shrinker.shrink(original);
        List<HandoffState> states = shrinker.run(shrunk);
        Trace shown = trace(model, property, states, shrunk);
        Trace first = shrunk.equals(original) ? shown : trace(model, property, shrinker.run(original), original);
        String explanation = Explainer.explain(model, shown, states);
        return new TraceFile(model.scenario(), model.pruning(), Violations.kind(property),
                StateFields.of(model, states.get(0)), shown, first.steps(), explanation, Explainer.rootCause(model, shown, states));
    }

    /**
     * Up to {@code max} counterexamples from {@code paths} (shortest first) whose root causes
     * differ; the first path always leads.
     */
    public static List<TraceFile> distinct(HandoffModel model, String property, List<int[]> paths, int max) {
        List<TraceFile> out = new ArrayList<>();
        java.util.Set<String> causes = new java.util.HashSet<>();
        for (int[] p : paths) {
            if (out.size() == max) {
                break;
            }
            TraceFile f = make(model, property, p);
            if (causes.add(f.rootCause())) {
                out.add(f);
            }
        }
        return out;
    }

    private static Trace trace(HandoffModel model, String property, List<HandoffState> states, List<Integer> actions) {
        int[] a = actions.stream().mapToInt(Integer::intValue).toArray();
        return HandoffTraces.build(model, property, states, a);
    }
}
