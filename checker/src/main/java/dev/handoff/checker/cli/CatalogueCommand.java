package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.checker.engine.ExplorationSettings;
import dev.handoff.checker.engine.Verdict;
import dev.handoff.model.board.BoardFacts;
import dev.handoff.model.board.BoardPlatforms;
import dev.handoff.model.scenario.Policies;
import dev.handoff.model.scenario.Policy;
import dev.handoff.model.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code handoff catalogue DIR|FILE…}: every board of a kernel tree's DTBs in one run, the
 * regression gate for a kernel release or a SoC vendor. Each board is read and its displays'
 * matrices (policy × the firmware facts a DTB cannot state) are checked as {@code handoff board}
 * checks one; a board that cannot be checked is counted by its reason, not hidden.
 */
@Command(name = "catalogue",
        header = "Checks every board of a set of device trees (directories or files) in one run.",
        mixinStandardHelpOptions = true,
        description = {
            "Reads every *.dtb under the given directories (and every file given), and for each board whose display sits"
                + " behind an ARM SMMU runs the matrix 'handoff board' runs: each policy that applies to a device-tree boot,"
                + " times the firmware facts the DTB cannot state (--vary; default fw.mapping and fw.smr, less what the board"
                + " fixes). Boards that cannot be checked are counted by reason (unreadable, no display controller, every"
                + " display disabled, a display without iommus, behind an SMMU that is not an ARM SMMU or is disabled).",
            "Output: text (a line per board and the summary), json (handoff.catalogue/1, 'handoff schema catalogue')"
                + " or markdown (a summary table per policy and a row per board).",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the catalogue ran (its verdicts are in the report)",
            "20:some cell was inconclusive (a limit was reached first)",
            ExitCode.ROW_USAGE,
            "65:no input file exists, or none is a readable DTB",
            ExitCode.ROW_INTERNAL,
        })
final class CatalogueCommand implements Callable<Integer> {
    static final String SCHEMA = "handoff.catalogue/1";

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

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text, json or markdown. Default: ${DEFAULT-VALUE}.")
    String format;

    @Mixin
    ExplorationOptions exploration;

    /** One board: checked (its displays' results) or not (why). */
    record Board(Path file, String model, String reason, List<BoardPlatforms.Target> targets, List<SweepRunner.Result> results) {
        boolean checked() {
            return reason == null;
        }
    }

