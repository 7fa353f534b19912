package dev.handoff.engine;

import dev.handoff.engine.formalism.PackedModel;
import dev.handoff.engine.formalism.PropertyKind;
import dev.handoff.engine.formalism.PropertySpec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The exploration engine's entry point: explores a {@link PackedModel} under
 * {@link ExplorationSettings} and reports every property's verdict with replayed paths.
 *
 * <p>Generic: it knows states only as words, actions only as indices and names, properties
 * only as bits. Thread-safe; each call is an independent run.
 */
public final class Explorer {
    private Explorer() {
    }

    /** Explores with no listener. */
    public static ExplorationResult explore(PackedModel model, ExplorationSettings settings) {
        return explore(model, settings, SearchListener.NONE);
    }

    /**
     * Explores the model.
     *
     * A path that does not replay (a nondeterministic model) is left out and named in
     * {@link ExplorationResult#internalError}; everything else found is reported.
     * @throws IllegalArgumentException if the model declares no initial state, no action or too many properties
     */
    public static ExplorationResult explore(PackedModel model, ExplorationSettings settings, SearchListener listener) {
        validate(model);
        // the check inside the reduction: it sees each successor before it is made canonical (a
        // codec is checked on the state next produced), and the reduction's calls to canonicalize
        if (settings.checkDeterminism()) {
            model = new DeterminismChecked(model);
        }
        if (settings.reduction().symmetry()) {
            model = SymmetryReduced.of(model);
        }
        SearchContext ctx = new SearchContext(model, settings);
        listener.started(settings);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "handoff-progress");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, settings.progressInterval().toMillis());
        ticker.scheduleAtFixedRate(() -> listener.progress(ctx.progress()), period, period, TimeUnit.MILLISECONDS);
        Search search = settings.strategy() == SearchStrategy.DFS ? new DepthFirstSearch(ctx) : new BreadthFirstSearch(ctx);
        String impure = null;
        try {
            search.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.halt("interrupted");
        } catch (ReplayDivergedException e) {
            // --check-determinism caught the model: what was found so far is still reported
            impure = e.getMessage();
            ctx.halt("internal error: the model is not deterministic");
        } catch (ModelFailureException e) {
            impure = e.getMessage();
            ctx.halt("internal error: the model failed");
        } catch (CapacityExceededException e) {
            ctx.onResourceFailure(e);
        } catch (RuntimeException e) {
            // a model method called outside a state's expansion (an initial state, a property of a
            // buffered successor), or the engine itself: still everything known is reported
            impure = "the search failed: " + ModelFailureException.origin(e);
            ctx.halt("internal error: the search failed");
        } finally {
            ticker.shutdownNow();
        }
        boolean exhausted = search.exhausted();
        int maxDepth = search.maxDepth();
        long[] firings = search.firings();
        double seconds = (System.nanoTime() - ctx.startNanos) / 1e9;
        ctx.settle();
        SearchListener.Progress last = new SearchListener.Progress(ctx.visited.size(), ctx.transitions.get(),
                maxDepth, 0, seconds);
        listener.finished(last);
        return result(ctx, exhausted, maxDepth, firings, seconds, impure);
    }

    private static void validate(PackedModel model) {
        if (model.stateWords() < 1) {
            throw new IllegalArgumentException("a model's states need at least one word");
        }
        if (model.initialStateCount() < 1) {
            throw new IllegalArgumentException("a model needs at least one initial state");
        }
        if (model.actions() == null) {
            throw new IllegalArgumentException("the model's actions() returned null");
        }
        if (model.actions().isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one action");
        }
        if (model.properties() == null) {
            throw new IllegalArgumentException("the model's properties() returned null (an empty list, if none)");
        }
        if (model.properties().size() > PackedModel.MAX_PROPERTIES) {
            throw new IllegalArgumentException("a model may declare at most " + PackedModel.MAX_PROPERTIES + " properties");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (PropertySpec p : model.properties()) {
            if (p == null || p.name() == null) {
                throw new IllegalArgumentException("the model's properties() holds a null property or a property without a name");
            }
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("a model's property names must differ: " + p.name() + " is declared twice");
            }
        }
    }

    private static ExplorationResult result(SearchContext ctx, boolean exhausted, int maxDepth, long[] firings,
                                            double seconds, String impure) {
        TraceRebuilder rebuilder = new TraceRebuilder(ctx.model, ctx.log);
        List<PropertySpec> specs = ctx.model.properties();
        List<PropertyResult> results = new ArrayList<>(specs.size());
        String internalError = impure;
        for (int i = 0; i < specs.size(); i++) {
            PropertySpec spec = specs.get(i);
            List<Path> paths = new ArrayList<>();
            List<SearchContext.Candidate> found = ctx.found(i);
            for (SearchContext.Candidate c : found) {
                try {
                    Path p = rebuilder.rebuild(c.id(), c.fp());
                    checkReplayed(ctx.model, spec, i, p);
                    paths.add(p);
                } catch (ReplayDivergedException e) {
                    // keep what is known: the verdict the search reached, the paths that replayed
                    internalError = internalError == null ? e.getMessage() : internalError;
                } catch (RuntimeException e) {
                    // the model threw while its path was replayed: as above
                    internalError = internalError == null ? replayFailed("property " + spec.name(), e) : internalError;
                }
            }
            boolean seen = !found.isEmpty();
            Verdict v;
            if (spec.kind() == PropertyKind.ALWAYS) {
                v = seen ? Verdict.VIOLATED : exhausted ? Verdict.HOLDS : Verdict.INCONCLUSIVE;
            } else {
                v = seen ? Verdict.HOLDS : exhausted ? Verdict.VIOLATED : Verdict.INCONCLUSIVE;
            }
            results.add(new PropertyResult(spec, v, paths));
        }
        SearchContext.Candidate d = ctx.deadlock();
        Path deadlock = null;
        if (d != null) {
            try {
                deadlock = rebuilder.rebuild(d.id(), d.fp());
            } catch (ReplayDivergedException e) {
                internalError = internalError == null ? e.getMessage() : internalError;
            } catch (RuntimeException e) {
                internalError = internalError == null ? replayFailed("the deadlock", e) : internalError;
            }
        }
        long distinct = ctx.visited.size();
        Statistics stats = new Statistics(distinct, ctx.transitions.get(), maxDepth, seconds,
                ctx.visited.bytes(), ctx.log.bytes(), ctx.settings.effectiveWorkers(), firings,
                ctx.settings.store() == StoreMode.FINGERPRINT ? Fingerprints.collisionProbability(distinct) : 0);
        return new ExplorationResult(results, deadlock, ctx.stopReason(), stats, internalError, exhausted);
    }

    private static String replayFailed(String what, RuntimeException e) {
        return "replaying the path to " + what + " failed: " + ModelFailureException.origin(e)
                + " (the search did not fail there: the model is probably not a pure function of the state)";
    }

    /** The replayed last state must still decide the property as the search saw it. */
    private static void checkReplayed(PackedModel model, PropertySpec spec, int bit, Path path) {
        boolean predicate = (model.evaluate(path.last(), 0) >>> bit & 1) != 0;
        boolean expected = spec.kind() == PropertyKind.SOMETIMES;
        if (predicate != expected) {
            throw new ReplayDivergedException("the replayed path for property " + spec.name()
                    + " ends in a state where the predicate is " + predicate
                    + " (the model's property is probably not a pure function of the state)");
        }
    }
}
