package dev.handoff.engine.formalism;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Combinators over {@link Model}. */
public final class Models {
    private Models() {
    }

    /**
     * Every state reachable from the initial states, by a plain breadth-first search over the
     * readable model (no codec, no engine): for tests and small tools on small models. O(states ×
     * actions) calls of {@link Model#next}, every state kept in a {@code HashSet}.
     */
    public static <S> Set<S> reachable(Model<S> model) {
        Set<S> seen = new HashSet<>(model.initialStates());
        ArrayDeque<S> queue = new ArrayDeque<>(seen);
        int actions = model.actions().size();
        while (!queue.isEmpty()) {
            S s = queue.poll();
            for (int a = 0; a < actions; a++) {
                S n = model.next(s, a);
                if (n != null && seen.add(n)) {
                    queue.add(n);
                }
            }
        }
        return seen;
    }

    /**
     * The same model with {@code properties} instead of its own. Its footprints are kept: the
     * caller vouches that their visibility covers the new properties.
     */
    public static <S> Model<S> withProperties(Model<S> model, List<Property<S>> properties) {
        List<Property<S>> props = List.copyOf(properties);
        return new Model<>() {
            @Override
            public List<S> initialStates() {
                return model.initialStates();
            }

            @Override
            public List<Action> actions() {
                return model.actions();
            }

            @Override
            public S next(S state, int action) {
                return model.next(state, action);
            }

            @Override
            public List<Property<S>> properties() {
                return props;
            }

            @Override
            public S canonical(S state) {
                return model.canonical(state);
            }

            @Override
            public boolean isTerminal(S state) {
                return model.isTerminal(state);
            }

            @Override
            public List<Footprint> footprints() {
                return model.footprints();
            }

            @Override
            public boolean retired(S state, int action) {
                return model.retired(state, action);
            }

            @Override
            public boolean acyclic() {
                return model.acyclic();
            }

            @Override
            public StateCodec<S> codec() {
                return model.codec();
            }
        };
    }
}
