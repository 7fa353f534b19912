package dev.handoff.engine.formalism;

import java.util.List;

/**
 * The engine's view of a model: states as fixed-width runs of {@code long} words.
 *
 * <p>A model written for speed implements this directly and never allocates on the successor
 * path; any other model is adapted from {@link Model} by {@link PackedModels#of(Model)}.
 * Implementations must be pure and thread-safe: {@link #next} and {@link #evaluate} are called
 * concurrently from several workers, each with its own buffers.
 */
public interface PackedModel {
    /** The most properties one model may declare: {@link #evaluate} answers with a 64-bit mask. */
    int MAX_PROPERTIES = 64;

    /** Words per state. */
    int stateWords();

    /** The action universe; an action's index is its position. */
    List<Action> actions();

    /** The properties, in the bit order of {@link #evaluate}. */
    List<PropertySpec> properties();

    /** Number of initial states (at least one). */
    int initialStateCount();

    /** Writes initial state number {@code index} into {@code out[off ..]}. */
    void initialState(int index, long[] out, int off);

    /**
     * Computes the successor of the state at {@code src[srcOff ..]} under {@code action} into
     * {@code dst[dstOff ..]}.
     *
     * @return false if the action is not enabled (then {@code dst} may hold anything)
     */
    boolean next(long[] src, int srcOff, int action, long[] dst, int dstOff);

    /**
     * Lists the actions that may fire in the state at {@code state[off ..]}: writes their
     * indices, ascending, into {@code out} (whose length is the number of actions) and returns how
     * many, or returns -1, the default, to say that the model does not list them, and then the
     * engine tries every action of the universe. A listed action may still not fire
     * ({@link #next} says false); an action left off must not fire. A model with many actions of
     * which few are enabled at a time (processes with program counters, messages in flight) lists
     * them so that the search does not pay for the others.
     */
    default int enabledActions(long[] state, int off, int[] out) {
        return -1;
    }

    /**
     * Evaluates every property's predicate: bit {@code i} is set when property {@code i}'s
     * predicate is true in the state (an invariant holds, or a witness is reached).
     */
    long evaluate(long[] state, int off);

    /** True where the state is legitimately final (no enabled action is then not a deadlock). */
    boolean isTerminal(long[] state, int off);

    /**
     * A hint from an engine: the calling thread is about to call {@link #enabledActions} and then
     * {@link #next} for each action it lists (every action when it lists none) on the state at
     * {@code state[off ..]}, whose words do not change until the next call of this method on the
     * same thread; {@code null} ends the hint (before {@link #isTerminal} is asked). A model may
     * then skip telling that state from others on each call. Only breadth-first search without
     * partial-order reduction gives the hint; depth-first search and stubborn sets call
     * {@code next} without it, so a model must give the same answers either way. The default
     * ignores the hint.
     */
    default void expanding(long[] state, int off) {
    }

    /**
     * Rewrites the state at {@code state[off ..]} into the representative of its symmetry class,
     * for symmetry reduction. A model that overrides this promises that the symmetry is an
     * automorphism: the properties and {@link #isTerminal} give the same answer on every state of
     * a class, and the successors of two states of a class are, class by class, the same. The
     * default has no symmetry.
     *
     * @return true if the state changed
     */
    default boolean canonicalize(long[] state, int off) {
        return false;
    }

    /** Each action's footprint, in action order, or empty: see {@link Model#footprints()}. */
    default List<Footprint> footprints() {
        return List.of();
    }

    /** Action {@code action} can never fire again from the state at {@code state[off ..]}: see {@link Model#retired}. */
    default boolean retired(long[] state, int off, int action) {
        return false;
    }

    /** The state graph has no cycle: see {@link Model#acyclic()}. */
    default boolean acyclic() {
        return false;
    }

    /**
     * For {@code --check-determinism}: whether the packed form of the successor the last
     * {@link #next} call wrote at {@code state[off ..]} stands for exactly that successor, or,
     * if not, a one-line account of the difference. A model packed by hand has nothing to check
     * (the default, null); a {@link Model} adapted by {@link PackedModels#of} decodes the words
     * and compares the result with the state object {@code next} returned
     * ({@code decode(encode(s)).equals(s)}): a codec that packs two states alike merges them
     * silently otherwise.
     */
    default String codecMismatch(long[] state, int off) {
        return null;
    }

    /** A one-line human-readable rendering of a state, for messages and traces. */
    String describe(long[] state, int off);
}
