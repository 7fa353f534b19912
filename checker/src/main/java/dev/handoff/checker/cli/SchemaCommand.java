package dev.handoff.checker.cli;

import dev.handoff.model.scenario.ScenarioSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code handoff schema NAME}: the JSON Schema (draft 2020-12) of a document handoff reads or writes. */
@Command(name = "schema",
        header = "Prints the JSON Schema of a document handoff reads or writes.", mixinStandardHelpOptions = true,
        description = {
            "Prints the JSON Schema (draft 2020-12) of a document handoff writes or reads; the same files are in "
                + "the repository's schemas/ directory. The output schemas refer to each other by relative $ref "
                + "(check to trace; sweep, board and fix to check): load them together. NAME is one of:",
            "%n  check           handoff.check/2            check --format json"
                + "%n  sweep           handoff.sweep/2            sweep --format json"
                + "%n  board           handoff.board/2            board --format json"
                + "%n  trace           handoff.trace/1            --trace-out files (replay, show)"
                + "%n  run             handoff.run/1              reference --format json"
                + "%n  scenario        a scenario file (--scenario), for editors: every platform, policy, knob and value"
                + "%n  diagnose        handoff.diagnose/1         diagnose --format json"
                + "%n  catalogue       handoff.catalogue/1        catalogue --format json, merge --format json"
                + "%n  catalogue-part  handoff.catalogue-part/1   catalogue --shard i/N (read by merge)"
                + "%n  fix             handoff.fix/1              board --fix / check --fix --format json"
                + "%n  explore         handoff.explore/1          explore's JSON API (session, path, resolve, error)",
        })
final class SchemaCommand implements Callable<Integer> {
    /** Schema names and the resource each is read from (null: generated). */
    static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("check", "handoff.check-2.schema.json");
        FILES.put("sweep", "handoff.sweep-2.schema.json");
        FILES.put("board", "handoff.board-2.schema.json");
        FILES.put("trace", "handoff.trace-1.schema.json");
        FILES.put("run", "handoff.run-1.schema.json");
        FILES.put("scenario", "scenario.schema.json");
        FILES.put("diagnose", "handoff.diagnose-1.schema.json");
        FILES.put("catalogue", "handoff.catalogue-1.schema.json");
        FILES.put("catalogue-part", "handoff.catalogue-part-1.schema.json");
        FILES.put("fix", "handoff.fix-1.schema.json");
        FILES.put("explore", "handoff.explore-1.schema.json");
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", completionCandidates = Names.SchemaNames.class,
            description = "One of: check, sweep, board, trace, run, scenario, diagnose, catalogue, catalogue-part, fix, explore.")
    String name;

    @Override
    public Integer call() throws IOException {
        if (!FILES.containsKey(name)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "unknown schema \"" + name + "\" (known: " + String.join(", ", FILES.keySet()) + ")");
        }
        spec.commandLine().getOut().print(text(name));
        spec.commandLine().getOut().flush();
        return ExitCode.HOLDS;
    }

    /** A schema's text: the scenario one generated from the registries, the others from the jar. */
    static String text(String name) throws IOException {
        if (name.equals("scenario")) {
            return ScenarioSchema.text();
        }
        try (InputStream in = SchemaCommand.class.getResourceAsStream("/schemas/" + FILES.get(name))) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing from the build: " + FILES.get(name));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
