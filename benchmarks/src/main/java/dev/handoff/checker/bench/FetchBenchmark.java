package dev.handoff.checker.bench;

import dev.handoff.model.constraints.ConstraintAdapter;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.smmu.FetchOutcome;
import dev.handoff.model.smmu.Resolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One display fetch of the C630 (4 live stream IDs × 2,026 framebuffer pages) in a state where it
 * faults: decided with constraints from a warm cache, decided with a cold solver, and decided by
 * enumerating every (stream ID, page). Run with {@code handoff bench --jmh Fetch}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FetchBenchmark {
    private HandoffModel model;
    private HandoffState state;

    @Setup(Level.Trial)
    public void setUp() {
        model = new HandoffModel(Scenario.of(Platforms.C630, "stock", Map.of(Knobs.FW_MAPPING, "translated")), true);
        HandoffState s = model.initialStates().get(0);
        for (int step = 0; step < 200 && model.fetchOutcomes(s).isEmpty(); step++) {
            HandoffState next = null;
            for (int a = 0; a < model.actions().size() && next == null; a++) {
                if (!model.actions().get(a).actor().equals("display-engine")) {
                    next = model.next(s, a);
                }
            }
            s = next;
        }
        state = s;
    }

    @Benchmark
    public Object prunedCached() {
        return model.fetchOutcomes(state);
    }

    @Benchmark
    public Object prunedCold() {
        HandoffModel fresh = new HandoffModel(model.config(), true, new ConstraintAdapter());
        return fresh.fetchOutcomes(state);
    }

    @Benchmark
    public EnumSet<FetchOutcome> naive() {
        EnumSet<FetchOutcome> all = EnumSet.noneOf(FetchOutcome.class);
        Resolver.Window w = model.window(state);
        for (int sid : Resolver.enumerate(w.streams())) {
            for (long p = 0; p < w.pages(); p++) {
                all.addAll(Resolver.naive(state.v2(), sid, w.iovaPage() + p, w, model.tables(state)));
            }
        }
        return all;
    }
}
