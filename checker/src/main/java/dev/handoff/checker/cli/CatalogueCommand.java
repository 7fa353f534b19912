package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.checker.cli.CatalogueData.Board;
import dev.handoff.checker.cli.CatalogueData.Catalogue;
import dev.handoff.checker.cli.CatalogueData.CellResult;
import dev.handoff.checker.cli.CatalogueData.Plan;
import dev.handoff.checker.cli.CatalogueData.Row;
import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.SearchListener;
import dev.handoff.model.board.BoardFacts;
import dev.handoff.model.board.BoardPlatforms;
import dev.handoff.model.scenario.KernelVersions;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Policies;
import dev.handoff.model.scenario.Policy;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.ScenarioException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code handoff catalogue DIR|FILE…}: every board of a kernel tree's DTBs in one run, the
 * regression gate for a kernel release or a SoC vendor. Each board is read and its displays'
 * matrices (policy × the firmware facts a DTB cannot state, per kernel) are planned as
 * {@code handoff board} plans one; then the distinct cells of every board run side by side on all
 * cores (identical cells, as two DTBs of one board give, once), served from {@code --cache} when
 * they were computed before, or only a shard's share of them ({@code --shard i/N}, combined by
 * {@code handoff merge}). A board that cannot be checked is counted by its reason, not hidden.
 */
@Command(name = "catalogue",
        header = "Checks every board of a set of device trees (directories or files) in one run.",
        mixinStandardHelpOptions = true,
        description = {
            "Reads every *.dtb under the given directories (and every file given), and for each board whose display sits"
                + " behind an ARM SMMU runs the matrix 'handoff board' runs: each policy that applies to a device-tree boot,"
                + " times the firmware facts the DTB cannot state (--vary; default fw.mapping and fw.smr, less what the board"
                + " fixes), under each --kernel. Boards that cannot be checked are counted by reason (unreadable, no display"
                + " controller, every display disabled, a display without iommus or with unusable ones, behind an SMMU that"
                + " is not an ARM SMMU or is disabled).",
            "Cells that are the same check (the same facts, knobs, kernel and handoff build) run once. --cache DIR keeps"
                + " every decided cell for the next run (safe to share between concurrent shards). --shard i/N runs the"
                + " i-th of N cost-balanced shares of the cells and writes a part; 'handoff merge' combines the N parts into"
                + " exactly the report one unsharded run writes.",
            "Output (--format): text (a line per display and the summary), json (handoff.catalogue/1, 'handoff schema"
                + " catalogue'), markdown, junit (a test case per board and policy) or html (a self-contained page: a heat"
                + " map of displays x policies coloured by the worst outcome, and each board's findings).",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the catalogue ran (its verdicts are in the report)",
            "20:some cell was inconclusive (a limit was reached first)",
            ExitCode.ROW_USAGE,
            "65:no input file exists, or none is a readable DTB; --cache or --output cannot be written",
            ExitCode.ROW_INTERNAL, ExitCode.ROW_CANNOT_WRITE, ExitCode.ROW_INTERRUPTED,
        })
final class CatalogueCommand implements Callable<Integer> {
    static final String PART_SCHEMA = "handoff.catalogue-part/1";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR|FILE", arity = "1..*", description = "Directories (searched for *.dtb, recursively) and DTB files.")
    List<Path> inputs;

    @Option(names = "--policy", paramLabel = "POLICY", completionCandidates = Names.PolicyNames.class,
            description = "A policy to include; repeatable (default: every policy that applies to a device-tree boot).")
    List<String> policies = new ArrayList<>();

    @Option(names = "--vary", paramLabel = "KNOB", completionCandidates = Names.KnobNames.class,
            description = "Knobs the boards cannot fix; repeatable (default: fw.mapping, fw.smr, less what a board fixes).")
    List<String> vary = new ArrayList<>();

