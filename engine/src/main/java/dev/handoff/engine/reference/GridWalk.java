package dev.handoff.engine.reference;

import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.Model;
import dev.handoff.engine.formalism.Property;
import dev.handoff.engine.formalism.StateCodec;

import java.util.List;

/**
 * A walker on a width × height grid that steps right or up from (0, 0): a readable
 * {@link Model} with a record state, and the engine's test bed for planted violations.
 *
 * <p>Reachable states: width · height. Transitions: (width−1)·height + width·(height−1).
 * Invariant {@code below-diagonal}: x + y &lt; limit; its shortest counterexample has exactly
 * {@code limit} steps (when limit ≤ width + height − 2). Witness {@code corner}: the walker
 * reaches (width−1, height−1), at depth width + height − 2. The corner has no enabled action;
 * it is terminal only when {@code cornerTerminal}, otherwise it is a deadlock at that depth.
 */
public final class GridWalk implements Model<GridWalk.Point> {
    /** A position on the grid. */
    public record Point(int x, int y) {
    }

    private final int width;
    private final int height;
    private final int limit;
    private final boolean cornerTerminal;

    public GridWalk(int width, int height, int limit, boolean cornerTerminal) {
        if (width < 1 || height < 1 || width > 1 << 20 || height > 1 << 20) {
            throw new IllegalArgumentException("grid: width and height must be between 1 and 2^20");
        }
        this.width = width;
        this.height = height;
        this.limit = limit;
        this.cornerTerminal = cornerTerminal;
    }

    @Override
    public List<Point> initialStates() {
        return List.of(new Point(0, 0));
    }

    @Override
    public List<Action> actions() {
        return List.of(new Action("right", "walker"), new Action("up", "walker"));
    }

    @Override
    public Point next(Point p, int action) {
        return switch (action) {
            case 0 -> p.x() + 1 < width ? new Point(p.x() + 1, p.y()) : null;
            case 1 -> p.y() + 1 < height ? new Point(p.x(), p.y() + 1) : null;
            default -> throw new IllegalArgumentException("grid: no action " + action);
        };
    }

    @Override
    public List<Property<Point>> properties() {
        return List.of(
                Property.always("below-diagonal", p -> p.x() + p.y() < limit),
                Property.sometimes("corner", p -> p.x() == width - 1 && p.y() == height - 1));
    }

    @Override
    public boolean isTerminal(Point p) {
        return cornerTerminal && p.x() == width - 1 && p.y() == height - 1;
    }

    @Override
    public StateCodec<Point> codec() {
        return new StateCodec<>() {
            @Override
            public int words() {
                return 1;
            }

            @Override
            public void encode(Point p, long[] out, int off) {
                out[off] = (long) p.x() << 32 | p.y();
            }

            @Override
            public Point decode(long[] in, int off) {
                return new Point((int) (in[off] >>> 32), (int) in[off]);
            }
        };
    }
}
