package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationResult;
import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.Explorer;
import dev.handoff.engine.Reduction;
import dev.handoff.engine.PropertyResult;
import dev.handoff.engine.SearchListener;
import dev.handoff.engine.Statistics;
import dev.handoff.engine.Verdict;
import dev.handoff.counterexamples.Counterexamples;
import dev.handoff.counterexamples.Trace;
import dev.handoff.counterexamples.TraceFile;
import dev.handoff.engine.formalism.Models;
import dev.handoff.engine.formalism.PackedModel;
import dev.handoff.engine.formalism.PackedModels;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.smmu.FetchOutcome;
import dev.handoff.properties.HandoffProperties;

import java.util.ArrayList;
import java.util.List;

/** Checks one scenario: builds the model, runs the engine, turns paths into traces. */
final class HandoffCheck {
    /**
     * One property's outcome, with its (shrunk, explained) traces when violated, the shortest
     * first, and the worst severity its violations reach (null when it holds or has no
     * severities). When the shortest trace is milder than the worst reachable severity, the
     * shortest trace of that severity follows it.
     */
    record PropertyOutcome(String name, Verdict verdict, List<TraceFile> files, FetchOutcome severity) {
        PropertyOutcome {
            files = List.copyOf(files);
        }

        PropertyOutcome(String name, Verdict verdict, List<TraceFile> files) {
            this(name, verdict, files, null);
        }

        /** Whether this outcome fails a gate at {@code level}. */
        boolean fails(FailOn level) {
            if (verdict != Verdict.VIOLATED) {
                return false;
            }
            return level == FailOn.ANY || severity != null && severity.rank() >= level.outcome().rank();
        }

        TraceFile file() {
            return files.isEmpty() ? null : files.get(0);
        }

        Trace trace() {
            return files.isEmpty() ? null : files.get(0).trace();
        }
    }

    /** Candidate violating states kept per requested counterexample, to find distinct root causes among. */
    static final int POOL = 8;

    /**
     * @param fetchEvaluations  fetch transitions decided by constraints
     * @param naiveBranches     the (stream ID, page, outcome) branches naive enumeration would have taken instead
     * @param statesSaved       distinct states naive enumeration would have added (-1: not counted)
     * @param statesSavedNote   why it was not counted, or null
     * @param constraintQueries questions to the constraint adapter; {@code constraintSolves} of them needed choco
     */
    record Pruning(boolean enabled, long fetchEvaluations, long naiveBranches, long statesSaved, String statesSavedNote,
                   long constraintQueries, long constraintSolves) {
    }

    /**
     * @param reduction       what the search cut ({@link Reduction#label()})
     * @param unreducedStates distinct states of the unreduced search when the run was cross-checked, else -1
     * @param classes         the model's classes of interchangeable clients, as client labels
     */
    record Reduced(String reduction, long unreducedStates, List<List<String>> classes) {
        static final Reduced NONE = new Reduced("none", -1, List.of());
    }

    record Outcome(Scenario scenario, List<PropertyOutcome> properties, Statistics stats, String stopReason,
                   Pruning pruning, Reduced reduced) {
        /** A label for reports: platform, policy and the knobs given on top of it. */
        String label(java.util.Map<String, String> shown) {
            StringBuilder sb = new StringBuilder(scenario.platform().name());
            sb.append(' ').append(scenario.policy() == null ? "(no policy)" : scenario.policy());
            shown.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            return sb.toString();
        }

        Verdict verdict() {
            if (properties.stream().anyMatch(p -> p.verdict() == Verdict.VIOLATED)) {
                return Verdict.VIOLATED;
            }
            if (stopReason != null || properties.stream().anyMatch(p -> p.verdict() == Verdict.INCONCLUSIVE)) {
                return Verdict.INCONCLUSIVE;
            }
            return Verdict.HOLDS;
        }

        int exitCode() {
            return exitCode(FailOn.ANY);
        }

        /** The exit code when violations below {@code level} do not fail the run (they are still reported). */
        int exitCode(FailOn level) {
            boolean deadlock = false;
            for (PropertyOutcome p : properties) {
                if (p.fails(level)) {
                    if (!p.name().equals(HandoffProperties.HANDOFF_COMPLETES)) {
                        return ExitCode.SAFETY_VIOLATED;
                    }
                    deadlock = true;
                }
            }
            if (deadlock) {
                return ExitCode.DEADLOCK;
            }
            return verdict() == Verdict.INCONCLUSIVE ? ExitCode.INCONCLUSIVE : ExitCode.HOLDS;
        }
    }

