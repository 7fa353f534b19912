package dev.handoff.engine;

/**
 * Callbacks on search events, in the manner of Java PathFinder's listeners: statistics,
 * progress displays and tests hang off the engine here without the engine knowing them.
 * Callbacks come from an engine thread and must return quickly.
 */
public interface SearchListener {
    /** A listener that ignores every event. */
    SearchListener NONE = new SearchListener() {
    };

    /** The search is about to begin. */
    default void started(ExplorationSettings settings) {
    }

    /** Called about every {@link ExplorationSettings#progressInterval()} while the search runs. */
    default void progress(Progress progress) {
    }

    /** The search has ended (before traces are rebuilt). */
    default void finished(Progress last) {
    }

    /**
     * A snapshot of a running search.
     *
     * @param states      distinct states stored
     * @param transitions states generated (successors plus initial states)
     * @param depth       current depth (breadth-first: the level being expanded)
     * @param queue       states waiting to be expanded
     * @param seconds     elapsed
     */
    record Progress(long states, long transitions, int depth, long queue, double seconds) {
        public double statesPerSecond() {
            return seconds > 0 ? states / seconds : 0;
        }
    }
}
