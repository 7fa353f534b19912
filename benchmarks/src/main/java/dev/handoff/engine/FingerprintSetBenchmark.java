package dev.handoff.engine;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The visited set's probing cost: a lookup that hits (most seen-checks in a model checker), a
 * lookup of a new fingerprint at the load a segment reaches just before it grows, and the
 * fingerprint itself. Run with {@code handoff bench --jmh FingerprintSet}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FingerprintSetBenchmark {
    @Param({"1000000", "8000000"})
    public int size;

    private FingerprintSet set;
    private long[] present;
    private long[] absent;
    private int i;
    private final long[] state = new long[1];

    @Setup(Level.Trial)
    public void fill() {
        set = new FingerprintSet(new MemoryBudget(8L << 30));
        SplittableRandom r = new SplittableRandom(1);
        present = new long[size];
        for (int k = 0; k < size; k++) {
            present[k] = r.nextLong() | 1;
            set.add(present[k]);
        }
        absent = new long[1 << 16];
        for (int k = 0; k < absent.length; k++) {
            absent[k] = r.nextLong() | 1;
        }
    }

    @Benchmark
    public boolean hit() {
        i = (i + 7919) % size;
        return set.add(present[i]);
    }

    @Benchmark
    public boolean containsMiss() {
        return set.contains(absent[(i++) & (absent.length - 1)]);
    }

    @Benchmark
    public long fingerprint() {
        state[0] = i++;
        return Fingerprints.of(state, 0, 1);
    }
}
