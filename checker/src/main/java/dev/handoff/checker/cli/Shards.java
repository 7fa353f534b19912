package dev.handoff.checker.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A deterministic split of a run's distinct cells into N shards, balanced by expected cost:
 * longest-processing-time first (cells by falling cost, ties in plan order, each to the shard
 * with the least cost so far, ties to the lowest shard). Every shard computes the same split
 * from the same plan, so no coordinator is needed.
 */
final class Shards {
    private Shards() {
    }

    /** A shard as "i/N" (1 ≤ i ≤ N ≤ 10,000). */
    record Shard(int index, int count) {
        static Shard parse(String s) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,5})/([0-9]{1,5})").matcher(s.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("--shard \"" + s + "\" is not i/N (allowed: 1/1 to 10000/10000, e.g. 3/8;"
                        + " a Kubernetes Indexed Job's 0-based index is i-1)");
            }
            int i = Integer.parseInt(m.group(1));
            int n = Integer.parseInt(m.group(2));
            if (n < 1 || n > 10_000 || i < 1 || i > n) {
                throw new IllegalArgumentException("--shard " + s + " is out of range (allowed: 1 <= i <= N <= 10000)");
            }
            return new Shard(i, n);
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }
    }

    /**
     * The expected cost of a cell, from its scenario alone (so that every shard computes the same
     * split): the square of the masters the model runs. Over the Debian 6.12 catalogue's 3,900
     * distinct cells a cell's time grows with its masters about so (per-cell times measured before
     * the speed-ups of issue 12: 14 ms with one master, 70 ms with 14, 380 ms with 27; the shares
     * of a 4-way split of that catalogue then took 82 to 111 s of CPU), each master adding probe steps and stream
     * entries every fetch and isolation check walks.
     */
    static long cost(dev.handoff.model.scenario.Scenario s) {
        long clients = dev.handoff.model.handoff.HandoffConfig.of(s).clients().size();
        return (1 + clients) * (1 + clients);
    }

    /** For each shard (0-based), the indices into {@code costs} it runs, in falling cost. */
    static List<List<Integer>> split(List<Long> costs, int n) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < costs.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> costs.get(i)).reversed().thenComparing(i -> i));
        List<List<Integer>> out = new ArrayList<>();
        long[] load = new long[n];
        for (int s = 0; s < n; s++) {
            out.add(new ArrayList<>());
        }
        for (int i : order) {
            int best = 0;
            for (int s = 1; s < n; s++) {
                if (load[s] < load[best]) {
                    best = s;
                }
            }
            out.get(best).add(i);
            load[best] += Math.max(1, costs.get(i));
        }
        return out;
    }
}
