package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.counterexamples.Replayer;
import dev.handoff.counterexamples.TraceFile;
import dev.handoff.engine.ExplorationSettings;
import dev.handoff.model.board.BoardFacts;
import dev.handoff.model.board.BoardPlatforms;
import dev.handoff.model.scenario.Knobs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code handoff explore}: the interactive explorer, served to a local browser or exported as static files. */
@Command(name = "explore",
        header = "Serves an interactive explorer of a board, a matrix or a trace in the browser.",
        mixinStandardHelpOptions = true,
        description = {
            "Checks the board (--board), the scenario's policies by variants (--scenario, --platform, --set; default:"
                + " the embedded default platform) or replays a trace (--trace), then serves the explorer at"
                + " http://127.0.0.1:PORT/ until interrupted: the board's facts, the policy x variant matrix, each"
                + " counterexample as a step list and sequence chart with the SMMU's registers and the driver's shadow"
                + " at every step, a resolve box (stream ID and IOVA to route and outcome), and steps taken on demand"
                + " from any state, exported as a trace file 'handoff replay' accepts. No external assets: it works"
                + " offline. --export DIR writes the same views as static files instead (for a CI artifact).",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:exported (--export)", ExitCode.ROW_USAGE, ExitCode.ROW_BAD_INPUT, ExitCode.ROW_INTERNAL,
            ExitCode.ROW_CANNOT_WRITE, ExitCode.ROW_INTERRUPTED + " (Ctrl-C is how serving ends)",
        })
final class ExploreCommand implements Callable<Integer> {
    /** The default port: unassigned by IANA, and spells nothing. */
    static final int DEFAULT_PORT = 8737;

    @Spec
    CommandSpec spec;

    @Option(names = "--board", paramLabel = "FILE.dtb", description = "A board's device tree (.dtb, or .dts with dtc installed).")
    Path board;

    @Option(names = "--acpi", paramLabel = "IORT.bin", description = "A board's ACPI IORT table, in place of --board.")
    Path iort;

    @Option(names = "--trace", paramLabel = "FILE", description = "A trace file (handoff.trace/1) to open; it is replayed first.")
    Path trace;

    @Mixin
    ScenarioOptions scenario;

    @Option(names = "--policy", paramLabel = "POLICY", completionCandidates = Names.PolicyNames.class,
            description = "A policy to include; repeatable (default: the scenario file's, else all).")
    List<String> policies = new ArrayList<>();

    @Option(names = "--vary", paramLabel = "KNOB", completionCandidates = Names.KnobNames.class,
            description = "A knob whose every value is a column; repeatable (default: fw.mapping; a board: fw.mapping, fw.smr"
                    + " where its file does not state them).")
    List<String> vary = new ArrayList<>();

