package dev.handoff.engine.reference;

import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.Model;
import dev.handoff.engine.formalism.Property;
import dev.handoff.engine.formalism.StateCodec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Peterson's filter lock for n processes, written as a model author would after reading the
 * README: a record, a successor function, a codec. Many states with few successors each (at
 * most one enabled action per process).
 *
 * <p>Process i has a level {@code lvl[i]} (0: not trying) and a status {@code st[i]} (0 idle,
 * 1 waiting, 2 in the critical section); {@code victim[L]} is the last process to enter level L
 * (1 ≤ L ≤ n−1). Actions, for each i in order:
 * <ul>
 * <li>{@code enter(i)}: st[i] = 0, then lvl[i] = 1, victim[1] = i, st[i] = 1;</li>
 * <li>{@code advance(i)}: st[i] = 1 and (victim[lvl[i]] ≠ i or every other lvl[k] &lt; lvl[i]):
 *     at the top level st[i] = 2, else lvl[i] + 1 and victim[lvl[i] + 1] = i;</li>
 * <li>{@code exit(i)}: st[i] = 2, then lvl[i] = 0, st[i] = 0.</li>
 * </ul>
 * Invariant {@code mutex}: at most one process in the critical section. Its twin, with the same
 * state graph state for state, is {@link Promela#filterLock(int)}; {@link FilterLockPacked} is
 * the same model packed by hand.
 */
public final class FilterLock implements Model<FilterLock.S> {
    public static final int MIN_N = 2;
    public static final int MAX_N = 8;

    /** Levels, statuses and victims (index 0 of victim unused). */
    public record S(int[] lvl, int[] st, int[] victim) {
        @Override
        public boolean equals(Object o) {
            return o instanceof S s && Arrays.equals(lvl, s.lvl) && Arrays.equals(st, s.st) && Arrays.equals(victim, s.victim);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(lvl) + Arrays.hashCode(st)) + Arrays.hashCode(victim);
        }

        @Override
        public String toString() {
            return "lvl=" + Arrays.toString(lvl) + " st=" + Arrays.toString(st) + " victim=" + Arrays.toString(victim);
        }
    }

    private final int n;

    public FilterLock(int n) {
        if (n < MIN_N || n > MAX_N) {
            throw new IllegalArgumentException("filter: n must be between " + MIN_N + " and " + MAX_N + ", was " + n);
        }
        this.n = n;
    }

    @Override
    public List<S> initialStates() {
        return List.of(new S(new int[n], new int[n], new int[n]));
    }

    @Override
    public List<Action> actions() {
        List<Action> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Action("enter(" + i + ")", "process " + i));
            list.add(new Action("advance(" + i + ")", "process " + i));
            list.add(new Action("exit(" + i + ")", "process " + i));
        }
        return list;
    }

    @Override
    public S next(S s, int action) {
        int i = action / 3;
        int kind = action % 3;
        // the guard first, as the README's example does: most actions are disabled in most states
        boolean enabled = switch (kind) {
            case 0 -> s.st()[i] == 0;
            case 1 -> s.st()[i] == 1 && (s.victim()[s.lvl()[i]] != i || othersBelow(s.lvl(), i));
            default -> s.st()[i] == 2;
        };
        if (!enabled) {
            return null;
        }
        int[] lvl = s.lvl().clone();
        int[] st = s.st().clone();
        int[] victim = s.victim().clone();
        switch (kind) {
            case 0 -> {
                lvl[i] = 1;
                victim[1] = i;
                st[i] = 1;
            }
            case 1 -> {
                if (lvl[i] == n - 1) {
                    st[i] = 2;
                } else {
                    lvl[i]++;
                    victim[lvl[i]] = i;
                }
            }
            default -> {
                lvl[i] = 0;
                st[i] = 0;
            }
        }
        return new S(lvl, st, victim);
    }

    private boolean othersBelow(int[] lvl, int i) {
        for (int k = 0; k < n; k++) {
            if (k != i && lvl[k] >= lvl[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<Property<S>> properties() {
        return List.of(Property.always("mutex", s -> Arrays.stream(s.st()).filter(x -> x == 2).count() <= 1));
    }

    @Override
    public StateCodec<S> codec() {
        return new StateCodec<>() {
            @Override
            public int words() {
                return 1;
            }

            @Override
            public void encode(S s, long[] out, int off) {
                long w = 0;
                for (int i = 0; i < n; i++) {
                    w |= (long) s.lvl()[i] << FilterLockPacked.lvlShift(i) | (long) s.st()[i] << FilterLockPacked.stShift(n, i)
                            | (long) s.victim()[i] << FilterLockPacked.victimShift(n, i);
                }
                out[off] = w;
            }

            @Override
            public S decode(long[] in, int off) {
                long w = in[off];
                int[] lvl = new int[n];
                int[] st = new int[n];
                int[] victim = new int[n];
                for (int i = 0; i < n; i++) {
                    lvl[i] = (int) (w >>> FilterLockPacked.lvlShift(i) & 7);
                    st[i] = (int) (w >>> FilterLockPacked.stShift(n, i) & 3);
                    victim[i] = (int) (w >>> FilterLockPacked.victimShift(n, i) & 7);
                }
                return new S(lvl, st, victim);
            }
        };
    }
}
