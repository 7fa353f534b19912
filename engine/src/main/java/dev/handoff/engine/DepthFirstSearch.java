package dev.handoff.engine;

import dev.handoff.engine.formalism.PackedModel;

import java.util.Arrays;

/**
 * Sequential depth-first search with an explicit stack of packed states.
 *
 * <p>Frame k of the stack holds a state's words, its id, the next action to try and how many
 * actions were enabled so far; a frame whose actions are exhausted with none enabled is a
 * deadlock unless the model calls it terminal. The path to any stored state is its chain of
 * parent links, which for depth-first search is the stack at the time it was found, so
 * counterexamples are valid but not shortest. Memory beyond the stores is O(depth · w).
 */
final class DepthFirstSearch implements Search {
    private final SearchContext ctx;
    private final long[] fired;
    private long[] stack;
    private int[] ids;
    /** The actions the model lists as enabled in the frame being resumed. */
    private final int[] listed;
    private int[] nextAction;
    private int[] enabled;
    private int maxDepth;
    private boolean exhausted;
    private final IdBlock idBlock;
    /** Partial-order reduction: each frame's actions to follow ({@link StubbornSets}), or null. */
    private final StubbornSets.Scratch scratch;
    private long[] followed;
    private final int maskWords;
    private long newStates;
    private long transitions;

    DepthFirstSearch(SearchContext ctx) {
        this.ctx = ctx;
        this.fired = new long[ctx.actionCount];
        this.idBlock = new IdBlock(ctx.log);
        int frames = 64;
        this.stack = new long[frames * ctx.words];
        this.ids = new int[frames];
        this.nextAction = new int[frames];
        this.enabled = new int[frames];
        this.scratch = ctx.stubborn == null ? null : ctx.stubborn.scratch();
        this.listed = new int[ctx.actionCount];
        this.maskWords = scratch == null ? 0 : scratch.followed.length;
        this.followed = new long[frames * maskWords];
    }

    @Override
    public void run() {
        try {
            search();
        } catch (CapacityExceededException | OutOfMemoryError e) {
            ctx.onResourceFailure(e);
        } finally {
            ctx.distinct.addAndGet(newStates);
            ctx.transitions.addAndGet(transitions);
        }
    }

    private void search() {
        PackedModel model = ctx.model;
        int w = ctx.words;
        boolean decided = ctx.settle();
        long steps = 0;
        for (int root = 0; root < model.initialStateCount() && !decided && !ctx.halted; root++) {
            model.initialState(root, stack, 0);
            transitions++;
            long rootFp = Fingerprints.of(stack, 0, w);
            if (!ctx.visited.add(stack, 0, rootFp)) {
                continue;
            }
            push(0, rootFp, -1 - root, 0);
            decided = ctx.settle();
            int top = 0;
            while (top >= 0 && !decided) {
                if ((++steps & 1023) == 0) {
                    flushCounters();
                    ctx.depth = top;
                    ctx.queued.set(top + 1L);
                    ctx.checkLimits();
                    if (Thread.currentThread().isInterrupted()) {
                        ctx.halt("interrupted");
                    }
                    if (ctx.halted) {
                        return;
                    }
                }
                int a = nextAction[top];
                int off = top * w;
                ensureFrames(top + 2);
                int succOff = off + w;
                boolean deadlocked;
                try {
                    int n = scratch == null ? model.enabledActions(stack, off, listed) : -1;
                    if (n < 0) {
                        while (a < ctx.actionCount && (!follows(top, a) || !ModelFailureException.next(model, stack, off, a, stack, succOff))) {
                            a++;
                        }
                    } else {
                        ModelFailureException.checkListed(model, listed, n, stack, off);
                        // the listed actions from a on (the list is asked again each time the frame resumes)
                        int i = 0;
                        while (i < n && listed[i] < a) {
                            i++;
                        }
                        while (i < n && !ModelFailureException.next(model, stack, off, listed[i], stack, succOff)) {
                            i++;
                        }
                        a = i < n ? listed[i] : ctx.actionCount;
                    }
                    deadlocked = a == ctx.actionCount && enabled[top] == 0 && ctx.settings.checkDeadlock() && !model.isTerminal(stack, off);
                } catch (RuntimeException e) {
                    throw ModelFailureException.threw(model, stack, off, -1, e);
                }
                if (a == ctx.actionCount) {
                    if (deadlocked) {
                        ctx.deadlock(top, ids[top], Fingerprints.of(stack, off, w));
                        decided = ctx.settle();
                    }
                    top--;
                    continue;
                }
                nextAction[top] = a + 1;
                enabled[top]++;
                fired[a]++;
                transitions++;
                long fp = Fingerprints.of(stack, succOff, w);
                if (ctx.visited.add(stack, succOff, fp)) {
                    top++;
                    push(top, fp, ids[top - 1], a);
                    decided = ctx.settle();
                    maxDepth = Math.max(maxDepth, top);
                }
            }
        }
        exhausted = !decided && !ctx.halted;
    }

    /** The state is already in frame {@code top}; give it an id, a parent link and a property check. */
    private void push(int top, long fp, int parent, int action) {
        int id = idBlock.record(parent, action);
        newStates++;
        ids[top] = id;
        nextAction[top] = 0;
        enabled[top] = 0;
        ctx.check(stack, top * ctx.words, top, id, fp);
        if (scratch != null) {
            ctx.stubborn.expand(stack, top * ctx.words, scratch);
            System.arraycopy(scratch.followed, 0, followed, top * maskWords, maskWords);
        }
    }

    /** Whether frame {@code top} follows action {@code a}: always, unless partial-order reduction says not. */
    private boolean follows(int top, int a) {
        return scratch == null || (followed[top * maskWords + (a >>> 6)] >>> a & 1) != 0;
    }

    private void ensureFrames(int frames) {
        if (frames > ids.length) {
            int n = Math.max(frames, ids.length * 2);
            ctx.budget.reserve((long) (n - ids.length) * (ctx.words * Long.BYTES + 3 * Integer.BYTES));
            stack = Arrays.copyOf(stack, n * ctx.words);
            ids = Arrays.copyOf(ids, n);
            nextAction = Arrays.copyOf(nextAction, n);
            enabled = Arrays.copyOf(enabled, n);
            followed = Arrays.copyOf(followed, n * maskWords);
        }
    }

    private void flushCounters() {
        ctx.distinct.addAndGet(newStates);
        ctx.transitions.addAndGet(transitions);
        newStates = 0;
        transitions = 0;
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
        return fired.clone();
    }
}
