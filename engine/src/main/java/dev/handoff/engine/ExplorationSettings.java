package dev.handoff.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How one run explores: immutable; build from {@link #defaults()} with the {@code with…}
 * methods.
 *
 * @param strategy             breadth-first (shortest counterexamples) or depth-first
 * @param store                fingerprints or exact states
 * @param workers              worker threads, at least 1; depth-first search uses one whatever this
 *                             says (accepted, so that one settings object serves both strategies;
 *                             {@link Statistics#workers} reports the one)
 * @param maxStates            stop as INCONCLUSIVE after this many distinct states; 0 = no limit
 * @param timeLimit            stop as INCONCLUSIVE after this long; {@code null} = no limit
 * @param deadline             stop as INCONCLUSIVE at this instant too (the whole command's
 *                             {@code --time-limit}); {@code null} = none
 * @param memoryBudget         bytes the stores may hold; past it the run stops as INCONCLUSIVE
 * @param checkDeadlock        report a non-terminal state without enabled actions as a deadlock
 * @param stopAtFirstViolation end at the first violated property (after finishing the current
 *                             breadth-first level, so counts do not depend on the worker count)
 *                             instead of deciding every property
 * @param progressInterval     how often {@link SearchListener#progress} is called
 * @param counterexamples      how many deciding states to keep per property, best first (the
 *                             shallowest, ties by fingerprint). An invariant stays open until it
 *                             has that many violations; a {@code sometimes} is decided by its first
 *                             witness and keeps up to that many of the witnesses at the same depth
 *                             (breadth-first: the level's; depth-first: only the first found)
 * @param reduction            what the search cuts ({@link Reduction})
 * @param checkDeterminism     call every model method twice and compare (a transition from a copy
 *                             of its state), ending the run at the first difference with an
 *                             internal error ({@code --check-determinism}); about twice the cost
 * @param exhaustive           explore the whole reachable space (up to the limits) even once every
 *                             property is decided, so that the counts are the space's, as SPIN's and
 *                             TLC's are ({@code --exhaustive}); the verdicts and paths are the same
 */
public record ExplorationSettings(
        SearchStrategy strategy,
        StoreMode store,
        int workers,
        long maxStates,
        Duration timeLimit,
        long memoryBudget,
        boolean checkDeadlock,
        boolean stopAtFirstViolation,
        Duration progressInterval,
        int counterexamples,
        Reduction reduction,
        boolean checkDeterminism,
        java.time.Instant deadline,
        boolean exhaustive) {

    public ExplorationSettings {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(reduction, "reduction");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        if (maxStates < 0) {
            throw new IllegalArgumentException("maxStates must be 0 (no limit) or positive, was " + maxStates);
        }
        if (memoryBudget < 1 << 20) {
            throw new IllegalArgumentException("memoryBudget must be at least 1 MiB, was " + memoryBudget);
        }
        if (counterexamples < 1) {
            throw new IllegalArgumentException("counterexamples must be at least 1, was " + counterexamples);
        }
        if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
            throw new IllegalArgumentException("timeLimit must be positive, was " + timeLimit);
        }
        if (exhaustive && stopAtFirstViolation) {
            throw new IllegalArgumentException("exhaustive explores past every decision and stopAtFirstViolation stops at"
                    + " the first: set one of them");
        }
    }

    /**
     * Breadth-first, fingerprints, all cores, no state or time limit, deadlock checking on,
     * every property decided, and a memory budget of {@link #defaultMemoryBudget()}.
     */
    public static ExplorationSettings defaults() {
        return new ExplorationSettings(SearchStrategy.BFS, StoreMode.FINGERPRINT,
                Runtime.getRuntime().availableProcessors(), 0, null, defaultMemoryBudget(),
                true, false, Duration.ofSeconds(1), 1, Reduction.NONE, false, null, false);
    }

    /**
     * Three quarters of the maximum heap: leaves room for the frontier, garbage and the
     * moment a store segment holds its old and new table at once.
     */
    public static long defaultMemoryBudget() {
        return Math.max(1 << 20, Runtime.getRuntime().maxMemory() / 4 * 3);
    }

    public ExplorationSettings withStrategy(SearchStrategy s) {
        return new ExplorationSettings(s, store, workers, maxStates, timeLimit, memoryBudget, checkDeadlock, stopAtFirstViolation, progressInterval, counterexamples, reduction, checkDeterminism, deadline, exhaustive);
    }

    public ExplorationSettings withStore(StoreMode s) {
        return new ExplorationSettings(strategy, s, workers, maxStates, timeLimit, memoryBudget, checkDeadlock, stopAtFirstViolation, progressInterval, counterexamples, reduction, checkDeterminism, deadline, exhaustive);
    }

    public ExplorationSettings withWorkers(int n) {
        return new ExplorationSettings(strategy, store, n, maxStates, timeLimit, memoryBudget, checkDeadlock, stopAtFirstViolation, progressInterval, counterexamples, reduction, checkDeterminism, deadline, exhaustive);
    }

    public ExplorationSettings withMaxStates(long n) {
        return new ExplorationSettings(strategy, store, workers, n, timeLimit, memoryBudget, checkDeadlock, stopAtFirstViolation, progressInterval, counterexamples, reduction, checkDeterminism, deadline, exhaustive);
    }

    public ExplorationSettings withTimeLimit(Duration d) {
        return new ExplorationSettings(strategy, store, workers, maxStates, d, memoryBudget, checkDeadlock, stopAtFirstViolation, progressInterval, counterexamples, reduction, checkDeterminism, deadline, exhaustive);
    }

    public ExplorationSettings withMemoryBudget(long bytes) {
        return new ExplorationSettings(strategy, store, workers, maxStates, timeLimit, bytes, checkDeadlock, stopAtFirstViolation, progressInterval, counterexamples, reduction, checkDeterminism, deadline, exhaustive);
    }

    public ExplorationSettings withCheckDeadlock(boolean b) {
        return new ExplorationSettings(strategy, store, workers, maxStates, timeLimit, memoryBudget, b, stopAtFirstViolation, progressInterval, counterexamples, reduction, checkDeterminism, deadline, exhaustive);
    }

    public ExplorationSettings withStopAtFirstViolation(boolean b) {
        return new ExplorationSettings(strategy, store, workers, maxStates, timeLimit, memoryBudget, checkDeadlock, b, progressInterval, counterexamples, reduction, checkDeterminism, deadline, exhaustive);
    }

    public ExplorationSettings withProgressInterval(Duration d) {
        return new ExplorationSettings(strategy, store, workers, maxStates, timeLimit, memoryBudget, checkDeadlock, stopAtFirstViolation, d, counterexamples, reduction, checkDeterminism, deadline, exhaustive);
    }

    public ExplorationSettings withCounterexamples(int n) {
        return new ExplorationSettings(strategy, store, workers, maxStates, timeLimit, memoryBudget, checkDeadlock, stopAtFirstViolation, progressInterval, n, reduction, checkDeterminism, deadline, exhaustive);
    }

    public ExplorationSettings withReduction(Reduction r) {
        return new ExplorationSettings(strategy, store, workers, maxStates, timeLimit, memoryBudget, checkDeadlock, stopAtFirstViolation, progressInterval, counterexamples, r, checkDeterminism, deadline, exhaustive);
    }

    public ExplorationSettings withCheckDeterminism(boolean b) {
        return new ExplorationSettings(strategy, store, workers, maxStates, timeLimit, memoryBudget, checkDeadlock, stopAtFirstViolation, progressInterval, counterexamples, reduction, b, deadline, exhaustive);
    }

    /**
     * Every search with these settings stops by {@code d} as well as after its own time limit: a
     * command that runs many checks (a sweep, a board's matrix) gives them one deadline, so
     * {@code --time-limit} bounds the whole run.
     */
    public ExplorationSettings withDeadline(java.time.Instant d) {
        return new ExplorationSettings(strategy, store, workers, maxStates, timeLimit, memoryBudget, checkDeadlock, stopAtFirstViolation, progressInterval, counterexamples, reduction, checkDeterminism, d, exhaustive);
    }

    /** See {@link #exhaustive}; refused together with {@link #stopAtFirstViolation}. */
    public ExplorationSettings withExhaustive(boolean b) {
        return new ExplorationSettings(strategy, store, workers, maxStates, timeLimit, memoryBudget, checkDeadlock, stopAtFirstViolation, progressInterval, counterexamples, reduction, checkDeterminism, deadline, b);
    }

    /** Workers the strategy actually uses. */
    int effectiveWorkers() {
        return strategy == SearchStrategy.DFS ? 1 : workers;
    }
}