    private HandoffCheck() {
    }

    static Outcome run(Scenario scenario, List<String> propertyNames, boolean pruning, ExplorationSettings settings,
                       SearchListener listener) {
        return run(scenario, propertyNames, pruning, 1, settings, listener);
    }

    static Outcome run(Scenario scenario, List<String> propertyNames, boolean pruning, int counterexamples,
                       ExplorationSettings settings, SearchListener listener) {
        return run(scenario, propertyNames, pruning, false, counterexamples, settings, listener);
    }

    static Outcome run(Scenario scenario, List<String> propertyNames, boolean pruning, boolean countSaved, int counterexamples,
                       ExplorationSettings settings, SearchListener listener) {
        return run(scenario, propertyNames, pruning, countSaved, counterexamples, settings, listener, false);
    }

    /**
     * A check the run's deadline ({@code --time-limit}) passed before it began: every property
     * INCONCLUSIVE, nothing explored, and no model built (a board with hundreds of cells ends on
     * time instead of building each one to stop it at once).
     */
    static Outcome notStarted(Scenario scenario, List<String> propertyNames, boolean pruning) {
        List<PropertyOutcome> ps = new java.util.ArrayList<>();
        for (String n : dev.handoff.properties.HandoffProperties.resolve(propertyNames)) {
            ps.add(new PropertyOutcome(n, Verdict.INCONCLUSIVE, List.of(), null));
        }
        return new Outcome(scenario, ps, new Statistics(0, 0, 0, 0, 0, 0, 1, new long[0], 0),
                "time limit reached before this check started (--time-limit)",
                new Pruning(pruning, 0, 0, 0, null, 0, 0), Reduced.NONE);
    }

    /**
     * @param countSaved count the states pruning saved (costly: {@link HandoffModel#statesSaved})
     * @param counterexamples how many distinct counterexamples to build per violated property; 0
     *                        builds none (verdicts and severities only: no trace is shrunk or explained)
     * @param crossCheck with a reduction, run unreduced as well and fail if a verdict differs
     * @throws CrossCheckException if the reduced and unreduced runs disagree
     */
    static Outcome run(Scenario scenario, List<String> propertyNames, boolean pruning, boolean countSaved, int counterexamples,
                       ExplorationSettings settings, SearchListener listener, boolean crossCheck) {
        if (settings.deadline() != null && !java.time.Instant.now().isBefore(settings.deadline())) {
            return notStarted(scenario, propertyNames, pruning);
        }
        Outcome o = runOnce(scenario, propertyNames, pruning, countSaved, counterexamples, settings, listener);
        if (!crossCheck || settings.reduction() == Reduction.NONE) {
            return o;
        }
        Outcome full = runOnce(scenario, propertyNames, pruning, false, counterexamples,
                settings.withReduction(Reduction.NONE), SearchListener.NONE);
        for (int i = 0; i < o.properties().size(); i++) {
            PropertyOutcome a = o.properties().get(i);
            PropertyOutcome b = full.properties().get(i);
            if (a.verdict() != b.verdict() || a.severity() != b.severity()) {
                throw new CrossCheckException("cross-check failed on " + scenario.platform().name() + " "
                        + scenario.policy() + " " + scenario.knobs() + ": " + a.name() + " is " + describe(a) + " with "
                        + settings.reduction().label() + " reduction but " + describe(b) + " without");
            }
        }
        return new Outcome(o.scenario(), o.properties(), o.stats(), o.stopReason(), o.pruning(),
                new Reduced(o.reduced().reduction(), full.stats().distinctStates(), o.reduced().classes()));
    }

    private static String describe(PropertyOutcome p) {
        return p.verdict().name() + (p.severity() == null ? "" : ":" + p.severity().label());
    }

