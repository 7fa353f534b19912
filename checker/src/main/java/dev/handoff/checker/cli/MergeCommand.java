package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.checker.cli.CatalogueData.Catalogue;
import dev.handoff.checker.cli.CatalogueData.CellResult;
import dev.handoff.checker.cli.CatalogueData.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code handoff merge PART…}: the N parts of a sharded {@code handoff catalogue} combined into
 * the report one unsharded run writes, byte for byte. The parts must be one run's: the same
 * handoff build, the same plan (inputs, policies, knobs, kernels), the same N and each index once.
 */
@Command(name = "merge",
        header = "Combines the parts of a sharded catalogue run into its report.",
        mixinStandardHelpOptions = true,
        description = {
            "Reads the N part files 'handoff catalogue --shard i/N' wrote (in any order) and writes the report an"
                + " unsharded run with the same arguments writes, byte for byte, in --format. The parts must come from"
                + " one run: the same handoff build, inputs, policies, knobs, kernels and limits, the same N, each index once.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:merged (the verdicts are in the report)",
            "20:some cell was inconclusive",
            ExitCode.ROW_USAGE,
            "65:a part cannot be read, is not a catalogue part, or the parts are not one run's complete set",
            ExitCode.ROW_INTERNAL, ExitCode.ROW_CANNOT_WRITE, ExitCode.ROW_INTERRUPTED,
        })
final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PART", arity = "1..*", description = "The shard parts (JSON) to combine.")
    List<Path> parts;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json, markdown, junit or html. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE, atomically, instead of standard output.")
    Path output;

    @Override
    public Integer call() throws IOException {
        CheckOptions.requireFormat(spec, format, CatalogueReport.FORMATS.toArray(String[]::new));
        if (output != null && output.toString().isBlank()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--output needs a path (it was empty)");
        }
        ReportFiles.notAnInput(spec, output, "-o");
        CatalogueCommand.writable(output);
        Catalogue c = merge(parts);
        CatalogueCommand.emit(spec, output, CatalogueReport.render(c, format), Verbosity.info(spec));
        return c.anyInconclusive() ? ExitCode.INCONCLUSIVE : ExitCode.HOLDS;
    }

    /** The catalogue the parts make together; a part that does not fit is bad input naming it. */
    static Catalogue merge(List<Path> files) throws IOException {
        Plan plan = null;
        JsonNode planJson = null;
        String build = null;
        int count = -1;
        Map<Integer, Path> seen = new TreeMap<>();
        Map<String, CellResult> results = new HashMap<>();
        for (Path f : files) {
            JsonNode root = read(f);
            String where = f.toString();
            if (!CatalogueCommand.PART_SCHEMA.equals(root.path("schema").asText())) {
                throw new InputException(where + ": not a catalogue part (schema \"" + root.path("schema").asText("")
                        + "\"; allowed: " + CatalogueCommand.PART_SCHEMA + ", written by 'handoff catalogue --shard i/N')");
            }
            int i = root.path("shard").path("index").asInt(-1);
            int n = root.path("shard").path("count").asInt(-1);
            if (n < 1 || i < 1 || i > n) {
                throw new InputException(where + ": shard " + root.path("shard") + " is not i/N with 1 <= i <= N");
            }
            String b = root.path("handoff").asText("");
            if (build == null) {
                build = b;
                count = n;
                planJson = root.path("plan");
                plan = Plan.read(planJson, where);
            } else {
                if (!build.equals(b)) {
                    throw new InputException(where + ": written by handoff " + b + ", " + seen.values().iterator().next()
                            + " by " + build + ": the shards of one run use one build");
                }
                if (n != count) {
                    throw new InputException(where + ": shard " + i + "/" + n + ", but " + seen.values().iterator().next() + " is of " + count);
                }
                if (!planJson.equals(root.path("plan"))) {
                    throw new InputException(where + ": its plan (inputs, policies, knobs, kernels, limits) differs from "
                            + seen.values().iterator().next() + "'s: the shards of one run take the same arguments");
                }
            }
            Path dup = seen.put(i, f);
            if (dup != null) {
                throw new InputException(where + ": shard " + i + "/" + n + " again (also " + dup + ")");
            }
            var it = root.path("results").fields();
            while (it.hasNext()) {
                var e = it.next();
                results.put(e.getKey(), CellResult.read(e.getValue(), where + ": result " + e.getKey()));
            }
        }
        if (seen.size() != count) {
            List<Integer> missing = new java.util.ArrayList<>();
            for (int i = 1; i <= count; i++) {
                if (!seen.containsKey(i)) {
                    missing.add(i);
                }
            }
            throw new InputException("missing shard(s) " + String.join(", ", missing.stream().limit(20).map(String::valueOf).toList())
                    + (missing.size() > 20 ? ", ..." : "") + " of " + count + " (give every part 'handoff catalogue --shard i/" + count + "' wrote)");
        }
        for (String k : plan.uniqueKeys()) {
            if (!results.containsKey(k)) {
                throw new InputException("no part holds the result of cell " + k + ": a part was cut or edited");
            }
        }
        return new Catalogue(plan, results);
    }

    private static JsonNode read(Path f) {
        if (Files.isDirectory(f)) {
            throw new InputException(f + ": is a directory (give the part files, e.g. DIR/part-*.json)");
        }
        if (!Files.isRegularFile(f)) {
            throw new InputException(f + ": no such file");
        }
        try {
            JsonNode n = RunReport.JSON.readTree(f.toFile());
            if (n == null || !n.isObject()) {
                throw new InputException(f + ": not a JSON object");
            }
            return n;
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new InputException(f + ": not JSON (" + m + ")");
        }
    }
}
