package dev.handoff.counterexamples;

import dev.handoff.model.scenario.Scenario;

import java.util.List;
import java.util.Map;

/**
 * What a {@code handoff.trace/1} file holds: enough to rebuild the model and replay the run.
 *
 * @param scenario    the platform's facts, the policy and every knob
 * @param pruning     whether fetches were decided by constraints (the action names differ otherwise)
 * @param kind        {@code safety} or {@code liveness}
 * @param initial     the initial state's fields, as {@link dev.handoff.model.handoff.StateFields} names them
 * @param trace       the shown trace (shortest, then normalised)
 * @param original    the steps as the search found them, before normalisation
 * @param explanation the root-cause paragraph
 * @param rootCause   a short key of the root cause (the step that changed the failing resolution and
 *                    the resolution it led to); counterexamples with equal keys tell the same story
 */
public record TraceFile(Scenario scenario, boolean pruning, String kind, Map<String, String> initial, Trace trace,
                        List<Trace.Step> original, String explanation, String rootCause) {
    public static final String SCHEMA = "handoff.trace/1";

    public TraceFile {
        initial = Map.copyOf(initial);
        original = List.copyOf(original);
    }
}
