package dev.handoff.engine;

import java.util.List;
import java.util.Objects;

/**
 * A replayed execution: an initial state and the actions taken from it, with every state
 * visited (packed). {@code states().size() == actions().length + 1}. Produced only after a
 * replay through the model confirmed each step, so it is a real execution of the model.
 *
 * @param initialState index into the model's initial states
 * @param actions      action indices, in order
 * @param states       the packed states, from the initial one to the last
 */
public record Path(int initialState, int[] actions, List<long[]> states) {
    public Path {
        Objects.requireNonNull(actions, "actions");
        states = List.copyOf(states);
        if (states.size() != actions.length + 1) {
            throw new IllegalArgumentException("a path of " + actions.length + " steps needs "
                    + (actions.length + 1) + " states, got " + states.size());
        }
    }

    /** Number of steps. */
    public int length() {
        return actions.length;
    }

    /** The last state. */
    public long[] last() {
        return states.get(states.size() - 1);
    }
}
