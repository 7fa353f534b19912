package dev.handoff.checker.cli;

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
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code handoff list policies|knobs|properties|platforms}. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the policies (with their settings), the knobs (with values and defaults), the properties or the platforms.")
final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "WHAT", description = "policies, knobs, properties or platforms")
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
            default -> throw new ParameterException(spec.commandLine(),
                    "'" + what + "' cannot be listed (allowed: policies, knobs, properties, platforms)");
        }
        out.flush();
        return ExitCode.HOLDS;
    }
}
