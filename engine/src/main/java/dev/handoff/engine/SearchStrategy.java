package dev.handoff.engine;

/** How the state graph is traversed. */
public enum SearchStrategy {
    /** Level by level; every counterexample is a shortest one. Runs on all workers. */
    BFS,
    /** Depth first with an explicit stack; one worker; counterexamples may be long. Uses less memory for wide graphs. */
    DFS
}
