package dev.handoff.checker.cli;

import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Policies;
import dev.handoff.model.scenario.ScenarioException;
import dev.handoff.properties.HandoffProperties;

import java.util.List;

/** Checks user-given names of properties, policies and knobs, turning lookup failures into input errors. */
final class Names {
    private Names() {
    }

    static List<String> properties(List<String> names) {
        try {
            return HandoffProperties.resolve(names);
        } catch (ScenarioException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** The named policies (each resolved as {@link #policy}), or every policy when none is named; a list to change. */
    static java.util.List<String> policies(java.util.List<String> names) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (names.isEmpty()) {
            dev.handoff.model.scenario.Policies.all().forEach(p -> out.add(p.name()));
        } else {
            names.forEach(n -> out.add(policy(n)));
        }
        return out;
    }

    static String policy(String name) {
        try {
            return Policies.get(name, "").name();
        } catch (ScenarioException e) {
            throw new InputException(e.getMessage());
        }
    }

    static List<String> knobValues(String knob) {
        try {
            return Knobs.get(knob, "--vary: ").values();
        } catch (ScenarioException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** Completion candidates: the schema names of 'handoff schema'. */
    static final class SchemaNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return SchemaCommand.FILES.keySet().iterator();
        }
    }

    /** Completion candidates over a fixed list. */
    abstract static class Candidates implements Iterable<String> {
        abstract List<String> names();

        @Override
        public java.util.Iterator<String> iterator() {
            return names().iterator();
        }
    }

    /** Completion: policy names. */
    static final class PolicyNames extends Candidates {
        List<String> names() {
            return dev.handoff.model.scenario.Policies.all().stream().map(dev.handoff.model.scenario.Policy::name).toList();
        }
    }

    /** Completion: knob names. */
    static final class KnobNames extends Candidates {
        List<String> names() {
            return Knobs.all().stream().map(dev.handoff.model.scenario.Knob::name).toList();
        }
    }

    /** Completion: every KNOB=VALUE setting. */
    static final class KnobSettings extends Candidates {
        List<String> names() {
            return Knobs.all().stream().flatMap(k -> k.values().stream().map(v -> k.name() + "=" + v)).toList();
        }
    }

    /** Completion: embedded platforms. */
    static final class PlatformNames extends Candidates {
        List<String> names() {
            return dev.handoff.model.scenario.Platforms.all().stream().map(dev.handoff.model.scenario.Platform::name).toList();
        }
    }

    /** Completion: kernel versions. */
    static final class KernelNames extends Candidates {
        List<String> names() {
            return dev.handoff.model.scenario.KernelVersions.VERSIONS;
        }
    }

    /** Completion: property names. */
    static final class PropertyNames extends Candidates {
        List<String> names() {
            return HandoffProperties.catalog().stream().map(HandoffProperties.Info::name).toList();
        }
    }

    /** Completion: --fail-on levels. */
    static final class FailOnLevels extends Candidates {
        List<String> names() {
            return List.of("fatal", "hang", "fault", "wrong-page", "any");
        }
    }

    static final class CheckFormats extends Candidates {
        List<String> names() {
            return List.of("text", "json", "markdown", "junit", "mermaid", "svg");
        }
    }

    static final class SweepFormats extends Candidates {
        List<String> names() {
            return List.of("text", "json", "markdown", "junit");
        }
    }

    static final class TraceFormats extends Candidates {
        List<String> names() {
            return List.of("text", "json", "mermaid", "svg", "explanation", "original");
        }
    }

    static final class GraphFormats extends Candidates {
        List<String> names() {
            return List.of("dot", "graphml");
        }
    }

    static final class TextJson extends Candidates {
        List<String> names() {
            return List.of("text", "json");
        }
    }

    static final class ListWhat extends Candidates {
        List<String> names() {
            return List.of("policies", "knobs", "properties", "platforms", "kernels");
        }
    }

    static final class Strategies extends Candidates {
        List<String> names() {
            return List.of("bfs", "dfs");
        }
    }

    static final class Stores extends Candidates {
        List<String> names() {
            return List.of("fingerprint", "exact");
        }
    }

    static final class Reductions extends Candidates {
        List<String> names() {
            return java.util.Arrays.stream(dev.handoff.engine.Reduction.values())
                    .map(dev.handoff.engine.Reduction::label).toList();
        }
    }
}
