package dev.handoff.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A replayed execution: an initial state and the actions taken from it, with every state
 * visited (packed). {@code states().size() == actions().length + 1}. Produced only after a
 * replay through the model confirmed each step, so it is a real execution of the model.
 * (A file that also uses {@code java.nio.file.Path} imports this one by name.)
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

    /**
     * The path as a person reads it, one line per state: the initial state, then each action
     * (its index and {@link dev.handoff.engine.formalism.Action}) and the state it led to, each
     * state as {@code model.describe} gives it (for a {@link dev.handoff.engine.formalism.Model}
     * adapted by {@code PackedModels.of}, the state object's {@code toString}).
     */
    public String render(dev.handoff.engine.formalism.PackedModel model) {
        StringBuilder b = new StringBuilder("initial state ").append(initialState).append(": ")
                .append(model.describe(states.get(0), 0));
        for (int i = 0; i < actions.length; i++) {
            dev.handoff.engine.formalism.Action a = model.actions().get(actions[i]);
            b.append('\n').append(i + 1).append(". ").append(a.actor().isEmpty() ? a.name() : a)
                    .append(" -> ").append(model.describe(states.get(i + 1), 0));
        }
        return b.toString();
    }

    /** Equal when the initial state, the actions and every state's words are. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Path p) || p.initialState != initialState || !Arrays.equals(p.actions, actions)
                || p.states.size() != states.size()) {
            return false;
        }
        for (int i = 0; i < states.size(); i++) {
            if (!Arrays.equals(p.states.get(i), states.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 31 * initialState + Arrays.hashCode(actions);
        for (long[] s : states) {
            h = 31 * h + Arrays.hashCode(s);
        }
        return h;
    }

    /** The initial state's index and the action indices; {@link #render} shows the states. */
    @Override
    public String toString() {
        return "Path[initialState=" + initialState + ", actions=" + Arrays.toString(actions) + "]";
    }
}
