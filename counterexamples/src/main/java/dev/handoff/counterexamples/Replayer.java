package dev.handoff.counterexamples;

import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.handoff.StateFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Re-executes a trace against the model rebuilt from its scenario and checks every recorded
 * change, as stateright does with its action-index traces: a step that is not enabled, or that
 * changes other fields than recorded, is a divergence, named by step, action and field.
 */
public final class Replayer {
    private Replayer() {
    }

    /** What a replay found. */
    public sealed interface Result {
        /** The trace is a real run and ends in a state that violates its property. */
        record Reproduced(String property, String kind, TraceFile derived) implements Result {
        }

        /** The trace is a real run, but its last state violates nothing. */
        record NoViolation(String property, TraceFile derived) implements Result {
        }

        /** The trace is not a run of this model. {@code step} is 0 for the initial state. */
        record Diverged(int step, String action, String detail) implements Result {
        }
    }

    /**
     * Replays {@code f} and checks every field the model derives from its steps: each step's
     * changes, function and choice (the action's name) and, when the run still violates, the
     * witness, the explanation and the root cause (an edited file diverges; a field an older file
     * lacks is not compared). A non-diverged
     * result carries {@link Result#derived() the file as the model gives it}, which is what a
     * caller shows: nothing printed comes from the file unchecked.
     */
    public static Result replay(TraceFile f) {
        HandoffModel model = new HandoffModel(f.scenario(), f.pruning());
        String property = f.trace().property();
        HandoffState s = model.initialStates().get(0);
        List<Map<String, String>> fields = StateFields.sections(model, s, null, null);
        Map<String, String> all = new java.util.LinkedHashMap<>();
        fields.forEach(all::putAll);
        String diff = compareInitial(f.initial(), all);
        if (diff != null) {
            return new Result.Diverged(0, "initial state", diff);
        }
        List<HandoffState> states = new ArrayList<>();
        states.add(s);
        int[] actions = new int[f.trace().steps().size()];
        int i = 0;
        for (Trace.Step step : f.trace().steps()) {
            Object next = advance(model, s, step);
            if (next instanceof Result.Diverged d) {
                return d;
            }
            actions[i++] = model.actionIndex(step.actor(), step.action());
            HandoffState n = (HandoffState) next;
            List<Map<String, String>> after = StateFields.sections(model, n, s, fields);
            String d = compareChanges(step.changes(), changes(fields, after));
            if (d != null) {
                return new Result.Diverged(step.index(), step.actor() + ": " + step.action(), d);
            }
            states.add(n);
            s = n;
            fields = after;
        }
        Trace shown = HandoffTraces.build(model, property, states, actions);
        for (int k = 0; k < shown.steps().size(); k++) {
            Trace.Step mine = shown.steps().get(k);
            Trace.Step theirs = f.trace().steps().get(k);
            if (theirs.index() != mine.index()) {
                return new Result.Diverged(theirs.index(), theirs.actor() + ": " + theirs.action(),
                        "the file numbers it " + theirs.index() + "; it is step " + mine.index());
            }
            if (theirs.function() != null && !theirs.function().equals(mine.function())) {
                return new Result.Diverged(mine.index(), mine.actor() + ": " + mine.action(),
                        "the file names the function \"" + theirs.function() + "\"; the model's is \"" + mine.function() + "\"");
            }
        }
        List<Trace.Step> original = f.original();
        if (!original.equals(f.trace().steps())) {
            // the search's own order: it must be a run too, and is shown as the model records it
            List<HandoffState> seen = new ArrayList<>(List.of(model.initialStates().get(0)));
            int[] taken = new int[original.size()];
            for (int k = 0; k < taken.length; k++) {
                Object next = advance(model, seen.get(k), original.get(k));
                if (next instanceof Result.Diverged d) {
                    return new Result.Diverged(d.step(), "original " + d.action(), d.detail());
                }
                taken[k] = model.actionIndex(original.get(k).actor(), original.get(k).action());
                seen.add((HandoffState) next);
            }
            original = HandoffTraces.build(model, "", seen, taken).steps();
        } else {
            original = shown.steps();
        }
        boolean violated = Violations.violated(model, property, s);
        String explanation = violated ? Explainer.explain(model, shown, states) : "";
        String cause = violated ? Explainer.rootCause(model, shown, states) : "";
        // a run that no longer violates (a trimmed file) has no witness, explanation or cause: the
        // file's describe a violation these steps do not reach, and only the model's are shown
        String w = violated ? compareWitness(f.trace().witness(), shown.witness()) : null;
        if (w != null) {
            return new Result.Diverged(shown.steps().size(), "witness", w);
        }
        if (violated && !f.explanation().isEmpty() && !f.explanation().equals(explanation)) {
            return new Result.Diverged(shown.steps().size(), "explanation", "the file's explanation is not the one its steps give");
        }
        if (violated && !f.rootCause().isEmpty() && !f.rootCause().equals(cause)) {
            return new Result.Diverged(shown.steps().size(), "rootCause", "the file says \"" + f.rootCause()
                    + "\"; its steps give \"" + cause + "\"");
        }
        TraceFile derived = new TraceFile(f.scenario(), f.pruning(), Violations.kind(property), StateFields.of(model, states.get(0)),
                shown, original, explanation, cause);
        return violated ? new Result.Reproduced(property, Violations.kind(property), derived) : new Result.NoViolation(property, derived);
    }

