package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.engine.ExplorationSettings;
import dev.handoff.model.board.BoardFacts;
import dev.handoff.model.board.BoardInputException;
import dev.handoff.model.board.BoardPlatforms;
import dev.handoff.model.board.DeviceTreeReader;
import dev.handoff.model.board.IortReader;
import dev.handoff.model.handoff.Client;
import dev.handoff.model.handoff.HandoffConfig;
import dev.handoff.model.scenario.Policies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code handoff board FILE.dtb} (or {@code --acpi IORT.bin}): a real board's facts, findings and what-if matrix. */
@Command(name = "board",
        header = "Checks a real board, read from its device tree blob or ACPI IORT table.", mixinStandardHelpOptions = true,
        description = {
            "Reads a board's device tree blob (or, with --acpi, its IORT table), prints its SMMUs, devices, "
                + "reserved regions, framebuffers and findings, then runs the what-if matrix for each enabled display "
                + "behind an ARM SMMU: the board fixes stream IDs, masks, the SMMU's hooks, the display's reset and the "
                + "scanout's reservation; what it cannot say (fw.mapping, fw.smr by default) is varied. It ends with "
                + "the policies that keep the display safe in every variant. Exit 65 (after the facts) when no matrix "
                + "can be run.",
            "With --fix it searches instead for the cheapest changes (device tree, firmware, kernel) under which every "
                + "chosen property holds in every variant, proves each, and prints the device-tree ones as an overlay and a "
                + "diff, compiled with dtc, applied with fdtoverlay and re-checked on the patched blob when they are installed; "
                + "--fix-for POLICY keeps POLICY's kernel and changes only the board.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the matrix ran (and, with --require-safe, every required policy is safe); --fix: every display has a fix"
                    + " or needs none",
            "10:--require-safe: a named policy is not safe in every variant, or (no names) no policy is;"
                    + " --fail-on: a cell violates a property at that level (11 for a deadlock); --fix: no candidate in the"
                    + " space is safe",
            ExitCode.ROW_INCONCLUSIVE + "; --fix: the budget or a limit stopped the search before a fix", ExitCode.ROW_USAGE,
            "65:the file cannot be read, or the board has nothing handoff can check (the facts are still printed)",
            ExitCode.ROW_INTERNAL, ExitCode.ROW_CANNOT_WRITE, ExitCode.ROW_INTERRUPTED,
        })
