package dev.handoff.model.display;

/**
 * The display driver's own IOMMU state: the context bank of its domain, whether it mapped the
 * firmware buffer at the firmware's IOVA (read-back takeover), and whether its new buffer is
 * pinned (mapped).
 */
public record DisplayDriverState(int ownCb, boolean fwBufferMapped, boolean newBufferMapped) {
    public static final DisplayDriverState INITIAL = new DisplayDriverState(-1, false, false);

    public DisplayDriverState withOwnCb(int cb) {
        return new DisplayDriverState(cb, fwBufferMapped, newBufferMapped);
    }

    public DisplayDriverState withFwBufferMapped() {
        return new DisplayDriverState(ownCb, true, newBufferMapped);
    }

    public DisplayDriverState withNewBufferMapped() {
        return new DisplayDriverState(ownCb, fwBufferMapped, true);
    }
}
