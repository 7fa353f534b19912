package dev.handoff.engine.reference;

import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.Model;
import dev.handoff.engine.formalism.Property;
import dev.handoff.engine.formalism.StateCodec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * k counters modulo m, each with an increment action, stored one counter per word so that a
 * state spans several words: the reference model for multi-word states and the exact store.
 *
 * <p>Reachable states: m^k. Transitions: k · m^k (every increment is always enabled). Invariant
 * {@code not-all-max}: not every counter equals m−1; its shortest counterexample has k·(m−1)
 * steps. No state is terminal and none deadlocks.
 */
public final class Counters implements Model<Counters.Values> {
    /** The counters' values. */
    public record Values(int[] v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Values other && Arrays.equals(v, other.v);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(v);
        }

        @Override
        public String toString() {
            return Arrays.toString(v);
        }
    }

    private final int k;
    private final int m;
    private final boolean inRange;

    public Counters(int k, int m) {
        this(k, m, false);
    }

    /**
     * With {@code inRange}, the invariant is {@code in-range} (every counter below m), which
     * holds: the run explores the whole graph, as a benchmark must.
     */
    public Counters(int k, int m, boolean inRange) {
        if (k < 1 || k > 16 || m < 1) {
            throw new IllegalArgumentException("counters: k must be 1..16 and m at least 1");
        }
        this.k = k;
        this.m = m;
        this.inRange = inRange;
    }

    @Override
    public List<Values> initialStates() {
        return List.of(new Values(new int[k]));
    }

    @Override
    public List<Action> actions() {
        List<Action> list = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            list.add(new Action("inc(" + i + ")", "counter " + i));
        }
        return list;
    }

    @Override
    public Values next(Values s, int action) {
        int[] v = s.v().clone();
        v[action] = (v[action] + 1) % m;
        return new Values(v);
    }

    @Override
    public List<Property<Values>> properties() {
        if (inRange) {
            return List.of(Property.always("in-range", s -> Arrays.stream(s.v()).allMatch(x -> x < m)));
        }
        return List.of(Property.always("not-all-max", s -> Arrays.stream(s.v()).anyMatch(x -> x != m - 1)));
    }

    @Override
    public StateCodec<Values> codec() {
        return new StateCodec<>() {
            @Override
            public int words() {
                return k;
            }

            @Override
            public void encode(Values s, long[] out, int off) {
                for (int i = 0; i < k; i++) {
                    out[off + i] = s.v()[i];
                }
            }

            @Override
            public Values decode(long[] in, int off) {
                int[] v = new int[k];
                for (int i = 0; i < k; i++) {
                    v[i] = (int) in[off + i];
                }
                return new Values(v);
            }
        };
    }
}