final class BoardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.dtb", arity = "0..1",
            description = "The device tree blob the bootloader loads (or its source, FILE.dts, compiled with dtc when installed).")
    Path dtb;

    @Option(names = "--acpi", paramLabel = "IORT.bin", description = "Read an ACPI IORT table instead of a DTB.")
    Path iort;

    @Option(names = "--policy", paramLabel = "POLICY", completionCandidates = Names.PolicyNames.class, description = "A policy to include; repeatable (default: all).")
    List<String> policies = new ArrayList<>();

    @Option(names = "--vary", paramLabel = "KNOB", completionCandidates = Names.KnobNames.class, description = "Knobs the board cannot fix; repeatable (default: fw.mapping, fw.smr).")
    List<String> vary = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", completionCandidates = Names.SweepFormats.class, defaultValue = "text",
            description = "text, json, markdown (CI step summary: facts, matrix, each violation's chart and trace),"
                    + " junit (XML: a testcase per display, policy, variant and property; policies the board cannot"
                    + " run are skipped). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--trace-out", paramLabel = "FILE",
            description = "Write each violation's trace to FILE with .POLICY.VARIANT.PROPERTY.json in place of .json.")
    Path traceOut;

    @Option(names = "--require-safe", paramLabel = "POLICY", completionCandidates = Names.PolicyNames.class, arity = "0..*",
            description = "CI gate: exit 10 unless each named policy keeps every display safe in every variant;"
                    + " with no name, unless at least one policy does.")
    List<String> requireSafe;

    @Option(names = "--fix", description = "Search for the cheapest changes (device tree, firmware, kernel) under which every"
            + " chosen property holds in every variant, prove each, and print a device tree overlay and diff for the"
            + " device-tree ones. The kernel is taken as it is (no policy).")
    boolean fix;

    @Option(names = "--fix-for", paramLabel = "POLICY", completionCandidates = Names.PolicyNames.class,
            description = "As --fix, with POLICY's kernel fixed: the smallest board change (device tree, firmware) that makes POLICY safe;"
                    + " 'all': for every preset the board can run, whether it is safe as the board is or its cheapest board change.")
    String fixFor;

    @Mixin
    FixOptions fixOptions;

    @Option(names = "--fix-out", paramLabel = "PREFIX", description = "With --fix: write each fix's overlay to PREFIX.fixN.dtso"
            + " and its diff to PREFIX.fixN.diff (N counts the fixes, per display when there are several).")
    String fixOut;

    @Mixin
    ScenarioOptions scenario;

    @Mixin
    CheckOptions check;

    @Mixin
    ReportFiles reports;

    @Mixin
    ExplorationOptions exploration;

    /**
     * A board's facts from its DTB (or DTS, compiled with dtc) or its IORT table.
     *
     * @throws InputException naming the file and offset when it cannot be read
     */
    static BoardFacts readFacts(Path dtb, Path iort) throws java.io.IOException {
        if (dtb == null || !DtsCompiler.isSource(dtb)) {
            return read(dtb, iort, null).facts();
        }
        Path dir = java.nio.file.Files.createTempDirectory("handoff-dts");
        try {
            return read(dtb, iort, dir).facts();
        } finally {
            deleteAll(dir);
        }
    }

    /** A board as read: its facts, and for a device tree the parsed tree and the blob (compiled into {@code dir} from a DTS). */
    record Read(BoardFacts facts, dev.handoff.model.board.Fdt fdt, Path blob) {
    }

    /**
     * Reads a DTB (or DTS, compiled with dtc into {@code dir}) or an IORT table.
     *
     * @throws InputException naming the file and offset when it cannot be read
     */
    static Read read(Path dtb, Path iort, Path dir) throws java.io.IOException {
        try {
            if (dtb == null) {
                return new Read(IortReader.read(iort), null, null);
            }
            Path blob = DtsCompiler.isSource(dtb) ? DtsCompiler.compile(dtb, dir) : dtb;
            dev.handoff.model.board.Fdt fdt = DeviceTreeReader.parse(blob);
            return new Read(DeviceTreeReader.facts(dtb.toString(), fdt), fdt, blob);
        } catch (BoardInputException e) {
            throw new InputException(e.getMessage());
        }
    }

    static void deleteAll(Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            for (Path f : files.toList()) {
                java.nio.file.Files.deleteIfExists(f);
            }
        }
        java.nio.file.Files.deleteIfExists(dir);
    }

    @Override
    public Integer call() throws Exception {
        ReportFiles.traceStem(spec, traceOut);
        CheckOptions.requireFormat(spec, format, "text", "json", "markdown", "junit");
        FailOn gate = check.failOn(spec, null);
        if ((dtb == null) == (iort == null)) {
            throw new ParameterException(spec.commandLine(), "give either a FILE.dtb or --acpi IORT.bin");
        }
        if (scenario.platform != null) {
            throw new ParameterException(spec.commandLine(), "--platform does not apply to board: the board's file is its platform");
        }
        scenario.requireOnlyKnobs("board");
        FixOptions.requireFix(spec, fix || fixFor != null, "--fix-out");
        if (fix || fixFor != null) {
            return fix(gate);
        }
        List<String> required = requireSafe == null ? null : requireSafe.stream().map(Names::policy).toList();
        BoardFacts facts = readFacts(dtb, iort);
        List<String> chosen = Names.policies(policies);
        // a board boots the way it is described: a policy whose firmware description needs the other
        // interface (an IORT RMR on a DTB board, iommu-addresses on an IORT board) does not apply
        List<String[]> skipped = skipOtherInterface(chosen, facts);
        for (String k : vary) {
            if (scenario.overrides().containsKey(k)) {
                throw new ParameterException(spec.commandLine(), "knob \"" + k + "\" is both varied (--vary) and fixed (--set); choose one");
            }
        }
        // by default the knobs --set fixes are not varied (their columns would show values the cells do not have)
        List<String> knobs = vary.isEmpty() ? List.of("fw.mapping", "fw.smr").stream()
                .filter(k -> !scenario.overrides().containsKey(k)).toList() : vary;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Planned planned = plan(facts, scenario.givenKnobs());
        List<BoardPlatforms.Target> targets = planned.targets();
        String noMatrix = planned.noMatrix();
        List<String> names = Names.properties(check.properties);
        ExplorationSettings settings = exploration.settings(ExplorationSettings.defaults());
        CellProgress listener = Verbosity.cells(spec, exploration.progress);
        List<SweepRunner.Result> results = new ArrayList<>();
        for (BoardPlatforms.Target t : targets) {
            // the board's facts are its platform's knob defaults; policies set no hardware fact
            String prefix = targets.size() > 1 ? t.platform().name() + "." : "";
            // by default the firmware facts a DTB cannot state are varied; one it states (an
            // iommu-addresses entry fixes fw.mapping) is not
            List<String> varied = vary.isEmpty() ? knobs.stream().filter(k -> !t.platform().knobDefaults().containsKey(k)).toList() : knobs;
            results.add(SweepRunner.run((p, v) -> scenario.scenario(t.platform(), p, v), chosen, varied, names,
                    !check.noPruning, check.countSaved, check.maxCounterexamples(spec), settings, exploration.crossCheck, listener, (label, o) -> {
                        if (traceOut != null) {
                            HandoffReports.writeTraces(traceOut, prefix + label, o).forEach(f -> Verbosity.info(spec).println("handoff: wrote " + f));
                        }
                    }));
        }
        List<BoardPlatforms.Target> ts = targets;
        reports.write(() -> dev.handoff.counterexamples.Reports.junit(entries(ts, results, skipped, names)),
                () -> markdown(facts, ts, results, skipped, names), Verbosity.info(spec));
        switch (format) {
            case "json" -> {
                out.println(exploration.json(document(facts, targets, results, chosen, knobs, names, skipped)));
            }
            case "junit" -> out.print(dev.handoff.counterexamples.Reports.junit(entries(targets, results, skipped, names)));
            case "markdown" -> out.print(markdown(facts, targets, results, skipped, names));
            default -> {
                text(out, facts, targets, results);
                skipped.forEach(x -> out.println("not run: " + x[0] + ": " + x[1]));
            }
        }
        out.flush();
        if (noMatrix != null) {
            err.println("handoff: no matrix for " + facts.source() + ": " + noMatrix);
            return ExitCode.BAD_INPUT;
        }
        if (gate != null) {
            int worst = results.stream().flatMap(r -> r.all().stream()).mapToInt(o -> o.exitCode(gate))
                    .filter(c -> c != ExitCode.HOLDS).min().orElse(ExitCode.HOLDS);
            if (worst != ExitCode.HOLDS) {
                return worst;
            }
        }
        if (required != null) {
            String failed = gate(required, skipped, targets, results);
            if (failed != null) {
                err.println("handoff: " + failed);
                return ExitCode.SAFETY_VIOLATED;
            }
        }
        return results.stream().flatMap(r -> r.all().stream()).anyMatch(o -> o.verdict() == dev.handoff.engine.Verdict.INCONCLUSIVE)
                ? ExitCode.INCONCLUSIVE : ExitCode.HOLDS;
    }

    /** {@code --fix} / {@code --fix-for}: the fix search per display. */
    private int fix(FailOn gate) throws java.io.IOException {
        if (fix && fixFor != null) {
            throw new ParameterException(spec.commandLine(), "give --fix or --fix-for POLICY, not both");
        }
        if (!format.equals("text") && !format.equals("json")) {
            throw new ParameterException(spec.commandLine(), "--format " + format + " does not apply to --fix (allowed with --fix: text, json)");
        }
        if (gate != null || requireSafe != null || !policies.isEmpty() || traceOut != null) {
            throw new ParameterException(spec.commandLine(), "--fail-on, --require-safe, --policy and --trace-out do not apply to"
                    + " --fix (it answers with fixes; --fix-for names the policy)");
        }
        FixOptions.refuseWithFix(spec, "--junit-out", "--markdown-out");
        FixOptions.checkVary(spec, vary, scenario.overrides().keySet());
        Map<String, Integer> costs = fixOptions.costs(spec, iort == null);
        java.util.Set<String> forbidden = fixOptions.forbidden(spec, iort == null);
        boolean every = "all".equals(fixFor);
        String policy;
        try {
            policy = fixFor == null || every ? null : Names.policy(fixFor);
        } catch (InputException e) {
            throw new ParameterException(spec.commandLine(), "--fix-for: " + e.getMessage() + " (or all)");
        }
        if (fixOut != null) {
            java.nio.file.Path parent = java.nio.file.Path.of(fixOut).toAbsolutePath().getParent();
            if (parent == null || !java.nio.file.Files.isDirectory(parent) || !java.nio.file.Files.isWritable(parent)) {
                throw new ParameterException(spec.commandLine(), "--fix-out: " + parent + " is not a writable directory");
            }
        }
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("handoff-dts");
        try {
            Read board = read(dtb, iort, dir);
            BoardFacts facts = board.facts();
            dev.handoff.model.board.Fdt fdt = board.fdt();
            java.nio.file.Path blob = board.blob();
            if (policy != null && !Policies.fits(Policies.get(policy, ""), facts.acpi() ? "acpi" : "dt")) {
                throw new ParameterException(spec.commandLine(), "--fix-for " + policy + ": its fw.description needs "
                        + (facts.acpi() ? "a device tree" : "an ACPI") + " boot; " + facts.source() + " is described by "
                        + (facts.acpi() ? "ACPI tables" : "a device tree"));
            }
            List<BoardPlatforms.Target> targets;
            try {
                targets = BoardPlatforms.targets(facts).stream().map(t -> BoardPlatforms.overridden(t, scenario.givenKnobs())).toList();
            } catch (BoardPlatforms.NoMatrixException e) {
                spec.commandLine().getErr().println("handoff: cannot search for a fix on " + facts.source() + ": " + e.getMessage());
                return ExitCode.BAD_INPUT;
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = Verbosity.info(spec);
            boolean talk = exploration.progress || Verbosity.verbose(spec) || ProgressPrinter.interactive();
            BoardFix.Options opt = new BoardFix.Options(policy, vary, Names.properties(check.properties), !check.noPruning,
                    exploration.settings(ExplorationSettings.defaults()), fixOptions.fixes, fixOptions.budget, costs, forbidden);
            List<BoardFix.Outcome> outcomes = new ArrayList<>();
            // --fix-for all: every preset the board can run, the cheapest board change each (unless --fixes says more)
            List<String> runs = new ArrayList<>();
            if (every) {
                Policies.applying(facts.acpi() ? "acpi" : "dt").forEach(p -> runs.add(p.name()));
            } else {
                runs.add(policy);
            }
            int perPolicy = every && !spec.commandLine().getParseResult().hasMatchedOption("--fixes") ? 1 : fixOptions.fixes;
            for (String p : runs) {
                BoardFix.Options o = new BoardFix.Options(p, opt.vary(), opt.properties(), opt.pruning(), opt.settings(), perPolicy,
                        opt.budget(), opt.costs(), opt.forbidden());
                for (BoardPlatforms.Target t : targets) {
                    outcomes.add(BoardFix.search(facts, fdt, blob, t, scenario, o, List.copyOf(outcomes), line -> {
                        if (talk) {
                            err.println("handoff: " + (every ? p + ": " : "") + line);
                            err.flush();
                        }
                    }));
                }
            }
            if (fixOut != null) {
                writeOverlays(outcomes);
            }
            if (format.equals("json")) {
                ObjectNode root = RunReport.JSON.createObjectNode();
                root.put("schema", "handoff.fix/1");
                root.put("file", facts.source());
                root.put("model", facts.model());
                ArrayNode props = root.putArray("properties");
                opt.properties().forEach(props::add);
                ArrayNode ds = root.putArray("displays");
                outcomes.forEach(o -> ds.add(BoardFix.json(o)));
                out.println(exploration.json(root));
            } else {
                out.println("board: " + facts.source() + (facts.model().isEmpty() ? "" : " (" + facts.model() + ")"));
                out.println("findings:" + (facts.findings().isEmpty() ? " none" : ""));
                facts.findings().forEach(x -> out.println("  [" + x.kind() + "] " + x.message()));
                out.println("properties: " + String.join(", ", opt.properties()));
                if (every) {
                    BoardFix.summary(out, targets.stream().map(t -> t.display().path()).toList(), outcomes);
                } else {
                    outcomes.forEach(o -> BoardFix.text(out, o));
                }
            }
            out.flush();
            return every ? BoardFix.exitCodeAll(targets.stream().map(t -> t.display().path()).toList(), outcomes)
                    : BoardFix.exitCode(outcomes);
        } finally {
            deleteAll(dir);
        }
    }

    private void writeOverlays(List<BoardFix.Outcome> outcomes) throws java.io.IOException {
        if (outcomes.stream().allMatch(o -> o.overlays().stream().allMatch(java.util.Objects::isNull))) {
            Verbosity.info(spec).println("handoff: --fix-out: no fix makes a device-tree change; nothing written");
        }
        for (int d = 0; d < outcomes.size(); d++) {
            BoardFix.Outcome o = outcomes.get(d);
            for (int i = 0; i < o.overlays().size(); i++) {
                BoardFix.OverlayCheck oc = o.overlays().get(i);
                if (oc == null || o.sameAs() != null) {
                    continue;
                }
                String stem = fixOut + (outcomes.size() > 1 ? ".display" + (d + 1) : "") + ".fix" + (i + 1);
                java.nio.file.Path dtso = java.nio.file.Path.of(stem + ".dtso");
                ReportFiles.write(dtso, oc.dtso());
                Verbosity.info(spec).println("handoff: wrote " + dtso);
                if (oc.diff() != null) {
                    java.nio.file.Path diff = java.nio.file.Path.of(stem + ".diff");
                    ReportFiles.write(diff, oc.diff());
                    Verbosity.info(spec).println("handoff: wrote " + diff);
                }
            }
        }
    }

    /** The displays a board's matrix is run for (with the knobs given on top), or why there are none. */
    record Planned(List<BoardPlatforms.Target> targets, String noMatrix) {
    }

    static Planned plan(BoardFacts facts, java.util.Map<String, String> given) {
        try {
            return new Planned(BoardPlatforms.targets(facts).stream().map(t -> BoardPlatforms.overridden(t, given)).toList(), null);
        } catch (BoardPlatforms.NoMatrixException e) {
            return new Planned(List.of(), e.getMessage());
        }
    }

    /**
     * Removes from {@code chosen} the policies whose firmware description needs the interface this
     * board does not boot with (an IORT RMR on a DTB board, iommu-addresses on an IORT board) and
     * returns them with why; bad input when none is left.
     */
    static List<String[]> skipOtherInterface(List<String> chosen, BoardFacts facts) {
        String iface = facts.acpi() ? "acpi" : "dt";
        List<String[]> skipped = new ArrayList<>();
        for (String p : List.copyOf(chosen)) {
            if (!Policies.fits(Policies.get(p, ""), iface)) {
                chosen.remove(p);
                skipped.add(new String[] {p, notRun(p, facts)});
            }
        }
        if (chosen.isEmpty()) {
            throw new InputException("no chosen policy applies to " + facts.source() + ": "
                    + String.join("; ", skipped.stream().map(x -> x[0] + " (" + x[1] + ")").toList()));
        }
        return skipped;
    }

    /** Why policy {@code p} is not run on this board: its firmware description needs the other interface. */
    private static String notRun(String p, BoardFacts facts) {
        String desc = Policies.get(p, "").settings().get(dev.handoff.model.scenario.Knobs.FW_DESCRIPTION);
        String implied = dev.handoff.model.scenario.Scenario.impliedInterface(desc);
        return "its fw.description=" + desc + " needs an " + implied.toUpperCase(Locale.ROOT)
                + " boot; this board is described by " + (facts.acpi() ? "ACPI tables" : "a device tree");
    }

    /** The board document ({@code handoff.board/2}) of a run: facts, cells, and what the run chose. */
    static ObjectNode document(BoardFacts facts, List<BoardPlatforms.Target> targets, List<SweepRunner.Result> results,
                               List<String> chosen, List<String> knobs, List<String> names, List<String[]> skipped) {
        ObjectNode root = json(facts, targets, results);
        ArrayNode pol = root.putArray("policies");
        chosen.forEach(pol::add);
        ArrayNode v = root.putArray("vary");
        knobs.forEach(v::add);
        ArrayNode props = root.putArray("properties");
        names.forEach(props::add);
        ArrayNode sk = root.putArray("skippedPolicies");
        skipped.forEach(x -> sk.addObject().put("policy", x[0]).put("reason", x[1]));
        return root;
    }

    /**
     * The --require-safe gate: null when it passes, else one line saying which policy is not safe
     * on which display (or that none is, or that a required policy was not run on this board).
     */
    static String gate(List<String> required, List<String[]> skipped, List<BoardPlatforms.Target> targets,
                       List<SweepRunner.Result> results) {
        List<String> problems = new ArrayList<>();
        if (required.isEmpty()) {
            for (int i = 0; i < targets.size(); i++) {
                if (results.get(i).safePolicies().isEmpty()) {
                    problems.add("no policy keeps display " + targets.get(i).display().path() + " safe in every variant");
                }
            }
        }
        for (String p : required) {
            skipped.stream().filter(x -> x[0].equals(p)).findFirst()
                    .ifPresent(x -> problems.add(p + " was not run on this board (" + x[1] + ")"));
            for (int i = 0; i < targets.size(); i++) {
                SweepRunner.Result r = results.get(i);
                if (r.policies().contains(p) && !r.safePolicies().contains(p)) {
                    List<String> bad = new ArrayList<>();
                    r.grid().get(p).forEach((variant, o) -> {
                        if (o.verdict() != dev.handoff.engine.Verdict.HOLDS) {
                            bad.add(variant + " (" + HandoffReports.cell(o) + ")");
                        }
                    });
                    problems.add(p + " is not safe for display " + targets.get(i).display().path() + ": " + String.join(", ", bad));
                } else if (!r.policies().contains(p) && skipped.stream().noneMatch(x -> x[0].equals(p))) {
                    problems.add(p + " was not checked (add it with --policy)");
                }
            }
        }
        return problems.isEmpty() ? null : "--require-safe: " + String.join("; ", problems);
    }

    /** Report entries: every checked cell, then each policy the board cannot run, as not run. */
    private static List<dev.handoff.counterexamples.Reports.Entry> entries(List<BoardPlatforms.Target> targets,
            List<SweepRunner.Result> results, List<String[]> skipped, List<String> properties) {
        List<dev.handoff.counterexamples.Reports.Entry> out = new ArrayList<>();
        for (SweepRunner.Result r : results) {
            out.addAll(HandoffReports.entries(r.all(), r.shown()));
        }
        for (BoardPlatforms.Target t : targets) {
            for (String[] x : skipped) {
                for (String property : properties) {
                    out.add(new dev.handoff.counterexamples.Reports.Entry(t.platform().name(), x[0], "", property, "NOT_RUN",
                            null, 0, x[1], null));
                }
            }
        }
        return out;
    }

    private static String markdown(BoardFacts facts, List<BoardPlatforms.Target> targets, List<SweepRunner.Result> results,
                                   List<String[]> skipped, List<String> properties) {
        java.io.StringWriter buffer = new java.io.StringWriter();
        PrintWriter w = new PrintWriter(buffer);
        w.println("## handoff board: " + md(facts.source() + (facts.model().isEmpty() ? "" : " (" + facts.model() + ")")));
        w.println();
        w.println("<details><summary>facts</summary>");
        w.println();
        java.io.StringWriter factsText = new java.io.StringWriter();
        PrintWriter fw = new PrintWriter(factsText);
        text(fw, facts, List.of(), List.of());
        fw.flush();
        // a fence longer than any run of backticks in the facts (a node name may hold some): CommonMark
        // closes a fence only with one at least as long
        String fence = "`".repeat(Math.max(3, longestRun(factsText.toString(), '`') + 1));
        w.println(fence + "text");
        w.print(factsText);
        w.println(fence);
        w.println("</details>");
        for (int i = 0; i < targets.size(); i++) {
            BoardPlatforms.Target t = targets.get(i);
            SweepRunner.Result r = results.get(i);
            w.println();
            w.println("### display " + md(t.display().path()));
            w.println();
            t.notes().forEach(n -> w.println("- note: " + md(n)));
            if (!t.notes().isEmpty()) {
                w.println();
            }
            HandoffReports.sweepText(w, r.policies(), r.labels(), r.grid(), true);
            w.println();
            List<String> safe = r.safePolicies();
            w.println("safe in every variant: " + (safe.isEmpty() ? "no policy" : String.join(", ", safe)));
        }
        if (!skipped.isEmpty()) {
            w.println();
            skipped.forEach(x -> w.println("- not run: " + x[0] + ": " + md(x[1])));
        }
        w.flush();
        StringBuilder sb = new StringBuilder(buffer.toString());
        List<dev.handoff.counterexamples.Reports.Entry> violations = new ArrayList<>();
        for (SweepRunner.Result r : results) {
            violations.addAll(HandoffReports.entries(r.all(), r.shown()));
        }
        dev.handoff.counterexamples.Reports.details(sb, violations, dev.handoff.counterexamples.Reports.MARKDOWN_BUDGET);
        return sb.toString();
    }

    /** Text from the board in markdown outside a fence: HTML's specials as entities, so a node name is never markup. */
    static String md(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "&#96;");
    }

    private static int longestRun(String s, char c) {
        int best = 0;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            run = s.charAt(i) == c ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }

    private static void text(PrintWriter out, BoardFacts f, List<BoardPlatforms.Target> targets, List<SweepRunner.Result> results) {
        out.println("board: " + f.source() + (f.model().isEmpty() ? "" : " (" + f.model() + ")"));
        out.println("SMMUs:");
        for (BoardFacts.Smmu s : f.smmus()) {
            out.printf(Locale.ROOT, "  %s  %s  %s, #iommu-cells %d, %d context IRQs%s%n", s.path(), String.join(" ", s.compatible()),
                    s.arm() ? (s.v3() ? "ARM SMMUv3" : "ARM SMMU") : "not an ARM SMMU", s.iommuCells(), s.contextInterrupts(),
                    s.enabled() ? "" : ", disabled");
        }
        out.println("devices:");
        for (BoardFacts.Device d : f.devices()) {
            if (d.role().equals("other") && !d.enabled()) {
                continue;
            }
            List<String> st = d.streams().stream().map(x -> String.format("0x%x/0x%x", x.sid(), x.mask())).toList();
            out.printf(Locale.ROOT, "  %-8s %s  %s  %s%s%s%n", d.role(), d.path(), d.enabled() ? "okay" : "disabled",
                    st.isEmpty() ? "no iommus" : String.join(" ", st),
                    d.memoryRegions().isEmpty() ? "" : "  memory-region " + String.join(" ", d.memoryRegions()),
                    d.hasResets() ? "  resets" : "");
        }
        if (!f.regions().isEmpty()) {
            out.println("reserved memory:");
            for (BoardFacts.Region r : f.regions()) {
                out.printf(Locale.ROOT, "  %s  %s%s%s%n", r.path(), r.base() < 0 ? "placed at boot (no reg)"
                                : String.format(Locale.ROOT, "0x%x + 0x%x", r.base(), r.size()),
                        (r.noMap() ? "  no-map" : "") + (r.reusable() ? "  reusable" : ""),
                        r.iommuAddresses().isEmpty() ? "" : "  iommu-addresses " + r.iommuAddresses().size());
            }
        }
        for (BoardFacts.Framebuffer fb : f.framebuffers()) {
            out.printf(Locale.ROOT, "framebuffer: %s  0x%x, %dx%d stride %d %s%n", fb.path(), fb.base(), fb.width(), fb.height(),
                    fb.stride(), fb.format());
        }
        out.println("findings:" + (f.findings().isEmpty() ? " none" : ""));
        f.findings().forEach(x -> out.println("  [" + x.kind() + "] " + x.message()));
        for (int i = 0; i < targets.size(); i++) {
            BoardPlatforms.Target t = targets.get(i);
            SweepRunner.Result r = results.get(i);
            out.println();
            out.println("display " + t.display().path() + ":");
            out.printf(Locale.ROOT, "  modelled: %d IOMMU clients of %s (%d stream-match groups, %d context banks)%n",
                    HandoffConfig.clients(t.platform(), f.acpi()).size(), t.smmu().path(), t.platform().smrGroups(),
                    t.platform().contextBanks());
            t.notes().forEach(n -> out.println("  note: " + n));
            HandoffReports.sweepText(out, r.policies(), r.labels(), r.grid(), false);
            List<HandoffCheck.Outcome> cells = r.all();
            if (!cells.isEmpty()) {
                out.printf(Locale.ROOT, "%d checks, %,d states, %.1f s of search%n", cells.size(),
                        cells.stream().mapToLong(o -> o.stats().distinctStates()).sum(),
                        cells.stream().mapToDouble(o -> o.stats().seconds()).sum());
                if (!cells.get(0).reduced().reduction().equals("none")) {
                    out.println("reduction: " + HandoffReports.reductionSummary(cells));
                }
            }
            // last, so that a script can read the answer with tail -1
            List<String> safe = r.safePolicies();
            out.println("safe in every variant: " + (safe.isEmpty() ? "no policy" : String.join(", ", safe)));
        }
    }

    private static String hex(long v) {
        return dev.handoff.counterexamples.TraceJson.hex(v);
    }

    private static ObjectNode json(BoardFacts f, List<BoardPlatforms.Target> targets, List<SweepRunner.Result> results) {
        ObjectNode root = RunReport.JSON.createObjectNode();
        root.put("schema", "handoff.board/2");
        root.put("file", f.source());
        root.put("model", f.model());
        ArrayNode smmus = root.putArray("smmus");
        for (BoardFacts.Smmu s : f.smmus()) {
            ObjectNode o = smmus.addObject();
            o.put("path", s.path());
            ArrayNode c = o.putArray("compatible");
            s.compatible().forEach(c::add);
            o.put("armSmmu", s.arm());
            o.put("iommuCells", s.iommuCells());
            o.put("contextInterrupts", s.contextInterrupts());
            o.put("status", s.enabled() ? "okay" : "disabled");
        }
        ArrayNode devices = root.putArray("devices");
        for (BoardFacts.Device d : f.devices()) {
            ObjectNode o = devices.addObject();
            o.put("path", d.path());
            ArrayNode c = o.putArray("compatible");
            d.compatible().forEach(c::add);
            o.put("role", d.role());
            o.put("status", d.enabled() ? "okay" : "disabled");
            ArrayNode st = o.putArray("streams");
            for (BoardFacts.Stream x : d.streams()) {
                ObjectNode so = st.addObject();
                so.put("smmu", x.smmu());
                so.put("sid", hex(x.sid()));
                so.put("mask", hex(x.mask()));
            }
            ArrayNode mr = o.putArray("memoryRegions");
            d.memoryRegions().forEach(mr::add);
        }
        ArrayNode regions = root.putArray("reservedRegions");
        for (BoardFacts.Region r : f.regions()) {
            ObjectNode o = regions.addObject();
            o.put("path", r.path());
            if (r.base() < 0) { // placed by the kernel at boot ('size' with 'alloc-ranges', no 'reg')
                o.putNull("base");
            } else {
                o.put("base", hex(r.base()));
            }
            o.put("dynamic", r.base() < 0);
            o.put("size", r.size());
            o.put("noMap", r.noMap());
            o.put("reusable", r.reusable());
            ArrayNode ia = o.putArray("iommuAddresses");
            for (BoardFacts.IommuAddress a : r.iommuAddresses()) {
                ObjectNode x = ia.addObject();
                x.put("device", a.device());
                x.put("iova", hex(a.iova()));
                x.put("size", a.size());
            }
        }
        ArrayNode fbs = root.putArray("framebuffers");
        for (BoardFacts.Framebuffer fb : f.framebuffers()) {
            ObjectNode o = fbs.addObject();
            o.put("path", fb.path());
            o.put("base", hex(fb.base()));
            o.put("size", fb.size());
            o.put("width", fb.width());
            o.put("height", fb.height());
            o.put("stride", fb.stride());
            o.put("format", fb.format());
        }
        ArrayNode modelled = root.putArray("modelled");
        for (BoardPlatforms.Target t : targets) {
            ObjectNode o = modelled.addObject();
            o.put("display", t.display().path());
            o.put("smmu", t.smmu().path());
            o.put("impl", t.platform().impl().name().toLowerCase(Locale.ROOT));
            o.put("smrGroups", t.platform().smrGroups());
            o.put("contextBanks", t.platform().contextBanks());
            ArrayNode notes = o.putArray("notes");
            t.notes().forEach(notes::add);
            ArrayNode cs = o.putArray("clients");
            for (Client c : HandoffConfig.clients(t.platform(), f.acpi())) {
                ObjectNode co = cs.addObject();
                co.put("label", c.label());
                co.put("name", c.display() ? t.display().path() : c.name());
                ArrayNode st = co.putArray("streams");
                for (dev.handoff.model.scenario.StreamEntry e : c.streams()) {
                    ObjectNode so = st.addObject();
                    so.put("sid", hex(e.sid()));
                    so.put("mask", hex(e.mask()));
                }
            }
        }
        ArrayNode findings = root.putArray("findings");
        for (BoardFacts.Finding x : f.findings()) {
            ObjectNode o = findings.addObject();
            o.put("kind", x.kind());
            o.put("message", x.message());
        }
        ArrayNode res = root.putArray("results");
        ArrayNode safe = root.putArray("safePolicies");
        for (int i = 0; i < targets.size(); i++) {
            String display = targets.get(i).display().path();
            SweepRunner.Result r = results.get(i);
            for (int j = 0; j < r.all().size(); j++) {
                ObjectNode c = HandoffReports.checkJson(r.all().get(j));
                ObjectNode variant = RunReport.JSON.createObjectNode();
                r.shown().get(j).forEach(variant::put);
                c.set("variant", variant);
                res.add(c.put("display", display));
            }
            ObjectNode s = safe.addObject();
            s.put("display", targets.get(i).display().path());
            ArrayNode p = s.putArray("policies");
            results.get(i).safePolicies().forEach(p::add);
        }
        return root;
    }
}
