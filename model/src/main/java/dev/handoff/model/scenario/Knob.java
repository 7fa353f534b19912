package dev.handoff.model.scenario;

import java.util.List;
import java.util.Objects;

/**
 * A named setting of a scenario with a fixed set of values.
 *
 * @param name        kebab-case with a dotted prefix naming who decides it: {@code smmu.},
 *                    {@code fw.}, {@code hyp.}, {@code display.}, {@code kernel.}
 * @param kind        whether the board, the firmware or the kernel decides it
 * @param values      the allowed values, the default first unless {@code defaultValue} says otherwise
 * @param defaultValue the value when neither the platform, the policy nor the user sets it
 * @param description one line for {@code handoff list knobs}, citing the mechanism it selects
 */
public record Knob(String name, Kind kind, List<String> values, String defaultValue, String description) {
    /**
     * Who decides a knob. A board (an embedded platform or a device tree) fixes its hardware
     * facts; a policy chooses only firmware behaviour and kernel mechanisms, never what the
     * board is (whether the display node has {@code resets}, its stream IDs, the SMMU's version).
     */
    public enum Kind {
        /** What the hardware and its description are: the board decides, a policy may not. */
        HARDWARE,
        /** What the boot firmware (and a hypervisor it installs) does and describes. */
        FIRMWARE,
        /** What the kernel does: its version, configuration and command line. */
        KERNEL
    }

    public Knob {
        Objects.requireNonNull(name);
        Objects.requireNonNull(kind);
        values = List.copyOf(values);
        if (!values.contains(defaultValue)) {
            throw new IllegalArgumentException("knob " + name + ": default " + defaultValue + " is not a value");
        }
    }

    /** Checks a value, with a message naming the allowed ones. */
    public String check(String value, String where) {
        if (!values.contains(value)) {
            throw new ScenarioException(where + "knob \"" + name + "\" has no value \"" + value
                    + "\" (allowed: " + String.join(", ", values) + ")");
        }
        return value;
    }
}
