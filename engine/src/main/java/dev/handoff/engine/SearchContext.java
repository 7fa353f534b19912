package dev.handoff.engine;

import dev.handoff.engine.formalism.PackedModel;
import dev.handoff.engine.formalism.PropertyKind;
import dev.handoff.engine.formalism.PropertySpec;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the workers of one search share: the model, the stores, the findings and the stop
 * flags. One instance per run; no globals.
 *
 * <p>Findings keep, per property, the best candidate state: the shallowest, ties broken by the
 * smallest fingerprint, so that which counterexample a breadth-first run reports does not
 * depend on how workers interleave. Findings are rare, so they are synchronized.
 */
final class SearchContext {
    final PackedModel model;
    final ExplorationSettings settings;
    final int words;
    final int actionCount;
    /** Partial-order reduction, or null. */
    final StubbornSets stubborn;
    final MemoryBudget budget;
    final VisitedSet visited;
    final ParentLog log;
    final long alwaysMask;
    final long sometimesMask;
    final long startNanos;
    /** Nanoseconds from startNanos to the earlier of the time limit and the deadline; MAX_VALUE for none. */
    private final long timeSpanNanos;
    private final String timeReason;

    /** Properties not yet decided; a worker reads these once per chunk. */
    volatile long pendingAlways;
    volatile long pendingSometimes;
    /** Set when a limit ends the run; workers stop at the next chunk. */
    volatile boolean halted;
    private String stopReason;

    final AtomicLong distinct = new AtomicLong();
    final AtomicLong transitions = new AtomicLong();
    final AtomicLong queued = new AtomicLong();
    volatile int depth;

    private final List<Candidate>[] found;
    private Candidate deadlock;

    /** A state that decides a property: where it sits and how to find it again. */
    record Candidate(int depth, int id, long fp) {
        boolean betterThan(Candidate o) {
            return o == null || depth < o.depth || depth == o.depth && Long.compareUnsigned(fp, o.fp) < 0;
        }
    }

    SearchContext(PackedModel model, ExplorationSettings settings) {
        this.model = model;
        this.settings = settings;
        this.words = model.stateWords();
        this.actionCount = model.actions().size();
        this.stubborn = settings.reduction().partialOrder() ? new StubbornSets(model) : null;
        this.budget = new MemoryBudget(settings.memoryBudget());
        this.visited = settings.store() == StoreMode.EXACT
                ? new ExactStateSet(words, budget) : new FingerprintSet(budget);
        this.log = new ParentLog(budget);
        List<PropertySpec> props = model.properties();
        long a = 0;
        long s = 0;
        for (int i = 0; i < props.size(); i++) {
            if (props.get(i).kind() == PropertyKind.ALWAYS) {
                a |= 1L << i;
            } else {
                s |= 1L << i;
            }
        }
        this.alwaysMask = a;
        this.sometimesMask = s;
        this.pendingAlways = a;
        this.pendingSometimes = s;
        @SuppressWarnings("unchecked")
        List<Candidate>[] lists = new List[props.size()];
        for (int i = 0; i < lists.length; i++) {
            lists[i] = new java.util.ArrayList<>();
        }
        this.found = lists;
        this.startNanos = System.nanoTime();
        // nanoTime may be any value, so deadlines are kept as spans from startNanos, compared by subtraction
        long own = settings.timeLimit() == null ? Long.MAX_VALUE : saturatedNanos(settings.timeLimit());
        long shared = settings.deadline() == null ? Long.MAX_VALUE
                : Math.max(0, saturatedNanos(java.time.Duration.between(java.time.Instant.now(), settings.deadline())));
        this.timeSpanNanos = Math.min(own, shared);
        // a time limit is named as set even when a deadline (the whole command's, from that same
        // limit) is what ends this run; a bare deadline is named by its instant
        this.timeReason = own == Long.MAX_VALUE && shared == Long.MAX_VALUE ? null
                : settings.timeLimit() != null ? "time limit reached (" + human(settings.timeLimit()) + ")"
                : "time limit reached (the deadline " + settings.deadline() + ")";
    }

