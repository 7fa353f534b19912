package dev.handoff.engine;

import dev.handoff.engine.formalism.PackedModel;
import dev.handoff.engine.internal.PaddedHead;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Level-synchronous parallel breadth-first search whose result does not depend on the worker
 * count.
 *
 * <p>Each level is a list of {@link StateChunk}s in a canonical order. Per successor the
 * pipeline is TLC's: generate, seen-check, record the parent, check the properties, publish to
 * the next level. The first time a state is seen decides its parent, and so every path the run
 * reports; a run is deterministic when "first" means the same thing for any worker count. Here
 * it means what one thread does: expand the level in order, each state's actions in order, and
 * append each new state to the next level when it is first seen.
 *
 * <p>A level with little work runs on the calling thread exactly so. A level worth sharing runs
 * in windows, each in three steps. Generate: the workers claim the window's slices through one
 * cursor and buffer each successor for its owner, the worker that owns the successor's
 * fingerprint partition (the top {@value #PARTITION_BITS} bits, partition q to worker q mod w),
 * noting the owners in generation order. Look up: each owner adds its successors to the visited
 * set slice by slice in level order, marking those that were new; owners touch disjoint
 * partitions (and so disjoint segments of the set), and within a partition the order is the
 * single thread's, so the same successor is marked new. Store: each worker takes a contiguous
 * run of the window's slices and walks their successors in generation order, storing the marked
 * ones; the runs are appended to the next level in order. The level that comes out is the single
 * thread's, state for state. The steps are pipelined: in one phase a worker stores window w−2,
 * looks up window w−1 and then generates window w, claiming slices until none is left, so the
 * claiming evens out the fixed work; one barrier per phase. One worker runs a large level the
 * same way on its own (no barrier waits): the look-up pass knows its next fingerprints in
 * advance and prefetches them, so that its cache misses overlap, which more than pays for the
 * buffering.
 *
 * <p>Why levels: every state at depth d+1 is generated while level d is expanded, so the first
 * level that holds a violation gives a shortest counterexample, and a run that stops after
 * finishing that level has stored exactly the states of depth at most d+1. Together with the
 * canonical first sightings, every count, verdict, path and witness of a run that is not cut
 * short by a limit is the same for 1, 2 or 64 workers. The price, on shared levels only: a
 * barrier per window (two more per level to fill and drain the pipeline) and each successor
 * copied to a buffer and read back twice; the prefetching look-up wins it back.
 *
 * <p>Running time O((S + T) · w) for S states, T transitions and w words per state, plus the
 * visited set's probing; no allocation per transition.
 */
final class BreadthFirstSearch implements Search {
    /** Padding, in words, around per-worker hot arrays: two 64-byte cache lines. */
    private static final int PAD = PaddedHead.PAD_LONGS;
    /** The same padding in ints. */
    private static final int INT_PAD = 2 * PAD;
    /** Fingerprint bits that name a state's partition (its owner in a shared level, its place in the next). */
    static final int PARTITION_BITS = 6;
    /** Owners of a shared level: at most one per partition. */
    static final int MAX_OWNERS = 1 << PARTITION_BITS;
    /** About this many successors are buffered per window of a shared level (at most). */
    static final int WINDOW_SUCCESSORS = 1 << 17;
    /**
     * Buffered successors the look-up prefetches ahead of the one it looks up. With one worker,
     * {@code bench --model wide --n 48 --warmup 2 --repeat 5}, medians of two rounds: no
     * prefetch 1.55-1.77 s (unbuffered 1.49-1.67), 8 ahead 1.33-1.40, 16 ahead 1.35-1.46
     * (2026-12-04).
     */
    static final int LOOKAHEAD = 8;
    /** Buffer sets a worker cycles through: a window is generated, looked up, then stored. */
    static final int SETS = 3;

    private final SearchContext ctx;
    private final Worker[] workers;
    private final ArrayDeque<StateChunk> pool = new ArrayDeque<>();
    /** Words per buffered successor: its fingerprint, parent and action, then the state. */
    private final int entryWords;
    private int maxDepth;
    private boolean exhausted;
    /** Successors per state, learnt from the levels so far: sizes a window. */
    private double branching = 1;
    /** The level being built, in canonical order. */
    private List<StateChunk> nextLevel = new ArrayList<>();

    BreadthFirstSearch(SearchContext ctx) {
        this.ctx = ctx;
        this.entryWords = ctx.words + 2;
        this.workers = new Worker[ctx.settings.effectiveWorkers()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
        }
    }

    /** Marks a buffered successor that the look-up found new (the action's sign bit; actions are below 2^31). */
    private static final long NEW = 1L << 31;

    static int partition(long fp) {
        return (int) (fp >>> (64 - PARTITION_BITS));
    }

    /** Runs the search to exhaustion, to a decision, or to a limit. */
    @Override
    public void run() throws InterruptedException {
        Worker first = workers[0];
        PackedModel model = ctx.model;
        try {
            for (int i = 0; i < model.initialStateCount(); i++) {
                model.initialState(i, first.succ, PAD);
                first.transitions++;
                long fp = Fingerprints.of(first.succ, PAD, ctx.words);
                if (ctx.visited.add(first.succ, PAD, fp)) {
                    first.store(first.succ, PAD, fp, -1 - i, 0, 0);
                }
            }
        } catch (CapacityExceededException | OutOfMemoryError e) {
            ctx.onResourceFailure(e);
        }
        List<StateChunk> level = takeNext();
        AtomicInteger threads = new AtomicInteger();
        // the calling thread is worker 0 of a shared level: the pool has the others
        ExecutorService pool = workers.length > 1 ? Executors.newFixedThreadPool(workers.length - 1, r -> {
            Thread t = new Thread(r, "handoff-bfs-" + threads.incrementAndGet());
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
                long transitions0 = ctx.transitions.get();
                boolean parallel = expandLevel(level, depth, pool, states);
                if (!parallel || nanosPerState == 0) {
                    // the cost of a state, learnt from levels one thread expanded (an average)
                    double ns = (double) (System.nanoTime() - t0) / Math.max(1, states);
                    nanosPerState = nanosPerState == 0 ? ns : 0.75 * nanosPerState + 0.25 * ns;
                }
                List<StateChunk> next = takeNext();
                branching = 0.5 * branching + 0.5 * (ctx.transitions.get() - transitions0) / (double) Math.max(1, states);
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
                // an interrupted level's workers finish their slice before the log is read: the
                // parent log and the stores are read only once every worker has stopped
                boolean interrupted = Thread.interrupted();
                try {
                    pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The level built so far with the workers' latest output appended in worker order; the builder starts afresh. */
    private List<StateChunk> takeNext() {
        appendOutputs();
        // handed over, not copied: a deep, thin graph takes this once per state
        List<StateChunk> next = nextLevel;
        nextLevel = new ArrayList<>(Math.max(4, next.size()));
        return next;
    }

    /** Appends each worker's output since the last call, in worker order, to the level being built. */
    private void appendOutputs() {
        for (Worker w : workers) {
            w.flush();
            if (!w.next.isEmpty()) {
                for (StateChunk c : w.next) {
                    nextLevel.add(c);
                }
                w.next.clear();
            }
        }
    }

    @Override
    public boolean exhausted() {
        return exhausted;
    }

    @Override
    public int maxDepth() {
        return maxDepth;
    }

    @Override
    public long[] firings() {
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
    /** Slices a level is cut into, per worker: the claiming's grain. */
    static final int SLICES_PER_WORKER = 4;
    /** The smallest share of a chunk a worker claims. */
    static final int MIN_SLICE = 32;

    /**
     * Whether one worker expands a large level as a shared level of one (buffered, looked up with
     * prefetching, then stored) rather than state by state: faster, because the look-up pass's
     * cache misses overlap (see {@link #LOOKAHEAD}). Tests turn it off to compare the two paths.
     */
    static volatile boolean oneWorkerBuffers = true;

    /**
     * Whether one worker buffers a large level: when {@link #oneWorkerBuffers} and the buffers a
     * shared level can take ({@value #SETS} sets of a window) are under an eighth of what the
     * memory budget has left, so that a small budget goes to states, not buffers (with a budget
     * of 1 MiB the buffers would have cut the states reached by more than half).
     */
    private boolean buffersAlone() {
        long buffers = (long) SETS * WINDOW_SUCCESSORS * entryWords * Long.BYTES;
        return oneWorkerBuffers && 8 * buffers < ctx.budget.limit() - ctx.budget.used();
    }

    /** Average cost of expanding one state, learnt from the levels so far (0 until the first). */
    private double nanosPerState;

    /**
     * Expands a level; true when it was expanded as a {@link SharedLevel}. A level with less work
     * than {@link #PARALLEL_NANOS} (a handful of states, or cheap ones), or before a state's cost is
     * known, is expanded on the calling thread state by state: a deep, thin graph then runs as fast
     * as with one worker. Otherwise the level's chunks are cut into slices (at least
     * {@link #MIN_SLICE} states, about four per worker when the level is small) and expanded by
     * {@link SharedLevel}, by every worker: with one worker, by the calling thread alone.
     */
    private boolean expandLevel(List<StateChunk> level, int depth, ExecutorService pool, long states) throws InterruptedException {
        if (pool == null && !buffersAlone() || states < SERIAL_STATES || nanosPerState == 0 || states * nanosPerState < PARALLEL_NANOS) {
            Worker one = workers[0];
            try {
                for (StateChunk c : level) {
                    if (ctx.halted) {
                        break;
                    }
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    one.expandChunk(c, 0, c.count, depth, false);
                    one.publishCounts();
                    ctx.checkLimits();
                }
            } catch (CapacityExceededException | OutOfMemoryError e) {
                ctx.onResourceFailure(e);
            }
            return false;
        }
        int slice = (int) Math.max(MIN_SLICE, Math.min(StateChunk.STATES, states / (workers.length * (long) SLICES_PER_WORKER) + 1));
        SharedLevel shared = new SharedLevel(Slices.of(level, slice), depth);
        List<Future<Void>> others = new ArrayList<>(workers.length - 1);
        for (int k = 1; k < workers.length; k++) {
            int me = k;
            others.add(pool.submit(() -> {
                shared.work(me);
                return null;
            }));
        }
        try {
            shared.work(0);
        } finally {
            // the others finish the level (or see the barrier broken) before anything reads what
            // they wrote: waited for whatever interrupts this thread meanwhile, the status kept
            boolean interrupted = false;
            for (Future<Void> f : others) {
                while (true) {
                    try {
                        f.get();
                        break;
                    } catch (ExecutionException e) {
                        shared.fail(e.getCause());
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Throwable failure = shared.failure;
        if (failure instanceof InterruptedException ie) {
            throw ie;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return true;
    }

    /**
     * One level expanded by every worker, window by window, the three steps of the class comment
     * pipelined: in phase p each worker first stores its run of window p−2 and looks up its
     * partitions of window p−1 (work fixed in advance), then claims slices of window p through the
     * cursor, so that whoever finished the fixed work early generates more; one barrier ends the
     * phase, and its action appends the stored runs and moves the cursor on. A level of W windows
     * takes W + 2 phases. A worker buffers window w in its set w mod 3: the set a phase writes was
     * stored two phases before. Arrays indexed by slice say which worker generated it and where
     * its successors sit: for owner o, words {@code [start, end)} of that worker's buffer for o;
     * in generation order, the owners in {@code [seqStart, seqEnd)} of its owner sequence.
     */
    private final class SharedLevel {
        final Slices slices;
        final int depth;
        final int owners = Math.min(workers.length, MAX_OWNERS);
        final int slicesInLevel;
        final int windowSlices;
        final int windows;
        final AtomicInteger cursor = new AtomicInteger();
        final int[] generatedBy;
        final int[] start;
        final int[] end;
        final int[] seqStart;
        final int[] seqEnd;
        final PhaseBarrier crossed;
        volatile Throwable failure;
        /** Read by every worker after the barrier; written only by its action. */
        boolean stop;
        int phase;

        SharedLevel(Slices slices, int depth) {
            this.slices = slices;
            this.depth = depth;
            int n = slices.chunk().length;
            this.slicesInLevel = n;
            int sliceStates = Math.max(1, slices.to()[0] - slices.from()[0]);
            long bySuccessors = (long) (WINDOW_SUCCESSORS / Math.max(1, branching)) / sliceStates;
            // at least two slices a worker (the claiming evens out the fixed work), and at least four
            // windows a level when it has the slices (a pipeline of fewer barely overlaps)
            long w = Math.max(2L * workers.length, Math.min(bySuccessors, (n + 3) / 4));
            this.windowSlices = (int) Math.max(1, Math.min(n, w));
            this.windows = (n + windowSlices - 1) / windowSlices;
            this.generatedBy = new int[n];
            this.start = new int[n * owners];
            this.end = new int[n * owners];
            this.seqStart = new int[n];
            this.seqEnd = new int[n];
            this.crossed = new PhaseBarrier(workers.length, () -> {
                phase(BreadthFirstSearch.this::appendOutputs);
                phase++;
                stop = failure != null || ctx.halted || phase >= windows + 2;
                cursor.set(from(phase));
            });
        }

        int from(int window) {
            return (int) Math.min(slicesInLevel, (long) window * windowSlices);
        }

        int to(int window) {
            return from(window + 1);
        }

        void work(int k) throws InterruptedException {
            Worker me = workers[k];
            try {
                do {
                    int p = phase;
                    phase(() -> {
                        if (p >= 2 && live()) {
                            store(me, k, p - 2);
                        }
                        if (p >= 1 && p - 1 < windows && k < owners && live()) {
                            lookUp(me, k, p - 1);
                        }
                        if (p < windows && live()) {
                            generate(me, k, p);
                        }
                        me.publishCounts();
                        ctx.checkLimits();
                    });
                    crossed.await();
                } while (!stop);
            } catch (BrokenBarrierException e) {
                fail(e);
            } catch (InterruptedException | RuntimeException | Error e) {
                // outside a phase (the barrier interrupted, an allocation between phases): the others
                // must not wait for this worker at a barrier it will never reach
                fail(e);
                crossed.breakBarrier();
                throw e;
            }
        }

        private boolean live() {
            return !ctx.halted && failure == null;
        }

        /** Claims slices of window {@code w} and buffers their successors in set w mod 3. */
        private void generate(Worker me, int k, int w) {
            int to = to(w);
            me.useSet(w % SETS);
            try {
                for (int s = cursor.getAndIncrement(); s < to && live(); s = cursor.getAndIncrement()) {
                    generatedBy[s] = k;
                    seqStart[s] = me.seqLength;
                    for (int o = 0; o < owners; o++) {
                        start[s * owners + o] = me.length[INT_PAD + o];
                    }
                    me.expandChunk(slices.chunks().get(slices.chunk()[s]), slices.from()[s], slices.to()[s], depth, true);
                    for (int o = 0; o < owners; o++) {
                        end[s * owners + o] = me.length[INT_PAD + o];
                    }
                    seqEnd[s] = me.seqLength;
                    me.publishCounts();
                    ctx.checkLimits();
                }
            } finally {
                me.endSet();
            }
        }

        /** Adds owner k's successors of window {@code w} to the visited set, slice by slice in level order. */
        private void lookUp(Worker me, int k, int w) {
            int set = w % SETS;
            for (int s = from(w), to = to(w); s < to; s++) {
                me.lookUp(workers[generatedBy[s]].buffers[set][k], start[s * owners + k], end[s * owners + k]);
            }
        }

        /** Stores the marked successors of worker k's contiguous run of window {@code w}'s slices. */
        private void store(Worker me, int k, int w) {
            int from = from(w);
            int n = to(w) - from;
            int set = w % SETS;
            int[] cursors = me.cursors;
            for (int s = from + (int) ((long) n * k / workers.length); s < from + (int) ((long) n * (k + 1) / workers.length); s++) {
                Worker src = workers[generatedBy[s]];
                for (int o = 0; o < owners; o++) {
                    cursors[INT_PAD + o] = start[s * owners + o];
                }
                me.storeMarked(src, set, seqStart[s], seqEnd[s], cursors, depth + 1);
            }
        }

        /**
         * Runs this worker's part of a phase. A store that cannot grow halts the run; anything else
         * fails the level (rethrown by the calling thread). Either way the worker goes on to the
         * barrier, so that no other worker waits for it forever.
         */
        private void phase(Runnable part) {
            try {
                part.run();
            } catch (CapacityExceededException | OutOfMemoryError e) {
                ctx.onResourceFailure(e);
            } catch (Throwable t) {
                fail(t);
            }
        }

        /** Records why the level failed: the first cause, but a real one over a broken barrier (the others' symptom of it). */
        synchronized void fail(Throwable t) {
            if (failure == null || failure instanceof BrokenBarrierException && !(t instanceof BrokenBarrierException)) {
                failure = t;
            }
        }
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
     * words into arrays padded on both sides, and so do the buffers' lengths ({@value #INT_PAD}
     * ints in); the fields sit between the paddings of {@link PaddedHead}: without that, the
     * workers' small arrays and objects share cache lines and every transition bounces a line
     * between cores.
     */
    private abstract class WorkerFields extends PaddedHead {
        final long[] succ = new long[ctx.words + 2 * PAD];
        final long[] fired = new long[ctx.actionCount + 2 * PAD];
        /** Full chunks of new states, and the one being filled. */
        final List<StateChunk> next = new ArrayList<>();
        StateChunk out;
        /**
         * Per set (a shared level's window w uses set w mod {@value #SETS}): the successors
         * buffered for each owner, how many words of each are used, and the owners in generation
         * order with their count. The set being generated is also in the four fields below.
         */
        final long[][][] buffers = new long[SETS][Math.min(workers.length, MAX_OWNERS)][];
        final int[][] lengths = new int[SETS][INT_PAD + buffers[0].length + INT_PAD];
        /** The store phase's place in each owner's buffer, {@value #INT_PAD} ints in. */
        final int[] cursors = new int[INT_PAD + buffers[0].length + INT_PAD];
        final byte[][] seqs = {new byte[0], new byte[0], new byte[0]};
        long[][] buffer = buffers[0];
        int[] length = lengths[0];
        byte[] seq = seqs[0];
        int seqLength;
        int set;
        final IdBlock ids = new IdBlock(ctx.log);
        /** The visited set as this worker asks it: through its own cache of recent fingerprints in fingerprint mode. */
        final VisitedSet seen = ctx.visited instanceof FingerprintSet ? new RecentFingerprints(ctx.visited) : ctx.visited;
        /**
         * Fingerprint mode, shared levels: a direct-mapped table of the successors this worker
         * lately buffered. Its slices are claimed in order, so a repeat comes after its first
         * copy in the level's generation order (or from an earlier level, already looked up) and
         * is never a first sighting: it is counted as a transition and not buffered.
         */
        final long[] generatedLately = ctx.visited instanceof FingerprintSet ? new long[RecentFingerprints.ENTRIES] : null;
        final StubbornSets.Scratch scratch = ctx.stubborn == null ? null : ctx.stubborn.scratch();
        /** The actions the model lists as enabled in the state being expanded. */
        final int[] listed = new int[ctx.actionCount];
        long newStates;
        long transitions;
        /** Where the prefetched values go, so that the JIT keeps the loads; never read. */
        long prefetched;
    }

    /** What a worker does, with its fields in {@link WorkerFields} and the tail padding here. */
    @SuppressWarnings("unused")
    private final class Worker extends WorkerFields {
        private long t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15, t16;

        /**
         * Expands states {@code [from, to)} of a chunk. Each successor is looked up and stored at
         * once, or (when {@code buffered}) appended to its owner's buffer for the second phase.
         */
        void expandChunk(StateChunk chunk, int from, int to, int depth, boolean buffered) {
            final PackedModel model = ctx.model;
            final VisitedSet visited = seen;
            final int w = ctx.words;
            final int actions = ctx.actionCount;
            final long[] words = chunk.words;
            final long[] succ = this.succ;
            final long[] fired = this.fired;
            final boolean deadlocks = ctx.settings.checkDeadlock();
            final int owners = buffer.length;
            final int[] listed = this.listed;
            long generated = 0;
            for (int s = from; s < to; s++) {
                final int off = s * w;
                final int parent = chunk.ids[s];
                int enabled = 0;
                int tried = actions;
                boolean all = true;
                // the model's calls are guarded one by one (a failure names the state and action,
                // whichever path expands the level); the engine's own calls are not
                try {
                    if (scratch != null) {
                        enabled = ctx.stubborn.expand(words, off, scratch);
                    } else {
                        model.expanding(words, off);
                        int n = model.enabledActions(words, off, listed);
                        if (n >= 0) {
                            ModelFailureException.checkListed(model, listed, n, words, off);
                            tried = n;
                            all = false;
                        }
                    }
                } catch (RuntimeException e) {
                    throw ModelFailureException.threw(model, words, off, -1, e);
                }
                for (int i = 0; i < tried; i++) {
                    final int a = all ? i : listed[i];
                    if (scratch != null) {
                        if (!scratch.follows(a)) {
                            continue;
                        }
                        System.arraycopy(scratch.succ, a * w, succ, PAD, w);
                        generated++;
                    } else if (!ModelFailureException.next(model, words, off, a, succ, PAD)) {
                        continue;
                    } else {
                        enabled++;
                    }
                    fired[PAD + a]++;
                    long fp = Fingerprints.of(succ, PAD, w);
                    if (buffered) {
                        if (generatedLately != null) {
                            // this worker generated it before in this level's order (or in an earlier
                            // level): never the first sighting, so not buffered for the look-up
                            int slot = (int) fp & (RecentFingerprints.ENTRIES - 1);
                            if (generatedLately[slot] == fp) {
                                continue;
                            }
                            generatedLately[slot] = fp;
                        }
                        append(partition(fp) % owners, fp, parent, a);
                    } else if (visited.add(succ, PAD, fp)) {
                        store(succ, PAD, fp, parent, a, depth + 1);
                    }
                }
                generated += scratch == null ? enabled : 0;
                boolean deadlock;
                try {
                    model.expanding(null, 0);
                    deadlock = enabled == 0 && deadlocks && !model.isTerminal(words, off);
                } catch (RuntimeException e) {
                    throw ModelFailureException.threw(model, words, off, -1, e);
                }
                if (deadlock) {
                    ctx.deadlock(depth, parent, Fingerprints.of(words, off, w));
                }
            }
            transitions += generated;
        }

        /** Buffers the successor in {@code succ} for owner {@code o}. */
        private void append(int o, long fp, int parent, int action) {
            if (seqLength == seq.length) {
                int capacity = Math.max(1 << 12, seq.length * 2);
                ctx.budget.reserve(capacity - seq.length);
                seq = java.util.Arrays.copyOf(seq, capacity);
            }
            seq[seqLength++] = (byte) o;
            long[] b = buffer[o];
            int at = length[INT_PAD + o];
            if (b == null || at + entryWords > b.length) {
                b = grow(o, at + entryWords);
            }
            b[at] = fp;
            b[at + 1] = (long) parent << 32 | (action & 0xffffffffL);
            System.arraycopy(succ, PAD, b, at + 2, ctx.words);
            length[INT_PAD + o] = at + entryWords;
        }

        private long[] grow(int o, int needed) {
            long[] old = buffer[o];
            int capacity = Math.max(needed, old == null ? 1 << 12 : old.length * 2);
            ctx.budget.reserve((long) (capacity - (old == null ? 0 : old.length)) * Long.BYTES);
            long[] b = old == null ? new long[capacity] : java.util.Arrays.copyOf(old, capacity);
            buffer[o] = b;
            return b;
        }

        /** Starts generating into set {@code i}, emptied. */
        void useSet(int i) {
            set = i;
            buffer = buffers[i];
            length = lengths[i];
            java.util.Arrays.fill(length, 0);
            seq = seqs[i];
            seqLength = 0;
        }

        /** Ends generating into the current set: what others read of it is kept with it. */
        void endSet() {
            seqs[set] = seq;
        }

        /**
         * Adds the successors buffered in {@code b[from, to)} to the visited set in order, marking
         * the new ones. The set is asked to prefetch {@value #LOOKAHEAD} successors ahead of the
         * one looked up, so that their cache misses overlap: the look-up pass is where a large
         * run waits for memory.
         */
        void lookUp(long[] b, int from, int to) {
            final VisitedSet visited = seen;
            final int ahead = LOOKAHEAD * entryWords;
            long sink = 0;
            for (int e = from, end = Math.min(to, from + ahead); e < end; e += entryWords) {
                sink += visited.prefetch(b[e]);
            }
            for (int e = from; e < to; e += entryWords) {
                if (e + ahead < to) {
                    sink += visited.prefetch(b[e + ahead]);
                }
                if (visited.add(b, e + 2, b[e])) {
                    b[e + 1] |= NEW;
                }
            }
            prefetched += sink;
        }

        /**
         * Stores, in generation order, the marked successors that {@code src} generated as
         * {@code src.seqs[set][from, to)}; {@code cursors} holds, per owner ({@value #INT_PAD} ints
         * in), where the first of them sits.
         */
        void storeMarked(Worker src, int set, int from, int to, int[] cursors, int depth) {
            final byte[] owner = src.seqs[set];
            final long[][] buffers = src.buffers[set];
            for (int i = from; i < to; i++) {
                int o = owner[i];
                int e = cursors[INT_PAD + o];
                cursors[INT_PAD + o] = e + entryWords;
                long[] b = buffers[o];
                long pa = b[e + 1];
                if ((pa & NEW) != 0) {
                    store(b, e + 2, b[e], (int) (pa >> 32), (int) (pa & ~NEW), depth);
                }
            }
        }

        /**
         * Records a new state, found at {@code state[off ..]}: id, parent link, property check,
         * then publication to the next level.
         */
        void store(long[] state, int off, long fp, int parent, int action, int depth) {
            int id = ids.record(parent, action);
            newStates++;
            ctx.check(state, off, depth, id, fp);
            if (out == null || out.full()) {
                if (out != null) {
                    next.add(out);
                }
                out = chunk();
            }
            System.arraycopy(state, off, out.words, out.count * ctx.words, ctx.words);
            out.ids[out.count++] = id;
        }

        void publishCounts() {
            ctx.distinct.addAndGet(newStates);
            ctx.transitions.addAndGet(transitions);
            newStates = 0;
            transitions = 0;
        }

        /** Ends a run of output: the partly filled chunk joins it, counts are published. */
        void flush() {
            if (out != null && out.count > 0) {
                next.add(out);
            } else if (out != null) {
                recycle(List.of(out));
            }
            out = null;
            publishCounts();
        }
    }
}
