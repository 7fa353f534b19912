package dev.handoff.model.scenario;

/** Bad scenario input: an unknown knob, value, policy or platform, or a malformed scenario file. */
public final class ScenarioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScenarioException(String message) {
        super(message);
    }
}
