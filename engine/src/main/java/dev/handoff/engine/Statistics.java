package dev.handoff.engine;

import java.util.List;

/**
 * Figures of one run.
 *
 * @param distinctStates        states stored
 * @param transitions           states generated: every successor of every expanded state, plus each
 *                              initial state once. This is SPIN's "stored+matched" and TLC's "states
 *                              generated", so figures compare one to one with theirs; the number of
 *                              (state, enabled action) pairs is this minus the initial states
 * @param maxDepth              the deepest level reached (breadth-first) or stack depth (depth-first)
 * @param seconds               wall-clock time of the search, without trace rebuilding
 * @param storeBytes            bytes of the visited set at the end
 * @param logBytes              bytes of the parent log (trace reconstruction) at the end
 * @param workers               worker threads used
 * @param actionFirings         per action index, how many transitions took it
 * @param collisionProbability  fingerprint store: estimated probability that two distinct
 *                              states were merged; exact store: 0
 */
public record Statistics(
        long distinctStates,
        long transitions,
        int maxDepth,
        double seconds,
        long storeBytes,
        long logBytes,
        int workers,
        long[] actionFirings,
        double collisionProbability) {

    public double statesPerSecond() {
        return seconds > 0 ? distinctStates / seconds : 0;
    }

    public double transitionsPerSecond() {
        return seconds > 0 ? transitions / seconds : 0;
    }

    /** Bytes the run keeps per stored state: visited set plus parent log, divided by the states. */
    public double bytesPerState() {
        return distinctStates == 0 ? 0 : (double) (storeBytes + logBytes) / distinctStates;
    }

    /** Indices of actions that never fired. */
    public List<Integer> actionsNeverFired() {
        java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < actionFirings.length; i++) {
            if (actionFirings[i] == 0) {
                out.add(i);
            }
        }
        return out;
    }
}
