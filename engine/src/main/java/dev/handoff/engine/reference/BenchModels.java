package dev.handoff.engine.reference;

import dev.handoff.engine.formalism.PackedModel;
import dev.handoff.engine.formalism.PackedModels;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The models {@code handoff bench} measures, each in its packed form (written against
 * {@link PackedModel}) and its plain form (a {@link dev.handoff.engine.formalism.Model}
 * of records, as the README teaches), with its Promela twin and the counts it must give. Each
 * runs with deadlock checking off and an invariant that holds, so a run explores the whole
 * graph, as SPIN does.
 */
public final class BenchModels {
    private BenchModels() {
    }

    /**
     * One benchmark model.
     *
     * @param states      the distinct states for size n, or -1 where not known
     * @param transitions the transitions (successors generated, plus one per initial state: SPIN's
     *                    "stored+matched") for size n, or -1 where not known
     * @param plain       the plain form
     */
    public record Bench(String name, String graph, int defaultN, int minN, int maxN, IntFunction<PackedModel> packed,
                        IntFunction<PackedModel> plain, IntFunction<String> promela, IntFunction<Long> states,
                        IntFunction<Long> transitions) {
    }

    /** Filter-lock counts measured with SPIN 6.5 on the Promela twin (pan -DBFS -DSAFETY -DNOREDUCE). */
    static final Map<Integer, long[]> FILTER_SPIN = Map.of(
            2, new long[] {10, 17}, 3, new long[] {81, 169}, 4, new long[] {876, 2_193},
            5, new long[] {11_365, 33_031}, 6, new long[] {168_738, 555_673}, 7, new long[] {2_804_627, 10_294_425});

    /** Width m of each of the four counters of the wide model. */
    public static final int WIDE_COUNTERS = 4;

    public static final List<Bench> ALL = List.of(
            new Bench("philosophers", "the reference benchmark: a ring, many successors per state", 16,
                    Philosophers.MIN_N, Philosophers.MAX_N, n -> new Philosophers(n, false), n -> PackedModels.of(new PhilosophersPlain(n)),
                    Promela::philosophers,
                    n -> Philosophers.expectedStates(n), n -> -1L),
            new Bench("chain", "one counter modulo n: n levels of one state each", 1_000_000, 2, 1 << 26,
                    n -> new CountersPacked(1, n, true), n -> PackedModels.of(new Counters(1, n, true)),
                    n -> Promela.counters(1, n), n -> (long) n, n -> n + 1L),
            new Bench("wide", "four counters modulo n: n^4 states in levels of up to tens of thousands", 32, 2, 255,
                    n -> new CountersPacked(WIDE_COUNTERS, n, true), n -> PackedModels.of(new Counters(WIDE_COUNTERS, n, true)),
                    n -> Promela.counters(WIDE_COUNTERS, n), n -> pow(n, WIDE_COUNTERS), n -> WIDE_COUNTERS * pow(n, WIDE_COUNTERS) + 1),
            new Bench("filter", "Peterson's filter lock: many states, few successors each", 7, FilterLock.MIN_N,
                    FilterLock.MAX_N, FilterLockPacked::new, n -> PackedModels.of(new FilterLock(n)), Promela::filterLock,
                    n -> FILTER_SPIN.containsKey(n) ? FILTER_SPIN.get(n)[0] : -1L,
                    n -> FILTER_SPIN.containsKey(n) ? FILTER_SPIN.get(n)[1] : -1L));

    public static Bench named(String name) {
        return ALL.stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
    }

    public static List<String> names() {
        return ALL.stream().map(Bench::name).toList();
    }

    private static long pow(long b, int e) {
        long r = 1;
        for (int i = 0; i < e; i++) {
            r *= b;
        }
        return r;
    }
}
