package dev.handoff.model.smmu;

import dev.handoff.model.constraints.MappedRange;

import java.util.List;

/**
 * A translation table's contents as a walk sees them.
 *
 * @param ranges  mapped runs of pages, in lookup order
 * @param garbage true when the table does not hold this display's mapping although a walk uses
 *                it: its pages were rewritten by the kernel (H1), or it is another context's
 *                table (a stale bank); a walk may then fault, hang or land anywhere (BRIEF 2.4 step 8)
 */
public record TableView(List<MappedRange> ranges, boolean garbage) {
    public static final TableView EMPTY = new TableView(List.of(), false);

    public TableView {
        ranges = List.copyOf(ranges);
    }
}
