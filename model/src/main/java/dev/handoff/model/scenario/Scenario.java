package dev.handoff.model.scenario;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One check's setting: platform + firmware behaviour + kernel policy, as every knob's value.
 * Knob values come from, in rising precedence: knob defaults, the platform, the kernel version's
 * mechanisms ({@link KernelVersions}), the policy, the user's overrides. The version itself is
 * taken from the highest of those that names one.
 *
 * @param platform the hardware
 * @param policy   the preset's name, or {@code null} for none
 * @param knobs    every knob and its value, in {@link Knobs#all()} order
 */
public record Scenario(Platform platform, String policy, Map<String, String> knobs) {
    public Scenario {
        knobs = Collections.unmodifiableMap(new LinkedHashMap<>(knobs));
    }

    /** Builds a scenario; {@code overrides} are checked against the knob table. */
    public static Scenario of(Platform platform, String policy, Map<String, String> overrides) {
        Map<String, String> policySettings = policy == null ? Map.of() : Policies.get(policy, "").settings();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            Knobs.get(e.getKey(), "").check(e.getValue(), "");
        }
        String version = overrides.getOrDefault(Knobs.KERNEL_VERSION, policySettings.getOrDefault(Knobs.KERNEL_VERSION,
                platform.knobDefaults().getOrDefault(Knobs.KERNEL_VERSION, KernelVersions.DEFAULT)));
        Map<String, String> k = Knobs.defaults();
        k.putAll(platform.knobDefaults());
        k.putAll(KernelVersions.settings(version));
        k.put(Knobs.KERNEL_VERSION, version);
        k.putAll(policySettings);
        k.putAll(overrides);
        String implied = impliedInterface(k.get(Knobs.FW_DESCRIPTION));
        if (implied != null) {
            boolean explicit = overrides.containsKey(Knobs.FW_INTERFACE) || policySettings.containsKey(Knobs.FW_INTERFACE);
            if (explicit && !k.get(Knobs.FW_INTERFACE).equals(implied)) {
                throw new ScenarioException("knob \"" + Knobs.FW_INTERFACE + "\" is " + k.get(Knobs.FW_INTERFACE)
                        + " but fw.description=" + k.get(Knobs.FW_DESCRIPTION) + " is an " + implied.toUpperCase(java.util.Locale.ROOT)
                        + " description (an IORT RMR needs fw.interface=acpi; iommu-addresses and the passthrough flag need dt)");
            }
            k.put(Knobs.FW_INTERFACE, implied);
        }
        return validate(new Scenario(platform, policy, k));
    }

    /**
     * The firmware interface a description needs: an IORT RMR is ACPI, reserved-memory
     * iommu-addresses and the (proposed) passthrough flag are device-tree properties; null for none.
     */
    public static String impliedInterface(String description) {
        return switch (description) {
            case "rmr" -> "acpi";
            case "iommu-addresses", "passthrough-flag" -> "dt";
            default -> null;
        };
    }

    /** Settings that are each allowed but do not fit together or do not fit the platform. */
    private static Scenario validate(Scenario s) {
        int banks = s.platform().contextBanks();
        if (!s.is(Knobs.FW_LAST_BANK, "display") && Integer.parseInt(s.knob(Knobs.FW_CONTEXT_BANK)) >= banks - 1) {
            throw new ScenarioException("knob \"" + Knobs.FW_CONTEXT_BANK + "\" is " + s.knob(Knobs.FW_CONTEXT_BANK)
                    + " but platform " + s.platform().name() + " has " + banks + " context banks: allowed 0 to " + (banks - 2)
                    + " (the last bank is fw.last-bank=display)");
        }
        if (s.is(Knobs.FW_SMR_SLOT, "above-clamp") && s.platform().impl() != Platform.SmmuImpl.QCOM) {
            throw new ScenarioException("knob \"" + Knobs.FW_SMR_SLOT + "\" is above-clamp but platform " + s.platform().name()
                    + " has no Qualcomm MMU-500: only Qualcomm's implements more than 128 stream-match groups"
                    + " (allowed: first, last)");
        }
        return s;
    }

    public String knob(String name) {
        String v = knobs.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no knob " + name);
        }
        return v;
    }

    public boolean is(String name, String value) {
        return knob(name).equals(value);
    }

    /** A copy with one knob changed (a version's mechanisms are not re-derived: use {@link #of}). */
    public Scenario with(String name, String value) {
        Knobs.get(name, "").check(value, "");
        Map<String, String> k = new LinkedHashMap<>(knobs);
        k.put(name, value);
        return new Scenario(platform, policy, k);
    }
}
