package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.SearchListener;
import dev.handoff.engine.Verdict;
import dev.handoff.model.scenario.Scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/** The what-if matrix: every policy under every combination of the varied knobs' values. */
final class SweepRunner {
    /** The matrix and its cells in row order. */
    record Result(List<String> policies, List<String> labels, Map<String, Map<String, HandoffCheck.Outcome>> grid,
                  List<HandoffCheck.Outcome> all, List<Map<String, String>> shown) {
        /** Policies under which every property holds in every variant. */
        List<String> safePolicies() {
            List<String> out = new ArrayList<>();
            for (String p : policies) {
                if (grid.get(p).values().stream().allMatch(o -> o.verdict() == Verdict.HOLDS)) {
                    out.add(p);
                }
            }
            return out;
        }
    }

    private SweepRunner() {
    }

    /**
     * @param scenario builds the scenario of a (policy, variant) cell
     * @param written  called with (cell label, outcome) for each cell, for trace files
     */
    static Result run(BiFunction<String, Map<String, String>, Scenario> scenario, List<String> policies,
                      List<String> knobs, List<String> properties, boolean pruning, boolean countSaved, int counterexamples,
                      ExplorationSettings settings, boolean crossCheck, CellProgress progress,
                      BiConsumer<String, HandoffCheck.Outcome> written) {
        List<Map<String, String>> variants = variants(knobs);
        List<String> labels = variants.stream().map(SweepRunner::label).toList();
        // Cells are independent and small: run them side by side, one search worker each, rather
        // than one at a time with every worker synchronising on tiny breadth-first levels.
        List<java.util.concurrent.Callable<HandoffCheck.Outcome>> cells = new ArrayList<>();
        for (String p : policies) {
            for (int j = 0; j < variants.size(); j++) {
                Scenario s = scenario.apply(p, variants.get(j));
                String label = labels.get(j);
                cells.add(() -> {
                    HandoffCheck.Outcome o = HandoffCheck.run(s, properties, pruning, countSaved, counterexamples,
                            settings.withWorkers(1), SearchListener.NONE, crossCheck);
                    progress.finished(p, label, o);
                    return o;
                });
            }
        }
        progress.start(cells.size());
        List<HandoffCheck.Outcome> outcomes;
        try {
            // past the run's deadline every cell ends at once (HandoffCheck.notStarted): no threads for them
            outcomes = settings.deadline() != null && !java.time.Instant.now().isBefore(settings.deadline())
                    ? runAll(cells, 0) : runAll(cells, settings.workers());
        } finally {
            progress.end();
        }
        Map<String, Map<String, HandoffCheck.Outcome>> grid = new LinkedHashMap<>();
        List<HandoffCheck.Outcome> all = new ArrayList<>();
        List<Map<String, String>> shown = new ArrayList<>();
        int k = 0;
        for (String p : policies) {
            Map<String, HandoffCheck.Outcome> row = new LinkedHashMap<>();
            for (int j = 0; j < variants.size(); j++) {
                HandoffCheck.Outcome o = outcomes.get(k++);
                row.put(labels.get(j), o);
                all.add(o);
                shown.add(variants.get(j));
                written.accept(p + "." + labels.get(j).replace(',', '.').replace('=', '-'), o);
            }
            grid.put(p, row);
        }
        return new Result(policies, labels, grid, all, shown);
    }

    /**
     * Runs the cells on {@code threads} threads (0: on this one, for cells known to end at once)
     * and returns their outcomes in order; a failure is rethrown as is.
     */
    static <T> List<T> runAll(List<java.util.concurrent.Callable<T>> cells, int threads) {
        if (threads == 0) {
            List<T> out = new ArrayList<>();
            for (java.util.concurrent.Callable<T> c : cells) {
                try {
                    out.add(c.call());
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(threads, cells.size())), r -> {
                    Thread t = new Thread(r, "handoff-sweep");
                    t.setDaemon(true);
                    return t;
                });
        // Each cell runs on a thread of its own: a model keeps per-thread scratch (ThreadLocal), and
        // on a pool thread reused for thousands of cells the dead models' entries pile up in the
        // thread's map and slow every lookup (a tenth of a catalogue cell's time, by JFR).
        List<java.util.concurrent.Callable<T>> fresh = cells.stream().<java.util.concurrent.Callable<T>>map(c -> () -> onFreshThread(c)).toList();
        try {
            List<T> out = new ArrayList<>();
            for (java.util.concurrent.Future<T> f : pool.invokeAll(fresh)) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T onFreshThread(java.util.concurrent.Callable<T> c) throws Exception {
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(c);
        Thread t = new Thread(task, Thread.currentThread().getName() + "-cell");
        t.setDaemon(true);
        t.start();
        try {
            return task.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    static List<Map<String, String>> variants(List<String> knobs) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (String k : knobs) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> m : out) {
                for (String v : Names.knobValues(k)) {
                    Map<String, String> n = new LinkedHashMap<>(m);
                    n.put(k, v);
                    next.add(n);
                }
            }
            out = next;
        }
        return out;
    }

    static String label(Map<String, String> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }
}
