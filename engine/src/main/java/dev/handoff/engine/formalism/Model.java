package dev.handoff.engine.formalism;

import java.util.List;

/**
 * A finite transition system in plain Java: what a third party implements to have the engine
 * explore it.
 *
 * <p>The model is three functions and two lists, in the manner of stateright: the initial
 * states, a fixed action universe, and a successor function that returns {@code null} where an
 * action is not enabled. The enabled actions of a state are therefore the actions whose
 * successor is not {@code null}, in the universe's order: deterministic by construction.
 * A nondeterministic step (several possible outcomes) is several actions, one per outcome.
 *
 * <p>All methods must be pure and thread-safe: the engine calls them from several workers and
 * replays traces by calling them again, so the same state and action must give the same
 * successor every time.
 *
 * <p>The engine stores states packed, through {@link #codec()}; model code never sees the
 * packed form. {@link PackedModels#of(Model)} adapts a model to the engine's {@link PackedModel}.
 *
 * @param <S> immutable state type (records are a good fit)
 */
public interface Model<S> {
    /** Initial states in a deterministic order; at least one. */
    List<S> initialStates();

    /** Every action the model can ever take, in a fixed order; an action's index is its position. */
    List<Action> actions();

    /** The successor of {@code state} under action number {@code action}, or {@code null} if not enabled. */
    S next(S state, int action);

    /**
     * Lists the actions that may fire in {@code state}, stateright's style: writes their indices,
     * ascending, into {@code out} (whose length is the number of actions) and returns how many;
     * returns -1, the default, when the model does not list them and the engine should try every
     * action. A listed action may still give {@code null} from {@link #next}; an action left off
     * must give {@code null}. {@code --check-determinism} verifies both.
     */
    default int enabledActions(S state, int[] out) {
        return -1;
    }

    /** The properties to check; at most {@value PackedModel#MAX_PROPERTIES}. */
    List<Property<S>> properties();

    /**
     * True where a state is legitimately final, so that having no enabled action there is not a
     * deadlock. The default says no state is final.
     */
    default boolean isTerminal(S state) {
        return false;
    }

    /**
     * The representative of {@code state}'s symmetry class ({@link PackedModel#canonicalize}): the
     * same for every state of the class, with the same property values. The default is the state
     * itself (no symmetry).
     */
    default S canonical(S state) {
        return state;
    }

    /**
     * Each action's {@link Footprint}, in action order, for partial-order reduction; empty (the
     * default) when the model gives none, and then the engine cannot reduce it that way.
     */
    default List<Footprint> footprints() {
        return List.of();
    }

    /**
     * True when action {@code action} can never again be enabled in any state reachable from
     * {@code state} (a program counter has passed it): partial-order reduction then ignores it.
     * Must never say true of an action that can still fire. The default says false.
     */
    default boolean retired(S state, int action) {
        return false;
    }

    /**
     * True when the model promises that its state graph has no cycle (every action advances some
     * measure), which is what lets partial-order reduction do without a cycle proviso. The
     * default says false.
     */
    default boolean acyclic() {
        return false;
    }

    /** How states are packed for storage. */
    StateCodec<S> codec();
}