    /** Where the file's witness differs from the model's, or null; a field the file leaves null is not compared. */
    private static String compareWitness(Trace.WitnessInfo theirs, Trace.WitnessInfo mine) {
        if (theirs == null) {
            return null;
        }
        if (mine == null) {
            return "the file shows a witness (" + theirs.outcome() + "); the last step has none";
        }
        String[][] pairs = {
            {"outcome", theirs.outcome(), mine.outcome()},
            {"sid", theirs.sid(), mine.sid()},
            {"iova", theirs.iova(), mine.iova()},
            {"pa", theirs.pa(), mine.pa()},
            {"report", theirs.report(), mine.report()},
            {"bank", theirs.bank() == null ? null : theirs.bank().toString(), mine.bank() == null ? "none" : mine.bank().toString()},
            {"logged", theirs.logged() == null ? null : theirs.logged().toString(), String.valueOf(mine.logged())},
            {"path", theirs.path(), mine.path()},
        };
        for (String[] p : pairs) {
            if (p[1] != null && !p[1].equals(p[2])) {
                return "witness." + p[0] + " is \"" + p[1] + "\" in the file; the model gives \"" + p[2] + "\"";
            }
        }
        return null;
    }

    /**
     * Re-executes a trace's actions, by actor and action name, on another model (the scenario
     * with some knobs changed) without comparing the recorded changes: whether the same steps
     * are a run of that model and still end in a state that violates the trace's property. The
     * fix search uses it to test whether a counterexample survives a change.
     */
    public static Result reexecute(HandoffModel model, Trace trace) {
        HandoffState s = model.initialStates().get(0);
        for (Trace.Step step : trace.steps()) {
            Object next = advance(model, s, step);
            if (next instanceof Result.Diverged d) {
                return d;
            }
            s = (HandoffState) next;
        }
        return Violations.violated(model, trace.property(), s) ? new Result.Reproduced(trace.property(), Violations.kind(trace.property()), null)
                : new Result.NoViolation(trace.property(), null);
    }

    /** The state after the step's action (by actor and name), or the {@link Result.Diverged} saying why there is none. */
    private static Object advance(HandoffModel model, HandoffState s, Trace.Step step) {
        int a = model.actionIndex(step.actor(), step.action());
        if (a < 0) {
            return new Result.Diverged(step.index(), step.actor() + ": " + step.action(), "the model of this scenario has no such action");
        }
        HandoffState n = model.next(s, a);
        return n != null ? n : new Result.Diverged(step.index(), step.actor() + ": " + step.action(),
                "the action is not enabled in the state the previous steps reached");
    }

    /**
     * The fields that differ between two states given as {@link StateFields#sections}, in field
     * order; a section that is the same map in both is skipped unread.
     */
    public static List<Trace.Change> changes(List<Map<String, String>> before, List<Map<String, String>> after) {
        List<Trace.Change> out = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            if (before.get(i) != after.get(i)) {
                out.addAll(changes(before.get(i), after.get(i)));
            }
        }
        return out;
    }

    /** The fields that differ between two field maps, in field order; "-" stands for a field not yet there. */
    public static List<Trace.Change> changes(Map<String, String> before, Map<String, String> after) {
        List<Trace.Change> out = new ArrayList<>();
        for (Map.Entry<String, String> e : after.entrySet()) {
            String old = before.getOrDefault(e.getKey(), "-");
            if (!e.getValue().equals(old)) {
                out.add(new Trace.Change(e.getKey(), old, e.getValue()));
            }
        }
        return out;
    }

    private static String compareInitial(Map<String, String> recorded, Map<String, String> actual) {
        TreeSet<String> keys = new TreeSet<>(recorded.keySet());
        keys.addAll(actual.keySet());
        for (String k : keys) {
            if (!Objects.equals(recorded.get(k), actual.get(k))) {
                return "field " + k + ": recorded " + recorded.get(k) + ", the model starts with " + actual.get(k);
            }
        }
        return null;
    }

    private static String compareChanges(List<Trace.Change> recorded, List<Trace.Change> actual) {
        for (Trace.Change r : recorded) {
            Trace.Change a = actual.stream().filter(c -> c.field().equals(r.field())).findFirst().orElse(null);
            if (a == null) {
                return "recorded change " + r.field() + " " + r.from() + " -> " + r.to() + " does not happen";
            }
            if (!a.equals(r)) {
                return "field " + r.field() + ": recorded " + r.from() + " -> " + r.to() + ", replay gives "
                        + a.from() + " -> " + a.to();
            }
        }
        for (Trace.Change a : actual) {
            if (recorded.stream().noneMatch(c -> c.field().equals(a.field()))) {
                return "replay also changes " + a.field() + " " + a.from() + " -> " + a.to() + ", which the trace does not record";
            }
        }
        return null;
    }
}
