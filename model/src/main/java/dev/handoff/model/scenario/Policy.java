package dev.handoff.model.scenario;

import java.util.Map;

/**
 * A named handoff policy: a preset of knob settings (BRIEF §9). What it does to a live display
 * is for the checker to find out; the preset only says how the kernel and firmware behave, never
 * what the board is ({@link Knob.Kind#HARDWARE} knobs are refused).
 */
public record Policy(String name, String description, Map<String, String> settings) {
    public Policy {
        settings = Map.copyOf(settings);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            Knob k = Knobs.get(e.getKey(), "policy " + name + ": ");
            k.check(e.getValue(), "policy " + name + ": ");
            if (k.kind() == Knob.Kind.HARDWARE) {
                throw new IllegalArgumentException("policy " + name + " sets " + k.name() + ", a fact of the board:"
                        + " a policy chooses firmware behaviour and kernel mechanisms only");
            }
        }
    }
}
