package dev.handoff.engine.reference;

import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.PackedModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference benchmark of {@code shared/bench/README.md}: N dining philosophers in a ring,
 * philosopher i between fork i (left) and fork i+1 (right), written directly against
 * {@link PackedModel} so that successor generation allocates nothing.
 *
 * <p>State: one word, two bits per philosopher: 0 thinking, 1 holds the left fork, 2 eating.
 * Actions, for each i in order take(i), eat(i), release(i), with L = i-1 and R = i+1 mod N:
 * take: s[i] = 0 and s[L] != 2, then s[i] = 1; eat: s[i] = 1 and s[R] = 0, then s[i] = 2;
 * release: s[i] = 2, then s[i] = 0. Invariant {@code exclusion}: no two neighbours eat.
 * Reachable states: (1+√2)^N + (1−√2)^N. The model deadlocks (every philosopher holds a left
 * fork), so the benchmark runs without deadlock checking.
 *
 * <p>With {@code plantedBug}, eat(0) ignores its right neighbour, so that the invariant fails;
 * the shortest counterexample then has 4 steps (both take their left fork, both eat) for N ≥ 3.
 */
public final class Philosophers extends OneWordModel {
    public static final int MIN_N = 2;
    public static final int MAX_N = 32;
    private static final int TAKE = 0;
    private static final int EAT = 1;
    private static final int RELEASE = 2;

    private final int n;
    private final boolean plantedBug;
    private final int[] shift;
    private final int[] leftShift;
    private final int[] rightShift;
    private final int[] kind;
    private final long eatingBits;

    /**
     * @throws IllegalArgumentException unless {@value #MIN_N} ≤ n ≤ {@value #MAX_N}
     */
    public Philosophers(int n, boolean plantedBug) {
        super(actions(n), "exclusion");
        this.n = n;
        this.plantedBug = plantedBug;
        shift = new int[3 * n];
        leftShift = new int[3 * n];
        rightShift = new int[3 * n];
        kind = new int[3 * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                int a = 3 * i + k;
                shift[a] = 2 * i;
                leftShift[a] = 2 * ((i + n - 1) % n);
                rightShift[a] = 2 * ((i + 1) % n);
                kind[a] = k;
            }
        }
        long bits = 0;
        for (int i = 0; i < n; i++) {
            bits |= 2L << (2 * i);
        }
        this.eatingBits = bits;
    }

    /** take(i), eat(i), release(i) for each philosopher in order; checks n first. */
    private static List<Action> actions(int n) {
        if (n < MIN_N || n > MAX_N) {
            throw new IllegalArgumentException("philosophers: n must be between " + MIN_N + " and " + MAX_N + ", was " + n);
        }
        List<Action> list = new ArrayList<>(3 * n);
        for (int i = 0; i < n; i++) {
            String actor = "philosopher " + i;
            list.add(new Action("take(" + i + ")", actor));
            list.add(new Action("eat(" + i + ")", actor));
            list.add(new Action("release(" + i + ")", actor));
        }
        return list;
    }

    public int n() {
        return n;
    }

    /** (1+√2)^N + (1−√2)^N, the companion Pell number Q(N): the reachable state count. */
    public static long expectedStates(int n) {
        long a = 2;
        long b = 2;
        for (int i = 1; i < n; i++) {
            long c = 2 * b + a;
            a = b;
            b = c;
        }
        return n == 0 ? 2 : b;
    }

    @Override
    public boolean next(long[] src, int srcOff, int action, long[] dst, int dstOff) {
        long s = src[srcOff];
        int sh = shift[action];
        long mine = s >>> sh & 3;
        switch (kind[action]) {
            case TAKE -> {
                if (mine != 0 || (s >>> leftShift[action] & 3) == 2) {
                    return false;
                }
                dst[dstOff] = s | 1L << sh;
            }
            case EAT -> {
                if (mine != 1 || !(plantedBug && sh == 0) && (s >>> rightShift[action] & 3) != 0) {
                    return false;
                }
                dst[dstOff] = s ^ 3L << sh;
            }
            default -> {
                if (mine != 2) {
                    return false;
                }
                dst[dstOff] = s & ~(3L << sh);
            }
        }
        return true;
    }

    @Override
    public long evaluate(long[] state, int off) {
        long eating = state[off] & eatingBits;
        long rotated = (eating >>> 2 | eating << (2 * n - 2)) & eatingBits;
        return (eating & rotated) == 0 ? 1 : 0;
    }

    @Override
    public String describe(long[] state, int off) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append("TLE".charAt((int) (state[off] >>> 2 * i & 3)));
        }
        return sb.append(']').toString();
    }
}