    /** The reduced and the unreduced search of a cross-check gave different verdicts: a bug in a reduction. */
    static final class CrossCheckException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CrossCheckException(String message) {
            super(message);
        }
    }

    private static Outcome runOnce(Scenario scenario, List<String> propertyNames, boolean pruning, boolean countSaved,
                                   int counterexamples, ExplorationSettings settings, SearchListener listener) {
        List<String> names = HandoffProperties.resolve(propertyNames);
        HandoffModel model = new HandoffModel(scenario, pruning, countSaved);
        List<dev.handoff.engine.formalism.Property<dev.handoff.model.handoff.HandoffState>> invariants =
                new ArrayList<>(HandoffProperties.invariants(model, names));
        invariants.addAll(HandoffProperties.severityInvariants());
        invariants.add(HandoffProperties.finishesWithModeset(model));
        PackedModel packed = PackedModels.of(Models.withProperties(model, invariants));
        boolean liveness = names.contains(HandoffProperties.HANDOFF_COMPLETES);
        long[] counters = new long[4];
        SearchListener snapshot = new SearchListener() {
            @Override
            public void started(ExplorationSettings s) {
                listener.started(s);
            }

            @Override
            public void progress(Progress p) {
                listener.progress(p);
            }

            @Override
            public void finished(Progress last) {
                // before traces are replayed, which evaluates some fetches again
                counters[0] = model.fetchEvaluations();
                counters[1] = model.statesSaved();
                counters[2] = model.constraints().queries();
                counters[3] = model.constraints().solves();
                listener.finished(last);
            }
        };
        ExplorationResult r = Explorer.explore(packed, settings.withCheckDeadlock(liveness)
                .withCounterexamples(counterexamples <= 1 ? 1 : counterexamples * POOL), snapshot);
        if (r.internalError() != null) {
            throw new dev.handoff.engine.ReplayDivergedException(r.internalError());
        }
        List<PropertyOutcome> out = new ArrayList<>();
        for (String n : names) {
            if (n.equals(HandoffProperties.HANDOFF_COMPLETES)) {
                PropertyResult unfinished = r.property(HandoffProperties.FINISHES_WITH_MODESET).orElseThrow();
                int[] path = r.deadlock() != null ? r.deadlock().actions()
                        : unfinished.verdict() == Verdict.VIOLATED ? unfinished.paths().get(0).actions() : null;
                Verdict v = path != null ? Verdict.VIOLATED : r.limitReached() ? Verdict.INCONCLUSIVE : Verdict.HOLDS;
                out.add(new PropertyOutcome(n, v, path == null || counterexamples == 0 ? List.of() : List.of(Counterexamples.make(model, n, path))));
                continue;
            }
            PropertyResult p = r.property(n).orElseThrow();
            List<int[]> paths = p.paths().stream().map(dev.handoff.engine.Path::actions).toList();
            List<TraceFile> files = new ArrayList<>(Counterexamples.distinct(model, n, paths, counterexamples));
            FetchOutcome worst = null;
            for (FetchOutcome o : HandoffProperties.severities(n)) {
                PropertyResult sev = r.property(HandoffProperties.severityInvariant(o)).orElseThrow();
                if (sev.verdict() == Verdict.VIOLATED && p.verdict() == Verdict.VIOLATED) {
                    worst = o;
                    boolean shown = files.stream().anyMatch(f -> f.trace().witness() != null
                            && f.trace().witness().outcome().equals(o.label()));
                    if (!shown && !sev.paths().isEmpty() && counterexamples > 0) {
                        files.add(Counterexamples.make(model, n, sev.paths().get(0).actions()));
                    }
                    break;
                }
            }
            out.add(new PropertyOutcome(n, p.verdict(), files, worst));
        }
        Pruning pr = new Pruning(pruning, counters[0], counters[0] * model.naiveBranchesPerFetch(), counters[1],
                model.statesSavedNote(), counters[2], counters[3]);
        Reduced red = settings.reduction() == Reduction.NONE ? Reduced.NONE : new Reduced(settings.reduction().label(), -1,
                model.symmetryClasses().stream().map(c -> java.util.Arrays.stream(c)
                        .mapToObj(i -> model.config().clients().get(i).label()).toList()).toList());
        return new Outcome(scenario, out, r.statistics(), r.stopReason(), pr, red);
    }

}
