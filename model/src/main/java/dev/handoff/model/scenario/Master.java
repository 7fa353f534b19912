package dev.handoff.model.scenario;

import java.util.List;
import java.util.Objects;

/**
 * A DMA master other than the display behind the display's SMMU: an IOMMU-core client with its
 * own {@code iommus} entries, probed by the IOMMU core like the display.
 *
 * @param name    where it comes from (a DT node path or IORT named component)
 * @param streams    its {@code iommus} entries on this SMMU, as {@code arm_smmu_of_xlate} packs them
 * @param compatible its node's compatibles (vendor hooks match clients by them), possibly none
 */
public record Master(String name, List<StreamEntry> streams, List<String> compatible) {
    /** A master whose compatibles are not known. */
    public Master(String name, List<StreamEntry> streams) {
        this(name, streams, List.of());
    }

    public Master {
        Objects.requireNonNull(name);
        streams = List.copyOf(streams);
        compatible = List.copyOf(compatible);
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("master " + name + " has no stream on this SMMU");
        }
    }
}
