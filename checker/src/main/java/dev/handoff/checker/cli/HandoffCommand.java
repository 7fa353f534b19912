package dev.handoff.checker.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.util.concurrent.Callable;

/** The top-level {@code handoff} command. Without a subcommand it runs the default job. */
@Command(name = "handoff",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Proves a boot-time DMA handoff through an ARM SMMU safe, or shows exactly how it breaks.",
            "Without a subcommand: runs 'handoff sweep' on the embedded default platform (Lenovo Yoga C630).",
        },
        subcommands = {
            CheckCommand.class,
            SweepCommand.class,
            ListCommand.class,
            ReplayCommand.class,
            ShowCommand.class,
            GraphCommand.class,
            DiagnoseCommand.class,
            BoardCommand.class,
            ExploreCommand.class,
            CatalogueCommand.class,
            MergeCommand.class,
            ReferenceCommand.class,
            BenchCommand.class,
            SchemaCommand.class,
            ManCommand.class,
            AutoComplete.GenerateCompletion.class,
            CommandLine.HelpCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCode.ROW_HOLDS, ExitCode.ROW_SAFETY, ExitCode.ROW_DEADLOCK, ExitCode.ROW_LIVENESS,
            ExitCode.ROW_INCONCLUSIVE, ExitCode.ROW_USAGE, ExitCode.ROW_BAD_INPUT, ExitCode.ROW_INTERNAL, ExitCode.ROW_CANNOT_WRITE, ExitCode.ROW_INTERRUPTED,
        })
public final class HandoffCommand implements Callable<Integer> {
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces of errors.")
    boolean debug;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Say nothing on standard error but errors (no progress, no 'wrote FILE' lines).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Progress lines on standard error (what --progress shows, for the commands that have it; what diagnose reads and runs).")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return spec.commandLine().getSubcommands().get("sweep").execute();
    }

    static boolean debugRequested(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