    @Option(names = "--kernel", paramLabel = "VERSION", split = ",",
            description = "Kernel versions to check each board under; repeatable or comma-separated (default: "
                    + KernelVersions.DEFAULT + "; allowed: 5.10, 5.15, 6.1, 6.6, 6.12).")
    List<String> kernels = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json, markdown, junit or html. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report (or the shard's part) to FILE, atomically, instead of standard output.")
    Path output;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Reuse and keep decided cells in DIR (one file per cell, keyed by what the check depends on"
                    + " and the handoff build; atomic writes, safe to share between shards).")
    Path cache;

    @Option(names = "--shard", paramLabel = "i/N",
            description = "Run only the i-th of N cost-balanced shares of the distinct cells (1 <= i <= N) and write a"
                    + " part (JSON) for 'handoff merge'.")
    String shard;

    @Mixin
    ExplorationOptions exploration;

    /** A cell to compute: its scenario, the key's text and an expected cost. */
    record Job(Scenario scenario, String canonical, long cost) {
    }

    @Override
    public Integer call() throws IOException {
        CheckOptions.requireFormat(spec, format, CatalogueReport.FORMATS.toArray(String[]::new));
        Shards.Shard part = null;
        if (shard != null) {
            try {
                part = Shards.Shard.parse(shard);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (spec.commandLine().getParseResult().hasMatchedOption("--format")) {
                throw new ParameterException(spec.commandLine(), "--shard writes a part for 'handoff merge', which takes --format");
            }
        }
        List<String> chosen = new ArrayList<>();
        if (policies.isEmpty()) {
            Policies.applying("dt").stream().map(Policy::name).forEach(chosen::add);
        } else {
            for (String p : policies) {
                String name;
                try {
                    name = Names.policy(p);
                } catch (InputException e) {
                    throw new ParameterException(spec.commandLine(), "--policy: " + e.getMessage());
                }
                // every board a catalogue reads is a device-tree boot
                if (!Policies.fits(Policies.get(name, ""), "dt")) {
                    throw new ParameterException(spec.commandLine(), "--policy " + name + " needs an ACPI boot; a catalogue checks"
                            + " device-tree boards (its policies: " + String.join(", ", Policies.applying("dt").stream().map(Policy::name).toList()) + ")");
                }
                if (!chosen.contains(name)) {
                    chosen.add(name);
                }
            }
        }
        List<String> knobs = new ArrayList<>();
        for (String k : vary.isEmpty() ? List.of("fw.mapping", "fw.smr") : vary) {
            try {
                Knobs.get(k, "--vary ");
            } catch (ScenarioException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (k.equals(Knobs.KERNEL_VERSION)) {
                throw new ParameterException(spec.commandLine(), "--vary " + k + ": give the kernels with --kernel (e.g. --kernel 6.1,6.12),"
                        + " which makes a row per display and kernel");
            }
            if (!knobs.contains(k)) {
                knobs.add(k);
            }
        }
        for (var o : new Object[][] {{"--cache", cache}, {"--output", output}}) {
            if (o[1] != null && o[1].toString().isBlank()) {
                throw new ParameterException(spec.commandLine(), o[0] + " needs a path (it was empty)");
            }
        }
        List<String> versions = new ArrayList<>();
        for (String k : kernels.isEmpty() ? List.of(KernelVersions.DEFAULT) : kernels) {
            String v = k.trim();
            try {
                KernelVersions.check(v, "--kernel: ");
            } catch (ScenarioException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (!versions.contains(v)) {
                versions.add(v);
            }
        }
        ExplorationSettings settings = exploration.settings(ExplorationSettings.defaults());
        PrintWriter err = Verbosity.info(spec);
        boolean progress = Verbosity.verbose(spec) || exploration.progress;
        ResultCache store = cache == null ? null : ResultCache.open(cache);
        ReportFiles.notAnInput(spec, output, "-o");
        writable(output);
        long start = System.nanoTime();

        List<Path> files = files();
        Map<String, Job> jobs = new HashMap<>();
        List<Board> boards = new ArrayList<>();
        for (Path f : files) {
            boards.add(board(f, chosen, knobs, versions, settings, jobs));
        }
        if (boards.stream().noneMatch(b -> b.checked() || !b.reason().startsWith(CatalogueData.UNREADABLE))) {
            throw new InputException("no readable DTB among " + files.size() + " file(s)");
        }
        List<String> limits = new ArrayList<>();
        if (exploration.maxStates != null) {
            limits.add("--max-states " + exploration.maxStates);
        }
        if (exploration.timeLimit != null) {
            limits.add("--time-limit " + exploration.timeLimit);
        }
        if (exploration.memory != null) {
            limits.add("--memory " + exploration.memory);
        }
        Plan plan = new Plan(chosen, knobs, versions, String.join(" ", limits), boards);
        List<String> unique = plan.uniqueKeys();
        List<String> mine = unique;
        if (part != null) {
            List<List<Integer>> split = Shards.split(unique.stream().map(k -> jobs.get(k).cost()).toList(), part.count());
            mine = split.get(part.index() - 1).stream().map(unique::get).toList();
        }
        err.printf(Locale.ROOT, "handoff: %d board(s), %d checked; %d cells, %d distinct%s; planned in %.1f s%n", boards.size(),
                boards.stream().filter(Board::checked).count(), plan.cells(), unique.size(),
                part == null ? "" : ", " + mine.size() + " in shard " + part, (System.nanoTime() - start) / 1e9);
        err.flush();

        Map<String, CellResult> results = run(mine, jobs, store, settings, progress, err);
        PrintWriter out = spec.commandLine().getOut();
        String text;
        boolean inconclusive;
        if (part != null) {
            text = part(plan, part, results);
            inconclusive = results.values().stream().anyMatch(c -> c.verdict() == dev.handoff.engine.Verdict.INCONCLUSIVE);
        } else {
            Catalogue c = new Catalogue(plan, results);
            text = CatalogueReport.render(c, format);
            inconclusive = c.anyInconclusive();
        }
        emit(spec, output, text, err);
        err.printf(Locale.ROOT, "handoff: done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        err.flush();
        return inconclusive ? ExitCode.INCONCLUSIVE : ExitCode.HOLDS;
    }

    /** Writes the report to FILE atomically, or to standard output. */
    static void emit(CommandSpec spec, Path output, String text, PrintWriter err) {
        if (output != null) {
            ReportFiles.write(output, text);
            err.println("handoff: wrote " + output);
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
            if (out.checkError()) {
                throw new InputException("cannot write the report to standard output");
            }
        }
    }

    /** Fails now, before any work, when {@code output} cannot be written (its directory is made if missing). */
    static void writable(Path output) {
        if (output == null) {
            return;
        }
        if (Files.isDirectory(output)) {
            throw new OutputException("-o " + output + ": is a directory");
        }
        if (Files.exists(output) && !Files.isRegularFile(output)) {
            if (!Files.isWritable(output)) {
                throw new OutputException("-o " + output + ": not writable");
            }
            return;
        }
        Path dir = output.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException | RuntimeException e) {
            throw new OutputException("-o " + output + ": cannot create its directory " + dir);
        }
        try {
            Path probe = Files.createTempFile(dir, ".handoff-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            throw new OutputException("-o " + output + ": cannot write in " + dir);
        }
    }

    /** Computes (or takes from the cache) each key's result: the costliest first, on every worker. */
    private static Map<String, CellResult> run(List<String> keys, Map<String, Job> jobs, ResultCache store, ExplorationSettings settings,
                                               boolean progress, PrintWriter err) {
        Map<String, CellResult> results = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> todo = new ArrayList<>();
        for (String k : keys) {
            CellResult r = store == null ? null : store.get(k);
            if (r != null) {
                results.put(k, r);
            } else {
                todo.add(k);
            }
        }
        todo.sort(java.util.Comparator.comparing((String k) -> jobs.get(k).cost()).reversed());
        if (store != null) {
            err.printf(Locale.ROOT, "handoff: cache: %d of %d cell(s) found, %d to compute%s%n", keys.size() - todo.size(), keys.size(),
                    todo.size(), store.unusable() == 0 ? "" : " (" + store.unusable() + " unusable entries ignored)");
            err.flush();
        }
        AtomicInteger done = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong costDone = new java.util.concurrent.atomic.AtomicLong();
        long costAll = todo.stream().mapToLong(k -> jobs.get(k).cost()).sum();
        long start = System.nanoTime();
        long[] lastPrint = {start};
        List<Callable<CellResult>> cells = new ArrayList<>();
        for (String k : todo) {
            Job j = jobs.get(k);
            cells.add(() -> {
                HandoffCheck.Outcome o = HandoffCheck.run(j.scenario(), List.of(), true, false, 0, settings.withWorkers(1),
                        SearchListener.NONE, false);
                CellResult r = CellResult.of(o);
                results.put(k, r);
                if (store != null) {
                    store.put(k, j.canonical(), r);
                }
                int n = done.incrementAndGet();
                long c = costDone.addAndGet(j.cost());
                if (progress) {
                    synchronized (lastPrint) {
                        long now = System.nanoTime();
                        if (now - lastPrint[0] > 5_000_000_000L || n == todo.size()) {
                            lastPrint[0] = now;
                            double s = (now - start) / 1e9;
                            err.printf(Locale.ROOT, "handoff: [%d/%d] cells computed, %.0f s%s%n", n, todo.size(), s,
                                    n == todo.size() ? "" : String.format(Locale.ROOT, ", about %.0f s to go", s / c * (costAll - c)));
                            err.flush();
                        }
                    }
                }
                return r;
            });
        }
        SweepRunner.runAll(cells, settings.workers());
        return results;
    }

    /** The part a shard writes: the plan (every shard's is the same) and its own cells' results. */
    static String part(Plan plan, Shards.Shard part, Map<String, CellResult> results) throws IOException {
        ObjectNode root = RunReport.JSON.createObjectNode();
        root.put("schema", PART_SCHEMA);
        root.put("handoff", CellKeys.codeVersion());
        root.putObject("shard").put("index", part.index()).put("count", part.count());
        root.set("plan", plan.json());
        ObjectNode rs = root.putObject("results");
        new java.util.TreeMap<>(results).forEach((k, r) -> rs.set(k, r.json()));
        return RunReport.JSON.writeValueAsString(root) + "\n";
    }

    /**
     * Every DTB the inputs name, each once, in path order: directories searched recursively,
     * symbolic links followed (a loop is skipped with a warning), a *.dtb link to nothing kept (it
     * is counted as unreadable); a missing input is bad input.
     */
    private List<Path> files() throws IOException {
        java.util.LinkedHashMap<Path, Path> out = new java.util.LinkedHashMap<>();
        PrintWriter err = Verbosity.info(spec);
        for (Path p : inputs) {
            if (!Files.exists(p)) {
                throw new InputException(p + ": no such file or directory");
            }
            if (Files.isDirectory(p)) {
                List<Path> found = new ArrayList<>();
                Files.walkFileTree(p, java.util.EnumSet.of(java.nio.file.FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                        new java.nio.file.SimpleFileVisitor<>() {
                            @Override
                            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
                                if (f.getFileName().toString().endsWith(".dtb") && !a.isDirectory()) {
                                    found.add(f);
                                }
                                return java.nio.file.FileVisitResult.CONTINUE;
                            }

                            @Override
                            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                                if (e instanceof java.nio.file.FileSystemLoopException) {
                                    err.println("handoff: warning: " + f + ": a symbolic link loop, skipped");
                                } else if (f.getFileName().toString().endsWith(".dtb")) {
                                    found.add(f);
                                } else {
                                    err.println("handoff: warning: " + f + ": cannot read it (" + e.getMessage() + "), skipped");
                                }
                                return java.nio.file.FileVisitResult.CONTINUE;
                            }
                        });
                found.stream().sorted().forEach(f -> out.putIfAbsent(key(f), f));
            } else {
                out.putIfAbsent(key(p), p);
            }
        }
        err.flush();
        if (out.isEmpty()) {
            throw new InputException("no *.dtb under " + String.join(", ", inputs.stream().map(Path::toString).toList()));
        }
        return new ArrayList<>(out.values());
    }

    /** The file an input names, to check each once (given twice, or by two paths). */
    private static Path key(Path f) {
        try {
            return f.toRealPath();
        } catch (IOException e) {
            return f.toAbsolutePath().normalize();
        }
    }

    /** A board read and planned (its cells added to {@code jobs}), or the reason it cannot be checked. */
    private Board board(Path f, List<String> chosen, List<String> knobs, List<String> versions, ExplorationSettings settings,
                        Map<String, Job> jobs) {
        BoardFacts facts;
        try {
            facts = BoardCommand.readFacts(f, null);
        } catch (InputException | IOException e) {
            return new Board(f.toString(), "", CatalogueData.UNREADABLE + e.getMessage(), List.of());
        }
        List<BoardPlatforms.Target> targets;
        try {
            targets = BoardPlatforms.targets(facts);
        } catch (BoardPlatforms.NoMatrixException e) {
            return new Board(f.toString(), facts.model(), e.getMessage(), List.of());
        }
        String code = CellKeys.codeVersion();
        List<Row> rows = new ArrayList<>();
        Map<String, Job> found = new LinkedHashMap<>();
        try {
            for (BoardPlatforms.Target t : targets) {
                List<String> varied = vary.isEmpty() ? knobs.stream().filter(k -> !t.platform().knobDefaults().containsKey(k)).toList() : knobs;
                List<Map<String, String>> variants = SweepRunner.variants(varied);
                List<String> labels = variants.stream().map(SweepRunner::label).toList();
                for (String version : versions) {
                    List<String> keys = new ArrayList<>();
                    for (String p : chosen) {
                        for (Map<String, String> v : variants) {
                            Map<String, String> o = new LinkedHashMap<>(v);
                            o.put(Knobs.KERNEL_VERSION, version);
                            Scenario s = Scenario.of(t.platform(), p, o);
                            String canonical = CellKeys.canonical(code, s, List.of(), settings);
                            String key = CellKeys.key(canonical);
                            keys.add(key);
                            if (!jobs.containsKey(key)) {
                                // the expected cost derives the model's config: once per distinct cell
                                found.computeIfAbsent(key, k -> new Job(s, canonical, Shards.cost(s)));
                            }
                        }
                    }
                    rows.add(new Row(t.display().path(), t.smmu().path(), version, labels, keys));
                }
            }
        } catch (ScenarioException e) {
            return new Board(f.toString(), facts.model(), "the model cannot take this board: " + e.getMessage(), List.of());
        }
        found.forEach(jobs::putIfAbsent);
        return new Board(f.toString(), facts.model(), null, rows);
    }
}