    @Override
    public Integer call() throws IOException {
        CheckOptions.requireFormat(spec, format, "text", "json", "markdown");
        List<Path> files = files();
        List<String> chosen = new ArrayList<>();
        if (policies.isEmpty()) {
            Policies.applying("dt").stream().map(Policy::name).forEach(chosen::add);
        } else {
            policies.forEach(p -> chosen.add(Names.policy(p)));
        }
        List<String> knobs = vary.isEmpty() ? List.of("fw.mapping", "fw.smr") : vary.stream().map(k -> { dev.handoff.model.scenario.Knobs.get(k, "--vary "); return k; }).toList();
        ExplorationSettings settings = exploration.settings(ExplorationSettings.defaults());
        PrintWriter err = Verbosity.info(spec);
        boolean progress = Verbosity.verbose(spec) || exploration.progress;
        List<Board> boards = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            boards.add(board(f, chosen, knobs, settings));
            if (progress) {
                Board b = boards.get(boards.size() - 1);
                err.printf(Locale.ROOT, "handoff: [%d/%d] %s: %s%n", i + 1, files.size(), f.getFileName(),
                        b.checked() ? b.targets().size() + " display(s) checked" : "not checked (" + category(b.reason()) + ")");
                err.flush();
            }
        }
        if (boards.stream().noneMatch(b -> b.checked() || !b.reason().startsWith(UNREADABLE))) {
            throw new InputException("no readable DTB among " + files.size() + " file(s)");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case "json" -> out.println(RunReport.JSON.writeValueAsString(json(boards, chosen, knobs)));
            case "markdown" -> out.print(markdown(boards, chosen));
            default -> text(out, boards, chosen);
        }
        out.flush();
        err.printf(Locale.ROOT, "handoff: %d board(s), %d checked, in %.1f s%n", boards.size(),
                boards.stream().filter(Board::checked).count(), seconds);
        err.flush();
        return boards.stream().filter(Board::checked).flatMap(b -> b.results().stream()).flatMap(r -> r.all().stream())
                .anyMatch(o -> o.verdict() == Verdict.INCONCLUSIVE) ? ExitCode.INCONCLUSIVE : ExitCode.HOLDS;
    }

    /** Every DTB the inputs name, in path order; a missing input is a usage error. */
    private List<Path> files() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : inputs) {
            if (!Files.exists(p)) {
                throw new ParameterException(spec.commandLine(), p + " does not exist");
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".dtb")).sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new InputException("no *.dtb under " + String.join(", ", inputs.stream().map(Path::toString).toList()));
        }
        return out;
    }

    static final String UNREADABLE = "unreadable: ";

    /** A board read and checked, or the reason it was not. */
    private Board board(Path f, List<String> chosen, List<String> knobs, ExplorationSettings settings) {
        BoardFacts facts;
        try {
            facts = BoardCommand.readFacts(f, null);
        } catch (InputException | IOException e) {
            return new Board(f, "", UNREADABLE + e.getMessage(), List.of(), List.of());
        }
        List<BoardPlatforms.Target> targets;
        try {
            targets = BoardPlatforms.targets(facts);
        } catch (BoardPlatforms.NoMatrixException e) {
            return new Board(f, facts.model(), e.getMessage(), List.of(), List.of());
        }
        List<SweepRunner.Result> results = new ArrayList<>();
        for (BoardPlatforms.Target t : targets) {
            List<String> varied = vary.isEmpty() ? knobs.stream().filter(k -> !t.platform().knobDefaults().containsKey(k)).toList() : knobs;
            // verdicts and severities only: a catalogue shows no trace (shrinking and explanation cost most of a cell)
            results.add(SweepRunner.run((p, v) -> Scenario.of(t.platform(), p, v), chosen, varied, List.of(), true, false, 0,
                    settings, false, CellProgress.NONE, (label, o) -> { }));
        }
        return new Board(f, facts.model(), null, targets, results);
    }

    /** The kind of reason a board was not checked, for counting. */
    static String category(String reason) {
        if (reason.startsWith(UNREADABLE)) {
            return "unreadable";
        }
        if (reason.startsWith("no display controller")) {
            return "no display controller";
        }
        if (reason.startsWith("every display controller is disabled")) {
            return "every display disabled";
        }
        if (reason.contains("not an ARM SMMU")) {
            return "display behind a non-ARM IOMMU";
        }
        if (reason.contains("which is disabled")) {
            return "display behind a disabled SMMU";
        }
        if (reason.contains("has no iommus")) {
            return "display without iommus";
        }
        return "other";
    }

    /** Boards not checked, by the kind of reason. */
    static Map<String, Integer> skipped(List<Board> boards) {
        Map<String, Integer> out = new TreeMap<>();
        boards.stream().filter(b -> !b.checked()).forEach(b -> out.merge(category(b.reason()), 1, Integer::sum));
        return out;
    }

    /** Per policy: checked displays on which it is safe in every variant, and on which it is not. */
    static Map<String, int[]> perPolicy(List<Board> boards, List<String> chosen) {
        Map<String, int[]> out = new LinkedHashMap<>();
        chosen.forEach(p -> out.put(p, new int[2]));
        for (Board b : boards) {
            for (SweepRunner.Result r : b.results()) {
                List<String> safe = r.safePolicies();
                for (String p : r.policies()) {
                    out.get(p)[safe.contains(p) ? 0 : 1]++;
                }
            }
        }
        return out;
    }

    private static String name(Board b) {
        return b.file().getFileName().toString();
    }

    private static void text(PrintWriter out, List<Board> boards, List<String> chosen) {
        for (Board b : boards) {
            if (!b.checked()) {
                out.printf(Locale.ROOT, "%s: not checked: %s%n", name(b), b.reason());
                continue;
            }
            for (int i = 0; i < b.targets().size(); i++) {
                List<String> safe = b.results().get(i).safePolicies();
                out.printf(Locale.ROOT, "%s: %s: safe: %s%n", name(b), b.targets().get(i).display().path(),
                        safe.isEmpty() ? "none" : String.join(", ", safe));
            }
        }
        out.printf(Locale.ROOT, "boards: %d, checked: %d, not checked: %s%n", boards.size(), boards.stream().filter(Board::checked).count(),
                skipped(boards));
        perPolicy(boards, chosen).forEach((p, n) -> out.printf(Locale.ROOT, "  %-28s safe on %d display(s), unsafe on %d%n", p, n[0], n[1]));
    }

    private static String markdown(List<Board> boards, List<String> chosen) {
        StringBuilder s = new StringBuilder("# handoff catalogue\n\n");
        s.append(String.format(Locale.ROOT, "%d boards, %d checked.%n%n", boards.size(), boards.stream().filter(Board::checked).count()));
        s.append("| policy | safe on | unsafe on |\n|---|---|---|\n");
        perPolicy(boards, chosen).forEach((p, n) -> s.append("| ").append(p).append(" | ").append(n[0]).append(" | ").append(n[1]).append(" |\n"));
        s.append("\n| not checked because | boards |\n|---|---|\n");
        skipped(boards).forEach((r, n) -> s.append("| ").append(r).append(" | ").append(n).append(" |\n"));
        s.append("\n| board | display | safe policies |\n|---|---|---|\n");
        for (Board b : boards) {
            for (int i = 0; i < b.targets().size(); i++) {
                List<String> safe = b.results().get(i).safePolicies();
                s.append("| ").append(name(b)).append(" | `").append(b.targets().get(i).display().path()).append("` | ")
                        .append(safe.isEmpty() ? "none" : String.join(", ", safe)).append(" |\n");
            }
        }
        return s.toString();
    }

    private static ObjectNode json(List<Board> boards, List<String> chosen, List<String> knobs) {
        ObjectNode root = RunReport.JSON.createObjectNode();
        root.put("schema", SCHEMA);
        ArrayNode pol = root.putArray("policies");
        chosen.forEach(pol::add);
        ArrayNode v = root.putArray("vary");
        knobs.forEach(v::add);
        ArrayNode bs = root.putArray("boards");
        for (Board b : boards) {
            ObjectNode o = bs.addObject();
            o.put("file", b.file().toString());
            o.put("model", b.model());
            o.put("checked", b.checked());
            o.put("reason", b.reason());
            o.put("reasonKind", b.checked() ? null : category(b.reason()));
            ArrayNode ds = o.putArray("displays");
            for (int i = 0; i < b.targets().size(); i++) {
                SweepRunner.Result r = b.results().get(i);
                ObjectNode d = ds.addObject();
                d.put("display", b.targets().get(i).display().path());
                d.put("smmu", b.targets().get(i).smmu().path());
                ArrayNode safe = d.putArray("safePolicies");
                r.safePolicies().forEach(safe::add);
                ArrayNode cells = d.putArray("cells");
                for (String p : r.policies()) {
                    for (Map.Entry<String, HandoffCheck.Outcome> c : r.grid().get(p).entrySet()) {
                        ObjectNode cell = cells.addObject();
                        cell.put("policy", p);
                        cell.put("variant", c.getKey());
                        cell.put("verdict", c.getValue().verdict().name());
                        ArrayNode violated = cell.putArray("violated");
                        c.getValue().properties().stream().filter(x -> x.verdict() == Verdict.VIOLATED)
                                .forEach(x -> violated.add(x.severity() == null ? x.name() : x.name() + ":" + x.severity().label()));
                    }
                }
            }
        }
        ObjectNode sum = root.putObject("summary");
        sum.put("boards", boards.size());
        sum.put("checked", boards.stream().filter(Board::checked).count());
        ObjectNode sk = sum.putObject("notChecked");
        skipped(boards).forEach(sk::put);
        ObjectNode pp = sum.putObject("perPolicy");
        perPolicy(boards, chosen).forEach((p, n) -> pp.putObject(p).put("safe", n[0]).put("unsafe", n[1]));
        return root;
    }
}
