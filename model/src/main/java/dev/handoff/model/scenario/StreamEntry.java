package dev.handoff.model.scenario;

/**
 * One {@code iommus} specifier as {@code arm_smmu_of_xlate} packs it: stream ID in bits 15:0,
 * SMR mask in bits 31:16, both u16. A mask bit set means "ignore this ID bit".
 */
public record StreamEntry(int sid, int mask) {
    public StreamEntry {
        if (sid < 0 || sid > 0xffff || mask < 0 || mask > 0xffff) {
            throw new IllegalArgumentException("stream entry fields are u16: sid=0x" + Integer.toHexString(sid)
                    + " mask=0x" + Integer.toHexString(mask));
        }
    }

    /** True if the entry matches stream ID {@code s}: {@code (s ^ sid) & ~mask == 0}. */
    public boolean matches(int s) {
        return ((s ^ sid) & ~mask & 0xffff) == 0;
    }

    @Override
    public String toString() {
        return String.format("0x%x/0x%x", sid, mask);
    }
}
