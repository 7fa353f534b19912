package dev.handoff.counterexamples;

import dev.handoff.engine.formalism.Action;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.handoff.StateFields;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.smmu.FetchOutcome;
import dev.handoff.model.smmu.Resolver;
import dev.handoff.properties.HandoffProperties;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run built one chosen step at a time ({@code handoff explore}'s "take an action"): the steps
 * are re-executed on the model from its initial state, so whatever is shown (changes, functions,
 * witness, explanation) is the model's, and the run is written as a trace file that
 * {@code handoff replay} accepts.
 */
public final class Interleavings {
    private Interleavings() {
    }

    /** A step by actor and action name, as trace files name them. */
    public record Taken(String actor, String action) {
    }

    /** An action enabled where the run stands, with the kernel function (or firmware step) it stands for. */
    public record Enabled(String actor, String action, String function) {
    }

    /**
     * The run: its trace file (for {@code property}), the actions enabled at its end, the
     * properties its last state violates, and whether it may end there ({@code isTerminal}: a
     * failure latched, or every kernel step done).
     */
    public record Run(TraceFile file, List<Enabled> enabled, List<String> violated, boolean terminal,
                      HandoffModel model, List<HandoffState> states) {
    }

    /** A step that is not a run of the model: {@code index} counts from 1, like trace steps. */
    public static final class NotARunException extends RuntimeException {
        private final int index;

        NotARunException(int index, String message) {
            super(message);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }

    /**
     * Re-executes {@code steps} on {@code model}. {@code property} names the property the trace
     * file is written for; null picks the first one (in catalogue order) the last state
     * violates, or {@code no-dma-fault} when it violates none.
     *
     * @throws NotARunException when a step names no action of this model or one not enabled
     */
    public static Run run(HandoffModel model, List<Taken> steps, String property) {
        List<HandoffState> states = new ArrayList<>();
        HandoffState s = model.initialStates().get(0);
        states.add(s);
        int[] actions = new int[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            Taken t = steps.get(i);
            int a = model.actionIndex(t.actor(), t.action());
            if (a < 0) {
                throw new NotARunException(i + 1, "step " + (i + 1) + " (" + t.actor() + ": " + t.action()
                        + "): this scenario's model has no such action");
            }
            HandoffState n = model.next(s, a);
            if (n == null) {
                throw new NotARunException(i + 1, "step " + (i + 1) + " (" + t.actor() + ": " + t.action()
                        + "): not enabled in the state the previous steps reached");
            }
            actions[i] = a;
            states.add(n);
            s = n;
        }
        List<String> violated = new ArrayList<>();
        for (HandoffProperties.Info p : HandoffProperties.catalog()) {
            if (Violations.violated(model, p.name(), s)) {
                violated.add(p.name());
            }
        }
        String shownFor = property != null ? property : violated.isEmpty() ? HandoffProperties.NO_DMA_FAULT : violated.get(0);
        Trace trace = HandoffTraces.build(model, shownFor, states, actions);
        boolean bad = Violations.violated(model, shownFor, s);
        TraceFile file = new TraceFile(model.scenario(), model.pruning(), Violations.kind(shownFor), StateFields.of(model, states.get(0)),
                trace, trace.steps(), bad ? Explainer.explain(model, trace, states) : "", bad ? Explainer.rootCause(model, trace, states) : "");
        List<Enabled> enabled = new ArrayList<>();
        for (int a = 0; a < model.actions().size(); a++) {
            if (model.next(s, a) != null) {
                Action x = model.actions().get(a);
                enabled.add(new Enabled(x.actor(), x.name(), model.citation(a)));
            }
        }
        return new Run(file, List.copyOf(enabled), List.copyOf(violated), model.isTerminal(s), model, List.copyOf(states));
    }

    /**
     * One route of a resolution, for people: {@code route}, its kind ({@code bypass}: untranslated,
     * {@code walk}: translated, {@code abort}), the failures, the physical address (or null).
     */
    public record Resolution(String route, String kind, List<String> outcomes, String pa) {
    }

    /**
     * Where stream {@code sid} at byte address {@code iova} goes after step {@code at} of the run
     * (0: the initial state), one entry per route the SMMU can take.
     */
    public static List<Resolution> resolve(Run run, int at, int sid, long iova) {
        if (at < 0 || at >= run.states().size()) {
            throw new IllegalArgumentException("step " + at + " is not in this run (0 to " + (run.states().size() - 1) + ")");
        }
        long page = Math.floorDiv(iova, Platform.PAGE);
        long offset = Math.floorMod(iova, Platform.PAGE);
        List<Resolution> out = new ArrayList<>();
        for (Resolver.PageRoute r : run.model().resolve(run.states().get(at), sid, page)) {
            List<String> outcomes = r.outcomes().stream().map(FetchOutcome::label).toList();
            out.add(new Resolution(r.why(), r.kind(), outcomes, r.paPage() < 0 ? null
                    : "0x" + Long.toHexString(r.paPage() * Platform.PAGE + offset).toLowerCase(Locale.ROOT)));
        }
        return out;
    }
}
