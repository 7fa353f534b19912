package dev.handoff.model.constraints;

/** A run of {@code pages} 4 KiB pages mapped from IOVA page {@code iovaPage} to PA page {@code paPage}. */
public record MappedRange(long iovaPage, long paPage, long pages) {
    public MappedRange {
        if (pages <= 0 || iovaPage < 0 || paPage < 0) {
            throw new IllegalArgumentException("a mapped range needs a positive length: " + pages);
        }
    }

    public long iovaEnd() {
        return iovaPage + pages;
    }
}
