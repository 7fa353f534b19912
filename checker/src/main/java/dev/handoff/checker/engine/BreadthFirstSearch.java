package dev.handoff.checker.engine;

import dev.handoff.model.formalism.PackedModel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Level-synchronous parallel breadth-first search.
 *
 * <p>Each level is a list of {@link StateChunk}s; workers claim chunks through one atomic
 * cursor, expand every state of a chunk and append new states to chunks of their own, which
 * become the next level at the barrier. Per successor the pipeline is TLC's: generate, seen-check
 * (the visited set decides which worker owns a new state), record the parent, check the
 * properties, and only then publish to the next level.
 *
 * <p>Why levels: every state at depth d+1 is generated while level d is expanded, so the first
 * level that holds a violation gives a shortest counterexample whatever the worker count, and a
 * run that stops after finishing that level has stored exactly the states of depth at most d+1,
 * so its counts do not depend on the worker count either. The price is one barrier per level.
 *
 * <p>Running time O((S + T) · w) for S states, T transitions and w words per state, plus the
 * visited set's probing; no allocation per transition.
 */
final class BreadthFirstSearch {
    /** Padding, in words, around per-worker hot arrays: two 64-byte cache lines. */
    private static final int PAD = 16;

    private final SearchContext ctx;
    private final Worker[] workers;
    private final ArrayDeque<StateChunk> pool = new ArrayDeque<>();
    private int maxDepth;
    private boolean exhausted;

    BreadthFirstSearch(SearchContext ctx) {
        this.ctx = ctx;
        this.workers = new Worker[ctx.settings.effectiveWorkers()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
        }
    }

