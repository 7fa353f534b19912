package dev.handoff.model.memory;

/**
 * The kernel's page allocator touching pages the firmware left in use (BRIEF 6.6, H1). Enabled
 * only when those pages are not reserved from it ({@code fw.tables=unreserved}).
 */
public enum MemoryAction {
    ALLOC_TABLES("alloc(firmware page tables)", "memblock/buddy allocator hands out an unreserved page"),
    WRITE_TABLES("write(firmware page tables)", "kernel write to an allocated page (memtest, early allocations)"),
    ALLOC_FRAMEBUFFER("alloc(framebuffer)", "memblock/buddy allocator hands out an unreserved page"),
    WRITE_FRAMEBUFFER("write(framebuffer)", "kernel write to an allocated page");

    private final String label;
    private final String citation;

    MemoryAction(String label, String citation) {
        this.label = label;
        this.citation = citation;
    }

    public String label() {
        return label;
    }

    public String citation() {
        return citation;
    }
}