    @Option(names = "--property", paramLabel = "PROPERTY", completionCandidates = Names.PropertyNames.class,
            description = "Check only this property; repeatable (default: all).")
    List<String> properties = new ArrayList<>();

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT,
            description = "The port to serve on (0: any free port; the address is printed). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to serve on. Default: ${DEFAULT-VALUE} (this machine only; the explorer has no"
                    + " authentication).")
    String bind;

    @Option(names = "--allow-host", paramLabel = "NAME",
            description = "A host name the browser may use to reach the explorer, besides IP addresses and localhost; repeatable"
                    + " (other names are refused against DNS rebinding).")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--export", paramLabel = "DIR", description = "Write the views as static files to DIR (new or empty) and exit.")
    Path export;

    @Mixin
    ExplorationOptions exploration;

    @Override
    public Integer call() throws Exception {
        int sources = (board != null ? 1 : 0) + (iort != null ? 1 : 0) + (trace != null ? 1 : 0);
        if (sources > 1) {
            throw new ParameterException(spec.commandLine(), "give one of --board, --acpi and --trace");
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port: " + port + " is not a port (0 to 65535; 0: any free port)");
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (export != null && export.toString().isBlank()) {
            throw new ParameterException(spec.commandLine(), "--export: give a directory (new or empty)");
        }
        if (export != null) {
            for (String o : List.of("--port", "--bind", "--allow-host")) {
                if (given.hasMatchedOption(o)) {
                    throw new ParameterException(spec.commandLine(), o + " does not apply to --export (it writes files and serves nothing)");
                }
            }
            ExplorerExport.requireFresh(export);
            ExplorerSession session = load();
            ExplorerExport.write(session, export);
            Verbosity.info(spec).println("handoff: wrote the explorer to " + export + "/index.html");
            return ExitCode.HOLDS;
        }
        PrintWriter err = spec.commandLine().getErr();
        // bind before the checks: a busy port or a wrong address is known at once, not after a sweep
        ExplorerServer server;
        try {
            server = ExplorerServer.bind(bind, port, allowHosts.stream().map(h -> h.toLowerCase(java.util.Locale.ROOT))
                    .collect(java.util.stream.Collectors.toSet()), err);
        } catch (java.net.UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "--bind: \"" + bind + "\" is not an address of this machine"
                    + " (an IP address or a host name; default 127.0.0.1)");
        } catch (java.net.BindException e) {
            throw new ParameterException(spec.commandLine(), "cannot serve on " + bind + ":" + port + " (" + e.getMessage()
                    + "): give another --port (0: any free port) or --bind address");
        }
        try {
            if (!server.loopback()) {
                err.println("handoff explore: warning: " + bind + " is reachable from the network and the explorer has no"
                        + " authentication; anyone who can reach it can run checks on this machine");
            }
            Verbosity.info(spec).println("handoff explore: checking " + what() + "; the page is served once every cell is decided"
                    + " (--progress shows them)");
            Verbosity.info(spec).flush();
            ExplorerSession session = load();
            server.serve(session);
            spec.commandLine().getOut().println("handoff explore: serving " + server.uri() + " (Ctrl-C stops)");
            spec.commandLine().getOut().flush();
            server.awaitStop();
        } finally {
            server.close();
        }
        return ExitCode.HOLDS;
    }

    private String what() {
        return board != null ? board.toString() : iort != null ? iort.toString() : trace != null ? trace.toString()
                : scenario.scenarioFile != null ? scenario.scenarioFile.toString() : "the default platform";
    }

    /** Reads the source and runs its checks: the session the explorer serves. */
    ExplorerSession load() throws java.io.IOException {
        List<String> names = Names.properties(properties);
        ExplorationSettings settings = exploration.settings(ExplorationSettings.defaults());
        CellProgress progress = Verbosity.cells(spec, exploration.progress);
        if (trace != null) {
            for (String o : List.of("--policy", "--vary", "--property", "--scenario", "--platform", "--kernel", "--set")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new ParameterException(spec.commandLine(), o + " does not apply to --trace (the trace names its scenario and property)");
                }
            }
            TraceFile f = ReplayCommand.load(trace);
            Replayer.Result r = Replayer.replay(f);
            TraceFile shown = switch (r) {
                case Replayer.Result.Diverged d -> throw new InputException(trace + ": replay diverges at step " + d.step() + " ("
                        + d.action() + "): " + d.detail());
                case Replayer.Result.Reproduced p -> p.derived();
                case Replayer.Result.NoViolation n -> n.derived();
            };
            ExplorerSession.Cell cell = new ExplorerSession.Cell("trace", f.scenario().policy(), "as traced", f.scenario(),
                    f.pruning(), null);
            return new ExplorerSession("trace", trace.toString(), null, null, List.of(), List.of(new ExplorerSession.Opened("trace", shown)),
                    List.of(cell), names);
        }
        if (board != null || iort != null) {
            return board(names, settings, progress);
        }
        // a scenario file's own policy, when it names one and --policy does not
        List<String> chosen = policies.isEmpty() && scenario.file().policy() != null ? List.of(scenario.file().policy())
                : Names.policies(policies);
        List<String> knobs = vary.isEmpty() ? List.of(Knobs.FW_MAPPING).stream().filter(k -> !scenario.givenKnobs().containsKey(k)).toList() : vary;
        requireNotFixed(knobs);
        SweepRunner.Result result = SweepRunner.run((p, v) -> scenario.scenario(p, v), chosen, knobs, names, true, false, 1,
                settings, exploration.crossCheck, progress, (label, o) -> { });
        String platform = result.all().get(0).scenario().platform().name();
        ExplorerSession.Matrix m = matrix("", null, platform, result);
        return new ExplorerSession("scenario", scenario.scenarioFile == null ? "platform " + platform : scenario.scenarioFile.toString(),
                null, null, List.of(m), List.of(), List.of(), names);
    }

    private ExplorerSession board(List<String> names, ExplorationSettings settings, CellProgress progress) throws java.io.IOException {
        if (scenario.platform != null) {
            throw new ParameterException(spec.commandLine(), "--platform does not apply to a board: the board's file is its platform");
        }
        scenario.requireOnlyKnobs("explore --board");
        BoardFacts facts = BoardCommand.readFacts(board, iort);
        List<String> chosen = Names.policies(policies);
        List<String[]> skipped = BoardCommand.skipOtherInterface(chosen, facts);
        // without a matrix the facts are still worth a look: the page says why there is none
        BoardCommand.Planned planned = BoardCommand.plan(facts, scenario.givenKnobs());
        List<BoardPlatforms.Target> targets = planned.targets();
        String noMatrix = planned.noMatrix();
        List<String> knobs = vary.isEmpty() ? List.of(Knobs.FW_MAPPING, "fw.smr").stream()
                .filter(k -> !scenario.overrides().containsKey(k)).toList() : vary;
        requireNotFixed(knobs);
        List<ExplorerSession.Matrix> matrices = new ArrayList<>();
        List<SweepRunner.Result> results = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            BoardPlatforms.Target t = targets.get(i);
            List<String> varied = vary.isEmpty() ? knobs.stream().filter(k -> !t.platform().knobDefaults().containsKey(k)).toList() : knobs;
            SweepRunner.Result r = SweepRunner.run((p, v) -> scenario.scenario(t.platform(), p, v), chosen, varied, names, true, false, 1,
                    settings, exploration.crossCheck, progress, (label, o) -> { });
            results.add(r);
            matrices.add(matrix("d" + i + ".", t.display().path(), t.platform().name(), r));
        }
        // the board document as 'board --format json' prints it; its cells are the matrices'
        ObjectNode doc = BoardCommand.document(facts, targets, results, chosen, knobs, names, skipped);
        doc.putArray("results");
        return new ExplorerSession("board", facts.source(), doc, noMatrix, matrices, List.of(), List.of(), names);
    }

    private void requireNotFixed(List<String> knobs) {
        for (String k : knobs) {
            if (scenario.overrides().containsKey(k)) {
                throw new ParameterException(spec.commandLine(), "knob \"" + k + "\" is both varied (--vary) and fixed (--set); choose one");
            }
        }
    }

    /** A matrix's cells, with ids {@code prefix + row + "." + column}. */
    private static ExplorerSession.Matrix matrix(String prefix, String display, String platform, SweepRunner.Result r) {
        List<ExplorerSession.Cell> cells = new ArrayList<>();
        for (int i = 0; i < r.policies().size(); i++) {
            String p = r.policies().get(i);
            for (int j = 0; j < r.labels().size(); j++) {
                String label = r.labels().get(j);
                HandoffCheck.Outcome o = r.grid().get(p).get(label);
                cells.add(new ExplorerSession.Cell(prefix + i + "." + j, p, label.isEmpty() ? "as given" : label,
                        o.scenario(), true, o));
            }
        }
        return new ExplorerSession.Matrix(display, platform, r.policies(),
                r.labels().stream().map(l -> l.isEmpty() ? "as given" : l).toList(), cells);
    }
}
