package dev.handoff.engine.formalism;

import java.util.Objects;

/**
 * One atomic step of a model: its name and the actor (state machine) it belongs to.
 *
 * <p>A model declares its actions once, as a fixed, ordered list (its action universe); the
 * engine refers to an action by its position in that list. Statistics, traces and reductions
 * use the actor to group steps.
 *
 * @param name  what traces and statistics show, for example {@code take(3)} or {@code reset.s2cr[5]}; keep
 *              (actor, name) unique so a trace reads unambiguously (the engine itself goes by index
 *              and checks no name)
 * @param actor the state machine that takes the step, for example {@code philosopher 3}
 */
public record Action(String name, String actor) {
    public Action {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(actor, "actor");
    }

    @Override
    public String toString() {
        return actor + ": " + name;
    }
}
