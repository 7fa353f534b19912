package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationResult;
import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.Explorer;
import dev.handoff.engine.Verdict;
import dev.handoff.engine.reference.BenchModels;
import dev.handoff.engine.reference.Promela;
import dev.handoff.engine.formalism.PackedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The benchmark models: packed and plain forms explore the same graph (counts, firings,
 * verdicts), and both give the counts SPIN gives on the Promela twin: pinned here from SPIN 6.5
 * runs (pan -DBFS -DSAFETY -DNOREDUCE), and compared live where spin and gcc are installed.
 */
class BenchModelsTest {
    /** SPIN's "states, stored" and "transitions (= stored+matched)" on each twin, measured on this project's machine. */
    static Stream<Arguments> spinCounts() {
        return Stream.of(
                Arguments.of("filter", 2, 10L, 17L), Arguments.of("filter", 3, 81L, 169L),
                Arguments.of("filter", 4, 876L, 2_193L), Arguments.of("filter", 5, 11_365L, 33_031L),
                Arguments.of("filter", 6, 168_738L, 555_673L),
                Arguments.of("chain", 1_000, 1_000L, 1_001L), Arguments.of("wide", 10, 10_000L, 40_001L),
                Arguments.of("philosophers", 10, 6_726L, 43_481L));
    }

    static ExplorationResult explore(PackedModel m, int workers) {
        return Explorer.explore(m, ExplorationSettings.defaults().withCheckDeadlock(false).withWorkers(workers));
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("spinCounts")
    void bothFormsGiveSpinsCounts(String name, int n, long states, long transitions) {
        BenchModels.Bench b = BenchModels.named(name);
        ExplorationResult packed = explore(b.packed().apply(n), 2);
        assertEquals(states, packed.statistics().distinctStates(), "states");
        assertEquals(transitions, packed.statistics().transitions(), "transitions");
        assertEquals(Verdict.HOLDS, packed.properties().get(0).verdict());
        long known = b.states().apply(n);
        assertTrue(known == -1 || known == states, "the bench's expected count");
        if (b.plain() != null) {
            ExplorationResult plain = explore(b.plain().apply(n), 1);
            assertEquals(states, plain.statistics().distinctStates());
            assertEquals(transitions, plain.statistics().transitions());
            assertArrayEquals(packed.statistics().actionFirings(), plain.statistics().actionFirings(), "the same graph, action by action");
        }
    }

    static Stream<Arguments> liveSpin() {
        return spinCounts().filter(a -> a.get()[0].equals("chain") || a.get()[0].equals("wide") || a.get()[1].equals(4));
    }

    /** Where SPIN is installed, the twin is run (one size of each model): its counts must be the model's. */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("liveSpin")
    void theTwinGivesTheSameCountsUnderSpin(String name, int n, long states, long transitions) throws Exception {
        assumeTrue(onPath("spin") && onPath("gcc"), "spin and gcc are not installed");
        SpinBaseline.Result r = SpinBaseline.run(BenchModels.named(name).promela().apply(n), 1L << 30);
        assertEquals(states, r.states());
        assertEquals(transitions, r.transitions());
    }

    @Test
    void theFilterTwinSaysWhatTheModelDoes() {
        String pml = Promela.filterLock(3);
        assertTrue(pml.contains("(st[0]==1 && (victim[lvl[0]] != 0 || (lvl[1] < lvl[0] && lvl[2] < lvl[0]))) ->"), pml);
        assertTrue(pml.contains(":: lvl[0]==2 -> st[0]=2"), pml);
    }

    @Test
    void benchChecksItsCountsAndNamesBadInput() {
        CliTest.Run ok = CliTest.run("bench", "--model", "wide", "--n", "8", "--plain", "--workers", "2");
        assertEquals(ExitCode.HOLDS, ok.code(), ok.err());
        assertTrue(ok.out().contains("model=wide n=8 form=plain workers=2") && ok.out().contains("distinctStates=4096 transitions=16385"), ok.out());
        CliTest.Run bad = CliTest.run("bench", "--model", "towers");
        assertEquals(ExitCode.USAGE, bad.code());
        assertTrue(bad.err().contains("'towers' is not a benchmark (allowed: philosophers, chain, wide, filter)"), bad.err());
        CliTest.Run plain = CliTest.run("bench", "--plain", "--n", "8");
        assertEquals(ExitCode.HOLDS, plain.code(), plain.err());
        assertTrue(plain.out().contains("form=plain") && plain.out().contains("distinctStates="
                + dev.handoff.engine.reference.Philosophers.expectedStates(8) + " "), plain.out());
        CliTest.Run big = CliTest.run("bench", "--model", "filter", "--n", "9");
        assertTrue(big.err().contains("--n 9 is out of range for filter (allowed: 2 to 8)"), big.err());
        for (String reduction : new String[] {"por", "symmetry", "por+symmetry"}) {
            // por was an internal error (exit 70: no footprints), symmetry silently ran unreduced
            CliTest.Run reduced = CliTest.run("bench", "--model", "wide", "--n", "8", "--reduction", reduction);
            assertEquals(ExitCode.USAGE, reduced.code(), reduced.err());
            assertTrue(reduced.err().contains("--reduction " + reduction + ": bench explores the whole space and checks its counts"
                    + " against the known ones (allowed: none)"), reduced.err());
        }
    }

    private static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(d -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(d, tool)));
    }
}
