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
}
