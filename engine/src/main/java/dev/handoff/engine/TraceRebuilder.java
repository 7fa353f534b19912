package dev.handoff.engine;

import dev.handoff.engine.formalism.PackedModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds a path from the parent log and re-validates it by replay: the actions are applied
 * to the initial state through the model again, every step must be enabled, and the last
 * state must have the recorded fingerprint. Only replayed paths leave the engine.
 */
final class TraceRebuilder {
    private final PackedModel model;
    private final ParentLog log;
    private final int words;

    TraceRebuilder(PackedModel model, ParentLog log) {
        this.model = model;
        this.log = log;
        this.words = model.stateWords();
    }

    /** The replayed path from an initial state to state {@code id}, whose fingerprint is {@code fp}. */
    Path rebuild(int id, long fp) {
        List<Integer> reversed = new ArrayList<>();
        long[] e = log.entry(id);
        while (e[0] >= 0) {
            reversed.add((int) e[1]);
            e = log.entry((int) e[0]);
        }
        int root = (int) (-1 - e[0]);
        int[] actions = new int[reversed.size()];
        for (int i = 0; i < actions.length; i++) {
            actions[i] = reversed.get(actions.length - 1 - i);
        }
        Path path = replay(model, root, actions);
        long got = Fingerprints.of(path.last(), 0, words);
        if (got == fp && model instanceof SymmetryReduced r) {
            path = lift(r.base(), path);
        }
        if (got != fp) {
            throw new ReplayDivergedException("replaying the " + actions.length
                    + "-step path ended in a state other than the one the search stored"
                    + " (the model is probably nondeterministic)");
        }
        return path;
    }

    /**
     * A run of {@code base} through the same symmetry classes as {@code canonical}, a path of
     * representatives: from the real initial state, each step takes the first action whose real
     * successor has the recorded representative. The symmetry being an automorphism, one always
     * does; its last state is a real state with the same property values.
     *
     * @throws ReplayDivergedException if no action does (the model's symmetry is not one)
     */
    static Path lift(PackedModel base, Path canonical) {
        int w = base.stateWords();
        List<long[]> states = new ArrayList<>(canonical.length() + 1);
        long[] s = new long[w];
        base.initialState(canonical.initialState(), s, 0);
        states.add(s);
        int[] actions = new int[canonical.length()];
        long[] rep = new long[w];
        for (int i = 0; i < actions.length; i++) {
            long[] want = canonical.states().get(i + 1);
            long[] n = null;
            int first = canonical.actions()[i];
            for (int k = 0; k < base.actions().size() && n == null; k++) {
                int a = (first + k) % base.actions().size();
                long[] t = new long[w];
                if (base.next(s, 0, a, t, 0)) {
                    System.arraycopy(t, 0, rep, 0, w);
                    base.canonicalize(rep, 0);
                    if (java.util.Arrays.equals(rep, want)) {
                        n = t;
                        actions[i] = a;
                    }
                }
            }
            if (n == null) {
                throw new ReplayDivergedException("lifting step " + (i + 1) + " of a symmetry-reduced path: no action of"
                        + " the model reaches the recorded class (the model's symmetry is not an automorphism)");
            }
            states.add(n);
            s = n;
        }
        return new Path(canonical.initialState(), actions, states);
    }

    /**
     * Applies {@code actions} from initial state {@code root}.
     *
     * @throws ReplayDivergedException if a step is not enabled
     */
    static Path replay(PackedModel model, int root, int[] actions) {
        int w = model.stateWords();
        List<long[]> states = new ArrayList<>(actions.length + 1);
        long[] s = new long[w];
        model.initialState(root, s, 0);
        states.add(s);
        for (int i = 0; i < actions.length; i++) {
            long[] n = new long[w];
            if (!model.next(s, 0, actions[i], n, 0)) {
                throw new ReplayDivergedException("replay step " + (i + 1) + ": action "
                        + model.actions().get(actions[i]) + " is not enabled in the state the search reached"
                        + " (the model is probably nondeterministic)");
            }
            states.add(n);
            s = n;
        }
        return new Path(root, actions, states);
    }
}
