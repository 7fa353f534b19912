package dev.handoff.model.scenario;

import java.util.Map;

/**
 * A named handoff policy: a preset of knob settings (BRIEF §9). What it does to a live display
 * is for the checker to find out; the preset only says how the kernel and firmware behave.
 */
public record Policy(String name, String description, Map<String, String> settings) {
    public Policy {
        settings = Map.copyOf(settings);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            Knobs.get(e.getKey(), "policy " + name + ": ").check(e.getValue(), "policy " + name + ": ");
        }
    }
}