    private static long saturatedNanos(java.time.Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    /** A duration as a person reads it: {@code 300 ms}, {@code 90 s}, {@code 2 h 5 min}. */
    static String human(java.time.Duration d) {
        long ms = d.toMillis();
        long sec = d.toSeconds();
        if (ms < 1000 || ms < 10_000 && ms % 1000 != 0) {
            return ms + " ms";
        }
        if (ms % 1000 != 0) {
            return java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + " s";
        }
        if (sec < 3600 || sec % 60 != 0) {
            return sec + " s";
        }
        return sec / 3600 + " h" + (sec % 3600 / 60 == 0 ? "" : " " + sec % 3600 / 60 + " min");
    }

    /** A byte count as a person reads it: whole MiB when it is a whole number of them, bytes otherwise. */
    static String bytes(long n) {
        return n % (1 << 20) == 0 ? n / (1 << 20) + " MiB" : String.format(java.util.Locale.ROOT, "%,d bytes", n);
    }

    /** Records that a new state at {@code depth} violates the invariants in {@code bad} and reaches the witnesses in {@code hit}. */
    synchronized void found(long bad, long hit, int depth, int id, long fp) {
        Candidate c = new Candidate(depth, id, fp);
        long bits = bad | hit;
        while (bits != 0) {
            int i = Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            keep(found[i], c, settings.counterexamples());
        }
        if (settings.strategy() == SearchStrategy.DFS) {
            settle();
        }
    }

    /** Keeps the {@code limit} best candidates, best first. */
    private static void keep(List<Candidate> list, Candidate c, int limit) {
        int at = 0;
        while (at < list.size() && !c.betterThan(list.get(at))) {
            at++;
        }
        if (at < limit) {
            list.add(at, c);
            if (list.size() > limit) {
                list.remove(list.size() - 1);
            }
        }
    }

    /**
     * Checks the properties still undecided on a new state at {@code state[off ..]} and records it
     * as a finding where it decides one. Skips the model entirely once every property is decided.
     */
    void check(long[] state, int off, int depth, int id, long fp) {
        long pendingA = pendingAlways;
        long pendingS = pendingSometimes;
        if ((pendingA | pendingS) != 0) {
            long holds;
            try {
                holds = model.evaluate(state, off);
            } catch (RuntimeException e) {
                throw ModelFailureException.evaluating(model, state, off, e);
            }
            long bad = pendingA & ~holds;
            long hit = pendingS & holds;
            if ((bad | hit) != 0) {
                found(bad, hit, depth, id, fp);
            }
        }
    }

    /** Records a state without enabled actions that is not terminal. */
    synchronized void deadlock(int depth, int id, long fp) {
        Candidate c = new Candidate(depth, id, fp);
        if (c.betterThan(deadlock)) {
            deadlock = c;
        }
    }

    /**
     * Marks decided properties as no longer pending; called between breadth-first levels (and
     * at once by depth-first search), so that every candidate of a level competes.
     *
     * @return true when the search has nothing left to decide (and is not exhaustive) or should stop
     *         at the first violation
     */
    synchronized boolean settle() {
        long a = pendingAlways;
        long s = pendingSometimes;
        for (int i = 0; i < found.length; i++) {
            boolean full = found[i].size() >= settings.counterexamples()
                    || (sometimesMask >>> i & 1) != 0 && !found[i].isEmpty();
            if (full) {
                a &= ~(1L << i);
                s &= ~(1L << i);
            }
        }
        pendingAlways = a;
        pendingSometimes = s;
        boolean violation = deadlock != null;
        for (int i = 0; i < found.length; i++) {
            violation |= (alwaysMask >>> i & 1) != 0 && !found[i].isEmpty();
        }
        boolean allDecided = a == 0 && s == 0 && (deadlock != null || !settings.checkDeadlock());
        if (!allDecided && violation && settings.stopAtFirstViolation() && stopReason == null) {
            // name what is open: properties, the deadlock question, or both
            String open = a == 0 && s == 0 ? "whether the space has a deadlock is undecided"
                    : deadlock == null && settings.checkDeadlock() ? "the other properties and whether the space has a deadlock are undecided"
                    : "the other properties are undecided";
            stopReason = "stopped at the first violation (stopAtFirstViolation): " + open;
        }
        // exhaustive: decided properties are no longer evaluated, but the space is explored to the end
        return allDecided && !settings.exhaustive() || violation && settings.stopAtFirstViolation();
    }

    /** The kept candidates of a property, best first. */
    synchronized List<Candidate> found(int property) {
        return List.copyOf(found[property]);
    }

    synchronized Candidate deadlock() {
        return deadlock;
    }

    /** Ends the run because a limit was reached; the first reason given wins. */
    synchronized void halt(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        halted = true;
    }

    synchronized String stopReason() {
        return stopReason;
    }

    /** Checks the limits; called by each worker once per chunk of states. */
    void checkLimits() {
        long max = settings.maxStates();
        if (max > 0 && distinct.get() >= max) {
            halt(String.format(java.util.Locale.ROOT, "state limit reached (%,d states)", max));
        } else if (timeSpanNanos != Long.MAX_VALUE && System.nanoTime() - startNanos >= timeSpanNanos) {
            halt(timeReason);
        } else if (budget.exceeded()) {
            halt("memory budget reached (" + bytes(budget.limit()) + "; raise it, --memory or withMemoryBudget, or the heap, -Xmx)");
        }
    }

    /** Handles a store that could not grow or a heap that ran out, so the run ends cleanly. */
    void onResourceFailure(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            halt("out of memory: the heap filled before the memory budget did (raise the heap, -Xmx, or lower the budget,"
                    + " --memory or withMemoryBudget)");
        } else {
            halt(t.getMessage());
        }
    }

    SearchListener.Progress progress() {
        return new SearchListener.Progress(distinct.get(), transitions.get(), depth, queued.get(),
                (System.nanoTime() - startNanos) / 1e9);
    }
}
