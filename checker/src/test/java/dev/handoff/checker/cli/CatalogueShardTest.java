package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static dev.handoff.checker.cli.BoardCliTest.sharedDtb;
import static dev.handoff.checker.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Catalogue runs split over machines and reused across runs: {@code --shard i/N} parts merged by
 * {@code handoff merge} equal one unsharded run byte for byte, in every format; {@code --cache}
 * computes each distinct cell once and reuses it, and never reuses a cell of another build.
 */
class CatalogueShardTest {
    /** The shared DTBs, two policies, fw.mapping varied: a few dozen cells, a few seconds. */
    static List<String> args(String... more) {
        List<String> a = new ArrayList<>(List.of("catalogue", sharedDtb("sdm850-lenovo-yoga-c630.dtb").getParent().toString(),
                "--policy", "fw-quiesce", "--policy", "qcom-bypass", "--vary", "fw.mapping"));
        a.addAll(List.of(more));
        return a;
    }

    static CliTest.Run catalogue(String... more) {
        return run(args(more).toArray(String[]::new));
    }

    @Test
    void shardsMergedEqualTheUnshardedReportByteForByte(@TempDir Path dir) throws Exception {
        List<String> formats = CatalogueReport.FORMATS;
        List<String> whole = new ArrayList<>();
        for (String f : formats) {
            CliTest.Run r = catalogue("--format", f);
            assertEquals(ExitCode.HOLDS, r.code(), r.err());
            whole.add(r.out());
        }
        JsonNode doc = RunReport.JSON.readTree(whole.get(formats.indexOf("json")));
        for (int n : new int[] {1, 2, 7}) {
            List<String> parts = new ArrayList<>();
            Set<String> computed = new HashSet<>();
            int total = 0;
            for (int i = 1; i <= n; i++) {
                Path part = dir.resolve("part-" + i + "-of-" + n + ".json");
                CliTest.Run r = catalogue("--shard", i + "/" + n, "-o", part.toString());
                assertEquals(ExitCode.HOLDS, r.code(), r.err());
                assertEquals("", r.out(), "the part goes to the file");
                JsonNode p = RunReport.JSON.readTree(part.toFile());
                SchemaConsumersTest.valid("catalogue-part", p);
                p.get("results").fieldNames().forEachRemaining(computed::add);
                total += p.get("results").size();
                parts.add(part.toString());
            }
            assertEquals(computed.size(), total, "no cell is computed by two shards of " + n);
            if (n == 7) {
                // the parts in another order merge to the same report
                java.util.Collections.reverse(parts);
            }
            for (int k = 0; k < formats.size(); k++) {
                List<String> merge = new ArrayList<>(List.of("merge", "--format", formats.get(k)));
                merge.addAll(parts);
                CliTest.Run m = run(merge.toArray(String[]::new));
                assertEquals(ExitCode.HOLDS, m.code(), m.err());
                assertEquals(whole.get(k), m.out(), formats.get(k) + " merged from " + n + " shard(s)");
            }
        }
        // cells that are the same check run once: the db845c of 6.1 and of 6.12 (other node names, the same facts)
        int cells = 0;
        for (JsonNode b : doc.get("boards")) {
            for (JsonNode d : b.get("displays")) {
                cells += d.get("cells").size();
            }
        }
        Path one = dir.resolve("one.json");
        assertEquals(ExitCode.HOLDS, catalogue("--shard", "1/1", "-o", one.toString()).code());
        JsonNode part = RunReport.JSON.readTree(one.toFile());
        Set<String> keys = new HashSet<>();
        JsonNode db612 = null;
        JsonNode db61 = null;
        for (JsonNode b : part.get("plan").get("boards")) {
            b.get("rows").forEach(r -> r.get("keys").forEach(k -> keys.add(k.asText())));
            if (b.get("file").asText().endsWith("sdm845-db845c.dtb")) {
                db612 = b.get("rows").get(0).get("keys");
            } else if (b.get("file").asText().endsWith("sdm845-db845c-linux6.1.dtb")) {
                db61 = b.get("rows").get(0).get("keys");
            }
        }
        assertEquals(db612, db61, "the two db845c DTBs plan the same checks");
        assertEquals(keys.size(), part.get("results").size(), "each distinct cell computed once");
        assertTrue(keys.size() <= cells - 4, keys.size() + " distinct of " + cells);
    }

