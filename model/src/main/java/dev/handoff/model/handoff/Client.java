package dev.handoff.model.handoff;

import dev.handoff.model.scenario.StreamEntry;

import java.util.List;

/**
 * One IOMMU-core client of the modelled SMMU: the display (always index 0) or another master.
 * The world holds one {@link dev.handoff.model.kernel.DeviceState} per client, at its index.
 *
 * @param index   its place in the state's device list
 * @param label   the name its actions and fields carry ({@code display}, {@code other}, or
 *                {@code other1}, {@code other2}, … when there are several)
 * @param name    where it comes from (DT node or IORT named component)
 * @param streams its {@code iommus} entries
 * @param table   the translation table its default DMA domain gets ({@link dev.handoff.model.smmu.Tables})
 * @param compatible its compatibles, as {@code of_match_device} sees them (possibly none known)
 */
public record Client(int index, String label, String name, List<StreamEntry> streams, int table, List<String> compatible) {
    public Client {
        streams = List.copyOf(streams);
        compatible = List.copyOf(compatible);
    }

    public boolean display() {
        return index == 0;
    }

    /** A display controller: the display, or another whose compatibles name one ({@link dev.handoff.model.scenario.Master#displayController}). */
    public boolean displayController() {
        return display() || dev.handoff.model.scenario.Master.displayController(compatible);
    }

    /** The entries as {@code id | mask << 16}, the form the resolver matches. */
    public List<Integer> entries() {
        return streams.stream().map(e -> e.sid() | e.mask() << 16).toList();
    }

    /** Whether one of its entries matches stream ID {@code sid}. */
    public boolean owns(int sid) {
        return streams.stream().anyMatch(e -> e.matches(sid));
    }
}
