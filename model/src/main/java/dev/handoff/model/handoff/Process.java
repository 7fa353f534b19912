package dev.handoff.model.handoff;

import dev.handoff.engine.formalism.Footprint;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One actor of the handoff as the scheduler ({@link HandoffModel}) sees it: a list of atomic
 * steps. A program (the firmware, arm-smmu's probe, the IOMMU core, the display driver) is steps
 * behind a program counter; a reactive actor (the page allocator, the firmware framebuffer
 * driver, the display engine's fetch) is steps enabled by what the state holds. Each step carries
 * its guard and effect ({@link Step#next}), what it reads and writes ({@link Step#footprint}, for
 * partial-order reduction) and when it can never fire again ({@link Step#retired}).
 *
 * <p>The scheduler numbers the steps of its processes in list order and lets any enabled step run;
 * a latched failure stops every step before a process is asked. {@link Processes} builds the
 * handoff's processes; adding an actor is one more implementation there and one line in its list.
 */
public interface Process {
    /** The actor's name, as its actions carry it. */
    String actor();

    /** The actor's steps, in the order the model numbers them. */
    List<Step> steps();

    /**
     * One atomic step.
     *
     * @param name      its name (unique within its actor)
     * @param citation  the kernel function, register or spec field it stands for
     * @param effect    the successor, or {@code null} where the step is not enabled (never given a
     *                  state with a latched failure)
     * @param footprint what it reads and writes
     * @param retired   true where it can never be enabled again (never given a latched state)
     */
    record Step(String name, String citation, UnaryOperator<HandoffState> effect, Footprint footprint,
                Predicate<HandoffState> retired) {
        public Step {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(citation, "citation");
            Objects.requireNonNull(effect, "effect");
            Objects.requireNonNull(footprint, "footprint");
            Objects.requireNonNull(retired, "retired");
        }

        /** The successor, or null where not enabled. */
        public HandoffState next(HandoffState s) {
            return effect.apply(s);
        }
    }

    /** A process from its actor's name and steps. */
    static Process of(String actor, List<Step> steps) {
        List<Step> copy = List.copyOf(steps);
        return new Process() {
            @Override
            public String actor() {
                return actor;
            }

            @Override
            public List<Step> steps() {
                return copy;
            }
        };
    }
}