    /** Runs the search to exhaustion, to a decision, or to a limit. */
    void run() throws InterruptedException {
        Worker first = workers[0];
        PackedModel model = ctx.model;
        try {
            for (int i = 0; i < model.initialStateCount(); i++) {
                model.initialState(i, first.succ, PAD);
                first.transitions++;
                long fp = Fingerprints.of(first.succ, PAD, ctx.words);
                if (ctx.visited.add(first.succ, PAD, fp)) {
                    first.store(first.succ, fp, -1 - i, 0, 0);
                }
            }
        } catch (CapacityExceededException | OutOfMemoryError e) {
            ctx.onResourceFailure(e);
        }
        first.flush();
        List<StateChunk> level = first.takeNext();
        ExecutorService pool = workers.length > 1 ? Executors.newFixedThreadPool(workers.length, r -> {
            Thread t = new Thread(r, "handoff-bfs");
            t.setDaemon(true);
            return t;
        }) : null;
        try {
            int depth = 0;
            boolean decided = ctx.settle();
            while (!level.isEmpty() && !ctx.halted && !decided) {
                ctx.depth = depth;
                long states = countStates(level);
                ctx.queued.set(states);
                long t0 = System.nanoTime();
                boolean parallel = expandLevel(level, depth, pool, states);
                if (!parallel || nanosPerState == 0) {
                    // the cost of a state, learnt from levels one thread expanded (an average)
                    double ns = (double) (System.nanoTime() - t0) / Math.max(1, states);
                    nanosPerState = nanosPerState == 0 ? ns : 0.75 * nanosPerState + 0.25 * ns;
                }
                List<StateChunk> next = new ArrayList<>();
                for (Worker w : workers) {
                    w.flush();
                    next.addAll(w.takeNext());
                }
                recycle(level);
                decided = ctx.settle();
                if (!next.isEmpty()) {
                    maxDepth = depth + 1;
                }
                level = next;
                depth++;
            }
            exhausted = level.isEmpty() && !ctx.halted;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    boolean exhausted() {
        return exhausted;
    }

    int maxDepth() {
        return maxDepth;
    }

    long[] firings() {
        long[] sum = new long[ctx.actionCount];
        for (Worker w : workers) {
            for (int a = 0; a < sum.length; a++) {
                sum[a] += w.fired[PAD + a];
            }
        }
        return sum;
    }

    /** Below this many states a level is expanded on the calling thread: handing it to the pool costs more. */
    static final int SERIAL_STATES = 64;
    /** A level goes to the pool only when its expected work exceeds this (waking the pool costs tens of µs). */
    static final double PARALLEL_NANOS = 200_000;
    /** The smallest share of a chunk a worker claims. */
    static final int MIN_SLICE = 32;

    /** Average cost of expanding one state, learnt from the levels so far (0 until the first). */
    private double nanosPerState;

    /**
     * Expands a level; true when it went to the pool. A level with less work than
     * {@link #PARALLEL_NANOS} (a handful of states, or cheap ones), or before a state's cost is
     * known, is expanded on the calling thread: a deep, thin graph then runs as fast as with one
     * worker. Otherwise the level's chunks are cut into slices (at least {@link #MIN_SLICE} states,
     * about four per worker when the level is small) claimed through one cursor, so that a level
     * of one chunk is shared too.
     */
    private boolean expandLevel(List<StateChunk> level, int depth, ExecutorService pool, long states) throws InterruptedException {
        AtomicInteger cursor = new AtomicInteger();
        if (pool == null || states < SERIAL_STATES || nanosPerState == 0 || states * nanosPerState < PARALLEL_NANOS) {
            Slices all = Slices.of(level, StateChunk.STATES);
            workers[0].expand(all, cursor, depth);
            return false;
        }
        int slice = (int) Math.max(MIN_SLICE, Math.min(StateChunk.STATES, states / (workers.length * 4L) + 1));
        Slices slices = Slices.of(level, slice);
        List<Callable<Void>> tasks = new ArrayList<>(workers.length);
        for (Worker w : workers) {
            tasks.add(() -> {
                w.expand(slices, cursor, depth);
                return null;
            });
        }
        for (Future<Void> f : pool.invokeAll(tasks)) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
        return true;
    }

    /** A level cut into slices: chunk, first state, end state. */
    record Slices(List<StateChunk> chunks, int[] chunk, int[] from, int[] to) {
        static Slices of(List<StateChunk> level, int size) {
            int n = 0;
            for (StateChunk c : level) {
                n += (c.count + size - 1) / size;
            }
            int[] chunk = new int[n];
            int[] from = new int[n];
            int[] to = new int[n];
            int k = 0;
            for (int i = 0; i < level.size(); i++) {
                for (int f = 0; f < level.get(i).count; f += size) {
                    chunk[k] = i;
                    from[k] = f;
                    to[k] = Math.min(level.get(i).count, f + size);
                    k++;
                }
            }
            return new Slices(level, chunk, from, to);
        }
    }

    private static long countStates(List<StateChunk> level) {
        long n = 0;
        for (StateChunk c : level) {
            n += c.count;
        }
        return n;
    }

    private synchronized StateChunk chunk() {
        StateChunk c = pool.poll();
        if (c == null) {
            ctx.budget.reserve(StateChunk.bytes(ctx.words));
            c = new StateChunk(ctx.words);
        }
        c.count = 0;
        return c;
    }

    private synchronized void recycle(List<StateChunk> chunks) {
        pool.addAll(chunks);
    }

    /**
     * One worker's buffers, counters and output; used by one thread at a time. The successor
     * buffer and the firing counters are written on every transition, so they sit {@value #PAD}
     * words into arrays padded on both sides: without that, the workers' small arrays share
     * cache lines and every transition bounces a line between cores.
     */
    private final class Worker {
        final long[] succ = new long[ctx.words + 2 * PAD];
        final long[] fired = new long[ctx.actionCount + 2 * PAD];
        private final List<StateChunk> next = new ArrayList<>();
        private StateChunk out;
        private final IdBlock ids = new IdBlock(ctx.log);
        private final StubbornSets.Scratch scratch = ctx.stubborn == null ? null : ctx.stubborn.scratch();
        private long newStates;
        private long transitions;

        void expand(Slices level, AtomicInteger cursor, int depth) {
            try {
                for (int c = cursor.getAndIncrement(); c < level.chunk().length; c = cursor.getAndIncrement()) {
                    if (ctx.halted) {
                        return;
                    }
                    expandChunk(level.chunks().get(level.chunk()[c]), level.from()[c], level.to()[c], depth);
                    ctx.distinct.addAndGet(newStates);
                    ctx.transitions.addAndGet(transitions);
                    newStates = 0;
                    transitions = 0;
                    ctx.checkLimits();
                }
            } catch (CapacityExceededException | OutOfMemoryError e) {
                ctx.onResourceFailure(e);
            }
        }

        private void expandChunk(StateChunk chunk, int from, int to, int depth) {
            final PackedModel model = ctx.model;
            final VisitedSet visited = ctx.visited;
            final int w = ctx.words;
            final int actions = ctx.actionCount;
            final long[] words = chunk.words;
            final long[] succ = this.succ;
            final long[] fired = this.fired;
            final boolean deadlocks = ctx.settings.checkDeadlock();
            long generated = 0;
            for (int s = from; s < to; s++) {
                final int off = s * w;
                final int parent = chunk.ids[s];
                int enabled = 0;
                if (scratch != null) {
                    enabled = ctx.stubborn.expand(words, off, scratch);
                } else {
                    model.expanding(words, off);
                }
                for (int a = 0; a < actions; a++) {
                    if (scratch != null) {
                        if (!scratch.follows(a)) {
                            continue;
                        }
                        System.arraycopy(scratch.succ, a * w, succ, PAD, w);
                        generated++;
                    } else if (!model.next(words, off, a, succ, PAD)) {
                        continue;
                    } else {
                        enabled++;
                    }
                    fired[PAD + a]++;
                    long fp = Fingerprints.of(succ, PAD, w);
                    if (visited.add(succ, PAD, fp)) {
                        store(succ, fp, parent, a, depth + 1);
                    }
                }
                model.expanding(null, 0);
                generated += scratch == null ? enabled : 0;
                if (enabled == 0 && deadlocks && !model.isTerminal(words, off)) {
                    ctx.deadlock(depth, parent, Fingerprints.of(words, off, w));
                }
            }
            transitions += generated;
        }

        /**
         * Records a new state, found at {@code state[PAD ..]}: id, parent link, property check,
         * then publication to the next level.
         */
        void store(long[] state, long fp, int parent, int action, int depth) {
            int id = ids.record(parent, action);
            newStates++;
            ctx.check(state, PAD, depth, id, fp);
            if (out == null || out.full()) {
                if (out != null) {
                    next.add(out);
                }
                out = chunk();
            }
            System.arraycopy(state, PAD, out.words, out.count * ctx.words, ctx.words);
            out.ids[out.count++] = id;
        }

        void flush() {
            if (out != null && out.count > 0) {
                next.add(out);
            } else if (out != null) {
                recycle(List.of(out));
            }
            out = null;
            ctx.distinct.addAndGet(newStates);
            ctx.transitions.addAndGet(transitions);
            newStates = 0;
            transitions = 0;
        }

        List<StateChunk> takeNext() {
            List<StateChunk> taken = new ArrayList<>(next);
            next.clear();
            return taken;
        }
    }
}
