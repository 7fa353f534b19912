package dev.handoff.model.formalism;

import java.util.List;

/** Combinators over {@link Model}. */
public final class Models {
    private Models() {
    }

    /** The same model with {@code properties} instead of its own. */
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
            public boolean isTerminal(S state) {
                return model.isTerminal(state);
            }

            @Override
            public StateCodec<S> codec() {
                return model.codec();
            }
        };
    }
}
