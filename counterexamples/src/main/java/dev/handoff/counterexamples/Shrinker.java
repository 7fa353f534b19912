package dev.handoff.counterexamples;

import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a counterexample simplest after breadth-first search made it shortest: drops the steps
 * the violation does not need (Zeller's delta debugging, ddmin) and then reorders independent
 * steps so that each actor's steps stay together (fewest switches between actors). Every
 * candidate is re-validated by replaying it through the model; the violating last step stays
 * last. Running time O(n² · r) for n steps and a replay cost r, which is small for traces of a
 * few dozen steps.
 */
public final class Shrinker {
    private final HandoffModel model;
    private final String property;

    public Shrinker(HandoffModel model, String property) {
        this.model = model;
        this.property = property;
    }

    /** The states a sequence of actions visits, or {@code null} if some action is not enabled. */
    public List<HandoffState> run(List<Integer> actions) {
        List<HandoffState> states = new ArrayList<>(actions.size() + 1);
        HandoffState s = model.initialStates().get(0);
        states.add(s);
        for (int a : actions) {
            s = model.next(s, a);
            if (s == null) {
                return null;
            }
            states.add(s);
        }
        return states;
    }

    /** True when the actions form a run that ends violating the property. */
    public boolean violates(List<Integer> actions) {
        List<HandoffState> st = run(actions);
        return st != null && Violations.violated(model, property, st.get(st.size() - 1));
    }

    /** Delta debugging, then grouping by actor. {@code actions} must violate the property. */
    public List<Integer> shrink(List<Integer> actions) {
        if (!violates(actions)) {
            throw new IllegalArgumentException("the trace to shrink does not violate " + property);
        }
        return group(ddmin(actions));
    }

    /** Zeller and Hildebrandt's ddmin over the steps before the last one. */
    List<Integer> ddmin(List<Integer> actions) {
        List<Integer> body = new ArrayList<>(actions.subList(0, actions.size() - 1));
        int last = actions.get(actions.size() - 1);
        int n = 2;
        while (body.size() >= 2) {
            int chunk = (int) Math.ceil(body.size() / (double) n);
            boolean reduced = false;
            for (int start = 0; start < body.size(); start += chunk) {
                List<Integer> complement = new ArrayList<>(body.subList(0, start));
                complement.addAll(body.subList(Math.min(body.size(), start + chunk), body.size()));
                complement.add(last);
                if (violates(complement)) {
                    body = complement.subList(0, complement.size() - 1);
                    n = Math.max(n - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (n >= body.size()) {
                    break;
                }
                n = Math.min(n * 2, body.size());
            }
        }
        if (body.size() == 1) {
            List<Integer> only = List.of(last);
            if (violates(only)) {
                body = List.of();
            }
        }
        List<Integer> out = new ArrayList<>(body);
        out.add(last);
        return out;
    }

    /**
     * Bubbles a step leftwards past steps of other actors while that brings it next to its own
     * actor's previous step, the run stays valid and ends in the same state.
     */
    List<Integer> group(List<Integer> actions) {
        List<Integer> cur = new ArrayList<>(actions);
        HandoffState end = last(run(cur));
        boolean moved = true;
        while (moved) {
            moved = false;
            for (int i = 1; i < cur.size() - 1; i++) {
                String actor = actor(cur.get(i));
                if (actor.equals(actor(cur.get(i - 1)))) {
                    continue;
                }
                int j = i - 1;
                while (j >= 0 && !actor(cur.get(j)).equals(actor)) {
                    j--;
                }
                if (j < 0) {
                    continue;
                }
                List<Integer> cand = new ArrayList<>(cur);
                int a = cand.remove(i);
                cand.add(j + 1, a);
                List<HandoffState> st = run(cand);
                if (st != null && last(st).equals(end) && switches(cand) < switches(cur)) {
                    cur = cand;
                    moved = true;
                }
            }
        }
        return cur;
    }

    private String actor(int action) {
        return model.actions().get(action).actor();
    }

    /** Number of adjacent steps taken by different actors. */
    public int switches(List<Integer> actions) {
        int s = 0;
        for (int i = 1; i < actions.size(); i++) {
            if (!actor(actions.get(i)).equals(actor(actions.get(i - 1)))) {
                s++;
            }
        }
        return s;
    }

    private static HandoffState last(List<HandoffState> st) {
        return st.get(st.size() - 1);
    }
}
