package dev.handoff.engine;

import java.util.List;
import java.util.Optional;

/**
 * What a run found.
 *
 * @param properties one result per model property, in the model's order
 * @param deadlock   a path to the shallowest deadlocked state found, or {@code null}: with deadlock
 *                   checking on and {@code stopReason} {@code null}, the space has no deadlock
 *                   (a run never stops early with that question open); otherwise none was found
 *                   before the run stopped, or deadlocks were not checked
 * @param stopReason why the run ended before deciding every question (a limit, stopAtFirstViolation
 *                   with questions open, an internal error), or {@code null} when it ended because
 *                   the state space was exhausted or every question was answered
 * @param statistics figures of the run
 * @param internalError null, or why a found path did not replay (the model is not a pure
 *                      function of its state): the run's other results are still reported, and
 *                      the property whose path failed keeps the paths that did replay
 * @param exhausted  true when the run explored the whole reachable space, so that the statistics'
 *                   counts are the space's; false when it stopped early: at a limit
 *                   ({@code stopReason}), or (with {@code stopReason} {@code null}) because every
 *                   question was answered, when the counts are those of the part explored
 *                   ({@link ExplorationSettings#exhaustive} explores the rest)
 */
public record ExplorationResult(List<PropertyResult> properties, Path deadlock, String stopReason,
                                Statistics statistics, String internalError, boolean exhausted) {
    public ExplorationResult {
        properties = List.copyOf(properties);
    }

    /** True when the run ended before deciding every question (see {@code stopReason}). */
    public boolean limitReached() {
        return stopReason != null;
    }

    /** The result for a property by name. */
    public Optional<PropertyResult> property(String name) {
        return properties.stream().filter(p -> p.property().name().equals(name)).findFirst();
    }

    /** True when some property is violated or a deadlock was found. */
    public boolean hasViolation() {
        return deadlock != null || properties.stream().anyMatch(p -> p.verdict() == Verdict.VIOLATED);
    }
}