    @Test
    void mergeRefusesPartsThatAreNotOneRunsCompleteSet(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        assertEquals(0, catalogue("--shard", "1/2", "-o", a.toString()).code());
        assertEquals(0, catalogue("--shard", "2/2", "-o", b.toString()).code());
        CliTest.Run missing = run("merge", a.toString());
        assertEquals(ExitCode.BAD_INPUT, missing.code());
        assertEquals("handoff: missing shard(s) 2 of 2 (give every part 'handoff catalogue --shard i/2' wrote)", missing.err().trim());
        CliTest.Run twice = run("merge", a.toString(), a.toString());
        assertEquals(ExitCode.BAD_INPUT, twice.code());
        assertTrue(twice.err().contains("shard 1/2 again"), twice.err());
        Path other = dir.resolve("other.json");
        assertEquals(0, run("catalogue", sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString(), "--policy", "fw-quiesce",
                "--vary", "fw.mapping", "--shard", "2/2", "-o", other.toString()).code());
        CliTest.Run foreign = run("merge", a.toString(), other.toString());
        assertEquals(ExitCode.BAD_INPUT, foreign.code());
        assertTrue(foreign.err().contains("its plan (inputs, policies, knobs, kernels, limits) differs"), foreign.err());
        // the same arguments but a state limit: its cells are inconclusive, and the parts are not one run's
        Path limited = dir.resolve("limited.json");
        assertEquals(ExitCode.HOLDS, catalogue("--shard", "2/2", "--max-states", "10000000", "-o", limited.toString()).code());
        CliTest.Run mixed = run("merge", a.toString(), limited.toString());
        assertEquals(ExitCode.BAD_INPUT, mixed.code());
        assertTrue(mixed.err().contains("its plan (inputs, policies, knobs, kernels, limits) differs"), mixed.err());
        // a cut part, a part whose result was edited away, a report that is not a part
        Path cut = dir.resolve("cut.json");
        String text = Files.readString(b);
        Files.writeString(cut, text.substring(0, text.length() / 2));
        CliTest.Run c = run("merge", a.toString(), cut.toString());
        assertEquals(ExitCode.BAD_INPUT, c.code());
        assertTrue(c.err().trim().matches("handoff: .*cut\\.json: not JSON \\(.*\\)"), c.err());
        ObjectNode edited = (ObjectNode) RunReport.JSON.readTree(b.toFile());
        String gone = edited.get("results").fieldNames().next();
        ((ObjectNode) edited.get("results")).remove(gone);
        Path e = dir.resolve("edited.json");
        Files.writeString(e, RunReport.JSON.writeValueAsString(edited));
        CliTest.Run ed = run("merge", a.toString(), e.toString());
        assertEquals(ExitCode.BAD_INPUT, ed.code());
        assertEquals("handoff: no part holds the result of cell " + gone + ": a part was cut or edited", ed.err().trim());
        Path report = dir.resolve("report.json");
        Files.writeString(report, catalogue("--format", "json").out());
        CliTest.Run notPart = run("merge", report.toString());
        assertEquals(ExitCode.BAD_INPUT, notPart.code());
        assertTrue(notPart.err().contains("not a catalogue part (schema \"handoff.catalogue/1\""), notPart.err());
        for (String bad : List.of("0/2", "3/2", "1/0", "x", "1/2/3")) {
            CliTest.Run r = catalogue("--shard", bad);
            assertEquals(ExitCode.USAGE, r.code(), bad);
            assertTrue(r.err().contains("--shard"), r.err());
        }
        assertEquals(ExitCode.USAGE, catalogue("--shard", "1/2", "--format", "html").code(), "a part has one format");
        assertFalse(Files.exists(dir.resolve("never.json")));
    }

    @Test
    void theCacheComputesEachCellOnceAndOnlyWhatChanged(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        CliTest.Run cold = catalogue("--cache", cache.toString(), "--format", "json");
        assertEquals(ExitCode.HOLDS, cold.code(), cold.err());
        List<Path> first = entries(cache);
        int distinct = first.size();
        assertTrue(cold.err().contains("cache: 0 of " + distinct + " cell(s) found, " + distinct + " to compute"), cold.err());
        CliTest.Run warm = catalogue("--cache", cache.toString(), "--format", "json");
        assertTrue(warm.err().contains("cache: " + distinct + " of " + distinct + " cell(s) found, 0 to compute"), warm.err());
        assertEquals(cold.out(), warm.out(), "the same report from the cache");
        // a third policy: only its cells are computed
        CliTest.Run more = catalogue("--cache", cache.toString(), "--policy", "stock", "--format", "json");
        int added = entries(cache).size() - distinct;
        assertTrue(added > 0 && more.err().contains("cache: " + distinct + " of " + (distinct + added) + " cell(s) found, " + added
                + " to compute"), more.err());
        // an entry of the first run's cells, cut in half, is ignored, said and recomputed
        Path victim = first.get(0);
        Files.writeString(victim, Files.readString(victim).substring(0, 40));
        CliTest.Run mended = catalogue("--cache", cache.toString(), "--format", "json");
        assertTrue(mended.err().contains(", 1 to compute (1 unusable entries ignored)"), mended.err());
        assertEquals(cold.out(), mended.out());
        assertTrue(RunReport.JSON.readTree(victim.toFile()).get("result").has("verdict"), "rewritten whole");
        // another handoff build never reads these entries
        String build = CellKeys.codeVersion();
        try {
            CellKeys.override("0.0.0+another-build");
            CliTest.Run other = catalogue("--cache", cache.toString(), "--format", "json");
            assertTrue(other.err().contains("cache: 0 of " + distinct + " cell(s) found"), other.err());
            assertEquals(cold.out(), other.out());
        } finally {
            CellKeys.override(build);
        }
        // no temporary file is left behind
        try (Stream<Path> w = Files.walk(cache)) {
            assertTrue(w.noneMatch(f -> f.getFileName().toString().startsWith(".tmp-")));
        }
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        CliTest.Run notDir = catalogue("--cache", file.toString());
        assertEquals(ExitCode.BAD_INPUT, notDir.code());
        assertTrue(notDir.err().trim().startsWith("handoff: --cache " + file + ": "), notDir.err());
    }

