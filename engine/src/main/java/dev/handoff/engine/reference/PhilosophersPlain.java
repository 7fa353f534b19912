package dev.handoff.engine.reference;

import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.Model;
import dev.handoff.engine.formalism.Property;
import dev.handoff.engine.formalism.StateCodec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The dining philosophers ({@link Philosophers}) written the plain way, as the README teaches: a
 * record per state, {@code next} returning a new one, and a codec; the benchmark's plain form.
 */
public final class PhilosophersPlain implements Model<PhilosophersPlain.Table> {
    /** Each philosopher's state: 0 thinking, 1 holding the left fork, 2 eating. */
    public record Table(byte[] s) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Table t && Arrays.equals(s, t.s);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(s);
        }
    }

    private final int n;

    public PhilosophersPlain(int n) {
        if (n < Philosophers.MIN_N || n > Philosophers.MAX_N) {
            throw new IllegalArgumentException("2 to 32 philosophers (two bits each in one word), not " + n);
        }
        this.n = n;
    }

    @Override
    public List<Table> initialStates() {
        return List.of(new Table(new byte[n]));
    }

    @Override
    public List<Action> actions() {
        List<Action> a = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            a.add(new Action("take(" + i + ")", "philosopher " + i));
            a.add(new Action("eat(" + i + ")", "philosopher " + i));
            a.add(new Action("release(" + i + ")", "philosopher " + i));
        }
        return a;
    }

    @Override
    public Table next(Table t, int action) {
        int i = action / 3;
        byte[] s = t.s();
        byte left = s[(i + n - 1) % n];
        byte right = s[(i + 1) % n];
        byte to = switch (action % 3) {
            case 0 -> s[i] == 0 && left != 2 ? (byte) 1 : -1;
            case 1 -> s[i] == 1 && right == 0 ? (byte) 2 : -1;
            default -> s[i] == 2 ? (byte) 0 : -1;
        };
        if (to < 0) {
            return null;
        }
        byte[] c = s.clone();
        c[i] = to;
        return new Table(c);
    }

    @Override
    public List<Property<Table>> properties() {
        return List.of(Property.always("exclusion", t -> {
            for (int i = 0; i < n; i++) {
                if (t.s()[i] == 2 && t.s()[(i + 1) % n] == 2) {
                    return false;
                }
            }
            return true;
        }));
    }

    @Override
    public StateCodec<Table> codec() {
        return new StateCodec<>() {
            @Override
            public int words() {
                return 1;
            }

            @Override
            public void encode(Table t, long[] out, int off) {
                long w = 0;
                for (int i = 0; i < n; i++) {
                    w |= (long) t.s()[i] << (2 * i);
                }
                out[off] = w;
            }

            @Override
            public Table decode(long[] in, int off) {
                byte[] s = new byte[n];
                for (int i = 0; i < n; i++) {
                    s[i] = (byte) (in[off] >>> (2 * i) & 3);
                }
                return new Table(s);
            }
        };
    }
}
