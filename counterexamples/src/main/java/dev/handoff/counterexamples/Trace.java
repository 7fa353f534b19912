package dev.handoff.counterexamples;

import java.util.List;

/**
 * A counterexample (or witness) as a kernel engineer reads it: ordered steps, each with the
 * actor, the action, the kernel function or register it stands for and the fields it changed,
 * ending in the violating event with its witness.
 *
 * @param property the property it refutes ({@code handoff-completes} for a deadlock)
 * @param steps    the steps from the initial state
 * @param witness  the failing transaction, or {@code null} when the violation is not a fetch
 */
public record Trace(String property, List<Step> steps, WitnessInfo witness) {
    public Trace {
        steps = List.copyOf(steps);
    }

    /**
     * One step.
     *
     * @param index    1-based
     * @param actor    the state machine
     * @param action   the action's name
     * @param function the kernel function, register or spec field
     * @param changes  the fields it changed, in field order
     */
    public record Step(int index, String actor, String action, String function, List<Change> changes) {
        public Step {
            changes = List.copyOf(changes);
        }

        /**
         * The nondeterministic choice this step took, or {@code null}: for a display fetch, which
         * of its possible outcomes (fault, hang, wrong-page, or a stream ID and page without
         * pruning) the run followed. Other steps are deterministic.
         */
        public String choice() {
            int open = action.indexOf('(');
            return actor.equals("display-engine") && open >= 0 && action.endsWith(")")
                    ? action.substring(open + 1, action.length() - 1) : null;
        }
    }

    /** A field's value before and after a step. */
    public record Change(String field, String from, String to) {
    }

    /**
     * The failing transaction.
     *
     * @param outcome fault, hang, wrong-page, or for kernel writes corrupted-pages
     * @param sid     stream ID in hex, or null
     * @param iova    IOVA in hex, or null
     * @param pa      PA in hex, or null where it lands nowhere
     * @param report  how the SMMU records it ({@code global}, {@code context}, {@code event},
     *                {@code none}), or null where it is not a transaction or not known (older files)
     * @param bank    the context bank its route reached, or null
     * @param logged  whether Linux prints it when it happens (a context fault only on a bank of a
     *                domain Linux made, whose interrupt it requested), or null where not known
     * @param path    how the SMMU resolved it, or what was overwritten
     */
    public record WitnessInfo(String outcome, String sid, String iova, String pa, String report, Integer bank, Boolean logged,
                              String path) {
        /** A witness that is not a transaction the SMMU resolved (or whose route was not kept). */
        public WitnessInfo(String outcome, String sid, String iova, String pa, String path) {
            this(outcome, sid, iova, pa, null, null, null, path);
        }
    }
}
