package dev.handoff.engine;

/**
 * The dining philosophers' counts derived by transfer matrices, independently of the engine.
 *
 * <p>A configuration s[0..N-1] over {0 thinking, 1 left fork, 2 eating} is consistent iff no
 * fork is held twice: s[i-1] = 2 implies s[i] = 0. With T[a][b] = 0 exactly when a = 2 and
 * b != 0, the consistent cyclic configurations number trace(T^N) (the companion Pell number),
 * and those with (s[N-1], s[0], s[1]) = (a, b, c) number T[a][b]·T[b][c]·(T^(N-2))[c][a].
 * By rotation symmetry, the (state, enabled action) pairs are N times the sum over (a, b, c)
 * of that count times the actions philosopher 0 has enabled there.
 */
final class PhilosophersClosedForm {
    private static final long[][] T = {{1, 1, 1}, {1, 1, 1}, {1, 0, 0}};

    private PhilosophersClosedForm() {
    }

    static long states(int n) {
        long[][] p = power(n);
        return p[0][0] + p[1][1] + p[2][2];
    }

    /** (state, enabled action) pairs: the edges of the state graph. */
    static long edges(int n) {
        long[][] p = power(n - 2);
        long sum = 0;
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                for (int c = 0; c < 3; c++) {
                    long configs = T[a][b] * T[b][c] * p[c][a];
                    int enabled = (b == 0 && a != 2 ? 1 : 0) + (b == 1 && c == 0 ? 1 : 0) + (b == 2 ? 1 : 0);
                    sum += configs * enabled;
                }
            }
        }
        return n * sum;
    }

    private static long[][] power(int e) {
        long[][] r = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        for (int i = 0; i < e; i++) {
            long[][] x = new long[3][3];
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    for (int k = 0; k < 3; k++) {
                        x[a][b] += r[a][k] * T[k][b];
                    }
                }
            }
            r = x;
        }
        return r;
    }
}
