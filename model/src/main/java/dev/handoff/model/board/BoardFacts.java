package dev.handoff.model.board;

import java.util.List;

/**
 * What a board's firmware description says about its SMMUs, displays and memory: the facts the
 * handoff model needs, as read, before any judgement. Numbers are as the tree gives them.
 * {@code acpi}: read from an IORT table (an ACPI boot), not a device tree.
 */
public record BoardFacts(String source, String model, boolean acpi, List<Smmu> smmus, List<Device> devices,
                         List<Region> regions, List<Framebuffer> framebuffers, List<Finding> findings) {
    public BoardFacts {
        smmus = List.copyOf(smmus);
        devices = List.copyOf(devices);
        regions = List.copyOf(regions);
        framebuffers = List.copyOf(framebuffers);
        findings = List.copyOf(findings);
    }

    /**
     * An IOMMU node.
     *
     * @param arm               an ARM SMMU (v1/v2/MMU-500 or v3) that handoff models
     * @param iommuCells        {@code #iommu-cells}
     * @param streamMatchMask   {@code stream-match-mask} (used for 1-cell specifiers), or 0
     * @param contextInterrupts interrupts minus {@code #global-interrupts}: an upper bound on NUMCB
     */
    public record Smmu(String path, List<String> compatible, boolean arm, boolean v3, int iommuCells, int streamMatchMask,
                       int globalInterrupts, int contextInterrupts, boolean enabled) {
    }

    /** One {@code iommus} entry, as {@code arm_smmu_of_xlate} reads it. */
    public record Stream(String smmu, int sid, int mask) {
    }

    /** A device with {@code iommus} or a display controller. */
    public record Device(String path, List<String> compatible, String role, boolean enabled, List<Stream> streams,
                         List<String> memoryRegions, boolean hasResets) {
    }

    /**
     * A {@code /reserved-memory} child, a {@code /memreserve/} entry, or an IORT RMR memory range.
     *
     * @param reusable   {@code reusable} (a CMA pool: its pages go to the page allocator as movable)
     * @param rmrStreams for an RMR: the stream IDs its ID mappings name (empty for DT regions)
     */
    public record Region(String path, long base, long size, boolean noMap, boolean reusable, List<IommuAddress> iommuAddresses,
                         List<Stream> rmrStreams) {
        /**
         * Whether the kernel keeps the page allocator off it: a region with a {@code reg} that is
         * not {@code reusable} is taken out of memblock at boot, {@code no-map} or not
         * ({@code early_init_dt_reserve_memory}, 6.12 drivers/of/of_reserved_mem.c:141-156:
         * memblock_mark_nomap or memblock_reserve), as are {@code /memreserve/} entries and RMRs.
         */
        public boolean reserved() {
            return base >= 0 && size > 0 && !reusable;
        }

        public Region {
            iommuAddresses = List.copyOf(iommuAddresses);
            rmrStreams = List.copyOf(rmrStreams);
        }
    }

    /** One {@code iommu-addresses} entry: which device, IOVA and length. */
    public record IommuAddress(String device, long iova, long size) {
    }

    /** A {@code simple-framebuffer} node. */
    public record Framebuffer(String path, long base, long size, long width, long height, long stride, String format) {
    }

    /** Something a board engineer should know. */
    public record Finding(String kind, String message) {
    }
}