    @Test
    void eachKernelIsARowOfItsOwn() throws Exception {
        CliTest.Run r = run("catalogue", sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString(), "--policy", "fw-quiesce",
                "--vary", "fw.mapping", "--kernel", "6.1,6.12", "--format", "json");
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        JsonNode doc = RunReport.JSON.readTree(r.out());
        SchemaConsumersTest.valid("catalogue", doc);
        List<String> kernels = new ArrayList<>();
        doc.get("boards").get(0).get("displays").forEach(d -> kernels.add(d.get("kernel").asText()));
        assertEquals(List.of("6.1", "6.12"), kernels);
        CliTest.Run bad = run("catalogue", sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString(), "--kernel", "4.19");
        assertEquals(ExitCode.USAGE, bad.code());
        assertTrue(bad.err().contains("4.19"), bad.err());
    }

    /**
     * Longest expected cost first, each to the least-loaded shard: every index in exactly one
     * shard, the same split every time, and no shard over the ideal share by more than one cell.
     */
    @Test
    void theSplitIsDeterministicAndBalancedByCost() {
        java.util.Random r = new java.util.Random(12);
        List<Long> costs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long clients = 1 + r.nextInt(27);
            costs.add((1 + clients) * (1 + clients));
        }
        for (int n : new int[] {1, 2, 7, 64}) {
            List<List<Integer>> split = Shards.split(costs, n);
            assertEquals(split, Shards.split(costs, n), "deterministic");
            Set<Integer> all = new HashSet<>();
            split.forEach(all::addAll);
            assertEquals(costs.size(), all.size());
            assertEquals(costs.size(), split.stream().mapToInt(List::size).sum(), "each cell in one shard");
            long total = costs.stream().mapToLong(Long::longValue).sum();
            long max = costs.stream().mapToLong(Long::longValue).max().orElseThrow();
            for (List<Integer> shard : split) {
                long load = shard.stream().mapToLong(costs::get).sum();
                assertTrue(load <= total / n + max, n + " shards: " + load + " > " + total / n + " + " + max);
            }
        }
    }

    /** Shards run at the same time share one cache directory; each entry is whole; the merge is the unsharded report. */
    @Test
    void concurrentShardsShareOneCache(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<CliTest.Run>> runs = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String part = dir.resolve("part-" + i + ".json").toString();
                String shard = i + "/3";
                runs.add(pool.submit(() -> catalogue("--shard", shard, "-o", part, "--cache", cache.toString())));
            }
            // and a whole run writing the same entries at the same time
            runs.add(pool.submit(() -> catalogue("--cache", cache.toString(), "--format", "json")));
            for (var f : runs) {
                assertEquals(ExitCode.HOLDS, f.get().code(), f.get().err());
            }
        } finally {
            pool.shutdown();
        }
        for (Path e : entries(cache)) {
            JsonNode n = RunReport.JSON.readTree(e.toFile());
            assertEquals(ResultCache.SCHEMA, n.get("schema").asText());
            assertEquals(e.getFileName().toString().replace(".json", ""), n.get("key").asText());
        }
        try (Stream<Path> w = Files.walk(cache)) {
            assertTrue(w.noneMatch(f -> f.getFileName().toString().startsWith(".tmp-")), "no temporary file left");
        }
        CliTest.Run m = run("merge", "--format", "json", dir.resolve("part-1.json").toString(), dir.resolve("part-2.json").toString(),
                dir.resolve("part-3.json").toString());
        assertEquals(catalogue("--format", "json").out(), m.out());
    }

    /**
     * A search stopped by a limit is inconclusive (exit 20) even where it found violations, and is
     * never cached: a later unlimited run computes it whole.
     */
    @Test
    void aLimitedCellIsInconclusiveAndNotCached(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        String c630 = sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString();
        CliTest.Run limited = run("catalogue", c630, "--policy", "stock", "--vary", "fw.mapping", "--max-states", "50",
                "--cache", cache.toString(), "--format", "json");
        assertEquals(ExitCode.INCONCLUSIVE, limited.code(), limited.err());
        JsonNode cell = RunReport.JSON.readTree(limited.out()).get("boards").get(0).get("displays").get(0).get("cells").get(0);
        assertEquals("INCONCLUSIVE", cell.get("verdict").asText());
        assertTrue(!Files.exists(cache) || entries(cache).isEmpty(), "nothing cached");
        CliTest.Run whole = run("catalogue", c630, "--policy", "stock", "--vary", "fw.mapping", "--cache", cache.toString(), "--format", "json");
        assertEquals(ExitCode.HOLDS, whole.code(), whole.err());
        assertTrue(whole.err().contains("cache: 0 of 2 cell(s) found"), whole.err());
    }

    /** Arguments a catalogue cannot honour are usage errors naming what to do instead; inputs are read each once. */
    @Test
    void badArgumentsAndOddInputs(@TempDir Path dir) throws Exception {
        String c630 = sharedDtb("sdm850-lenovo-yoga-c630.dtb").toString();
        CliTest.Run vk = run("catalogue", c630, "--vary", "kernel.version");
        assertEquals(ExitCode.USAGE, vk.code());
        assertTrue(vk.err().contains("give the kernels with --kernel"), vk.err());
        CliTest.Run acpi = run("catalogue", c630, "--policy", "rmr-identity");
        assertEquals(ExitCode.USAGE, acpi.code());
        assertTrue(acpi.err().contains("--policy rmr-identity needs an ACPI boot"), acpi.err());
        assertEquals(ExitCode.USAGE, run("catalogue", c630, "--vary", "fw.bogus").code());
        assertEquals(ExitCode.USAGE, run("catalogue", c630, "--policy", "bogus").code());
        assertEquals(ExitCode.USAGE, run("catalogue", c630, "--cache", "").code());
        assertEquals(ExitCode.BAD_INPUT, run("catalogue", dir.resolve("nope.dtb").toString()).code());
        // -o where nothing can be written fails before any work: an output failure, exit 74 (issue 16; was 65)
        CliTest.Run proc = run("catalogue", c630, "--policy", "stock", "-o", "/proc/handoff-report.json");
        assertEquals(ExitCode.CANNOT_WRITE, proc.code());
        assertTrue(proc.err().trim().startsWith("handoff: -o /proc/handoff-report.json: cannot"), proc.err());
        // a directory with a symbolic link loop and the same board twice (given and found)
        Path d = dir.resolve("boards");
        Files.createDirectories(d);
        Files.createSymbolicLink(d.resolve("loop"), d);
        Files.copy(Path.of(c630), d.resolve("c630.dtb"));
        CliTest.Run r = run("catalogue", d.toString(), d.resolve("c630.dtb").toString(), "--policy", "stock", "--vary", "fw.mapping");
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        assertTrue(r.err().contains("a symbolic link loop, skipped"), r.err());
        assertTrue(r.out().contains("boards: 1, checked: 1, not checked: none"), r.out());
        // two boards of one name in two directories: the reports name them by path
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.copy(Path.of(c630), other.resolve("c630.dtb"));
        CliTest.Run two = run("catalogue", d.toString(), other.toString(), "--policy", "stock", "--vary", "fw.mapping");
        assertTrue(two.out().contains(d.resolve("c630.dtb") + ": ") && two.out().contains(other.resolve("c630.dtb") + ": "), two.out());
        // a symbolic link as -o: its target is replaced, the link stays
        Path target = dir.resolve("target.txt");
        Files.writeString(target, "old");
        Path link = dir.resolve("link.txt");
        Files.createSymbolicLink(link, target);
        assertEquals(ExitCode.HOLDS, run("catalogue", c630, "--policy", "stock", "--vary", "fw.mapping", "-o", link.toString()).code());
        assertTrue(Files.isSymbolicLink(link), "the link stays");
        assertTrue(Files.readString(target).contains("boards: 1, checked: 1"), Files.readString(target));
    }

    static List<Path> entries(Path cache) throws Exception {
        try (Stream<Path> w = Files.walk(cache)) {
            return w.filter(f -> f.toString().endsWith(".json") && !f.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }
}
