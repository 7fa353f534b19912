package dev.handoff.checker.cli;

import dev.handoff.model.scenario.KernelVersions;
import dev.handoff.model.scenario.Knob;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Policies;
import dev.handoff.model.scenario.Policy;
import dev.handoff.properties.HandoffProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code handoff list policies|knobs|properties|platforms|kernels}. */
@Command(name = "list",
        header = "Lists the policies, knobs, properties, platforms or kernel versions.", mixinStandardHelpOptions = true,
        description = {
            "Lists the policies (with their settings), the knobs (with values and defaults), the properties, the "
                + "platforms, or the kernel versions (each version-dependent mechanism, its state per version and the "
                + "commits that changed it).",
        })
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "WHAT", completionCandidates = Names.ListWhat.class, description = "policies, knobs, properties, platforms or kernels")
    String what;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        switch (what) {
            case "policies" -> {
                for (Policy p : Policies.all()) {
                    out.println(p.name());
                    out.println("    " + p.description());
                    List<String> set = new ArrayList<>();
                    new TreeMap<>(p.settings()).forEach((k, v) -> set.add(k + "=" + v));
                    out.println("    sets: " + String.join(" ", set));
                }
            }
            case "knobs" -> {
                for (Knob k : Knobs.all()) {
                    out.println(k.name() + " = " + String.join(" | ", k.values()) + "   (default " + k.defaultValue() + ")");
                    out.println("    " + k.description());
                }
            }
            case "properties" -> {
                for (HandoffProperties.Info i : HandoffProperties.catalog()) {
                    out.println(i.name() + " (" + i.kind() + ")");
                    out.println("    " + i.description());
                }
            }
            case "platforms" -> {
                for (Platform p : Platforms.all()) {
                    out.println(p.name());
                    out.println("    " + p.description());
                    List<String> set = new ArrayList<>();
                    new TreeMap<>(p.knobDefaults()).forEach((k, v) -> set.add(k + "=" + v));
                    out.println("    sets: " + String.join(" ", set));
                }
            }
            case "kernels" -> kernels(out);
            default -> throw new ParameterException(spec.commandLine(),
                    "'" + what + "' cannot be listed (allowed: policies, knobs, properties, platforms, kernels)");
        }
        out.flush();
        return ExitCode.HOLDS;
    }

    /**
     * One block per mechanism: what it is, the knob it sets, its state per version, the commits,
     * and how sure the boundary is.
     */
    private static void kernels(PrintWriter out) {
        out.println("kernel versions: " + String.join(", ", KernelVersions.VERSIONS) + " (default "
                + KernelVersions.DEFAULT + "); a version stands for its current stable release");
        for (KernelVersions.Mechanism m : KernelVersions.mechanisms()) {
            out.println();
            out.println(m.what());
            out.println("    commits: " + m.commits());
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "    %-26s",
                    m.knob() == null ? "(no knob)" : m.knob()));
            KernelVersions.VERSIONS.forEach(v -> row.append(String.format(Locale.ROOT, " %s=%s", v, m.value(v))));
            out.println(row);
            if (!m.note().isEmpty()) {
                out.println("    note: " + m.note());
            }
        }
    }
}
