package dev.handoff.engine;

import dev.handoff.engine.formalism.PackedModel;

/**
 * A model method threw, or broke its contract (an {@code enabledActions} list out of range or not
 * ascending). The search stops; {@link Explorer} reports everything found so far with this
 * message as {@link ExplorationResult#internalError}, naming the state and the action.
 */
final class ModelFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private ModelFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * {@code e}, thrown while expanding the state at {@code words[off]} by {@code action} (or -1:
     * outside an action), named so; the engine's own exceptions (a failure already named, a
     * replay that diverged, a store that is full) pass through as they are.
     */
    static RuntimeException threw(PackedModel model, long[] words, int off, int action, RuntimeException e) {
        if (e instanceof ModelFailureException || e instanceof ReplayDivergedException || e instanceof CapacityExceededException) {
            return e;
        }
        return new ModelFailureException("the model threw " + origin(e) + " expanding state " + describe(model, words, off)
                + (action >= 0 ? ", action " + name(model, action) : ""), e);
    }

    /** {@code e}, thrown while evaluating the properties of the state at {@code words[off]}, named so (see {@link #threw}). */
    static RuntimeException evaluating(PackedModel model, long[] words, int off, RuntimeException e) {
        if (e instanceof ModelFailureException || e instanceof ReplayDivergedException) {
            return e;
        }
        return new ModelFailureException("the model threw " + origin(e) + " evaluating its properties in state "
                + describe(model, words, off), e);
    }

    /** {@code model.next}, a failure named with the state and the action: how every search calls it. */
    static boolean next(PackedModel model, long[] src, int srcOff, int action, long[] dst, int dstOff) {
        try {
            return model.next(src, srcOff, action, dst, dstOff);
        } catch (RuntimeException e) {
            throw threw(model, src, srcOff, action, e);
        }
    }

    /** The exception and the frame it was thrown from. */
    static String origin(RuntimeException e) {
        StackTraceElement[] at = e.getStackTrace();
        // HotSpot throws some exceptions without a stack once a method has thrown them often
        return e + (at.length > 0 ? " at " + at[0] : " (no stack trace: rerun with -XX:-OmitStackTraceInFastThrow to see where)");
    }

    /**
     * Checks a list from {@code enabledActions}: {@code n} actions, each in range, ascending.
     *
     * @throws ModelFailureException naming the first entry that breaks it
     */
    static void checkListed(PackedModel model, int[] listed, int n, long[] words, int off) {
        int actions = model.actions().size();
        if (n > actions) {
            throw new ModelFailureException("enabledActions listed " + n + " actions of " + actions + " in state "
                    + describe(model, words, off), null);
        }
        for (int i = 0; i < n; i++) {
            int a = listed[i];
            if (a < 0 || a >= actions || i > 0 && a <= listed[i - 1]) {
                throw new ModelFailureException("enabledActions listed " + a + " at position " + i
                        + (a < 0 || a >= actions ? ", not an action (0 to " + (actions - 1) + ")"
                        : ", after " + listed[i - 1] + " (the list must be ascending, without repeats)")
                        + " in state " + describe(model, words, off), null);
            }
        }
    }

    private static String name(PackedModel model, int action) {
        if (action >= model.actions().size()) {
            return Integer.toString(action);
        }
        dev.handoff.engine.formalism.Action a = model.actions().get(action);
        return action + " (" + (a.actor().isEmpty() ? a.name() : a) + ")";
    }

    private static String describe(PackedModel model, long[] words, int off) {
        try {
            return model.describe(words, off);
        } catch (RuntimeException e) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < model.stateWords(); i++) {
                b.append(i == 0 ? "" : ", ").append("0x").append(Long.toHexString(words[off + i]));
            }
            return b.append("] (describe threw ").append(e).append(')').toString();
        }
    }
}
