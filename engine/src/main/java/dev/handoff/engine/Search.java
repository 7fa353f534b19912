package dev.handoff.engine;

/** One search strategy over a {@link SearchContext}: run it, then read what it saw. */
interface Search {
    /** Runs to exhaustion, to a decision, or to a limit. */
    void run() throws InterruptedException;

    /** True when every reachable state was expanded. */
    boolean exhausted();

    /** The deepest level (breadth-first) or stack depth (depth-first) reached. */
    int maxDepth();

    /** Per action, how many transitions took it. */
    long[] firings();
}
