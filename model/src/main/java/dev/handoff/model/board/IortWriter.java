package dev.handoff.model.board;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes IORT tables (Debian's iasl cannot write RMR nodes): an MMU-500 SMMUv2 node,
 * named components with an ID mapping each onto it, and RMR nodes with one memory range and one
 * ID mapping. Offsets and the checksum are computed as the specification lays them out.
 */
public final class IortWriter {
    /** A named component with one ID mapping: single (Linux's reading) or, with {@code range}, a range it ignores. */
    public record Component(String name, int sid, int count, boolean range) {
    }

    public record Rmr(int flags, long base, long length, int sid, int count) {
    }

    /** Table revision: 5 is E.d, the first with RMR nodes Linux reads. */
    public int revision = 5;
    public int contextInterrupts = 16;
    final List<Component> components = new ArrayList<>();
    final List<Rmr> rmrs = new ArrayList<>();

    /**
     * A named component whose stream IDs are {@code sid} to {@code sid + count - 1} ({@code count} a
     * power of two, {@code sid} aligned to it), written as Linux reads a named component: one
     * single mapping whose output is the SMR, mask in bits 31:16 ({@code iort_node_get_id},
     * {@code arm_smmu_probe_device}).
     */
    public IortWriter component(String name, int sid, int count) {
        if (Integer.bitCount(count) != 1 || (sid & (count - 1)) != 0 || sid > 0xffff) {
            throw new IllegalArgumentException(count + " IDs from 0x" + Integer.toHexString(sid) + " are not one SMR");
        }
        components.add(new Component(name, sid, count, false));
        return this;
    }

    /** A named component with a range mapping of {@code count} IDs from {@code sid}, which Linux 6.12 ignores. */
    public IortWriter componentRange(String name, int sid, int count) {
        components.add(new Component(name, sid, count, true));
        return this;
    }

    public IortWriter rmr(int flags, long base, long length, int sid, int count) {
        rmrs.add(new Rmr(flags, base, length, sid, count));
        return this;
    }

    public byte[] build() {
        int smmuOff = 48;
        int smmuLen = 76 + 8 * contextInterrupts;
        List<byte[]> nodes = new ArrayList<>();
        ByteBuffer smmu = le(smmuLen);
        header(smmu, 3, smmuLen, 0, 0);
        // SMMUv1/v2 node: base, span, model 3 (MMU-500), flags, global IRQ array at 60, context IRQ count and array at 76
        smmu.putLong(16, 0x15000000L).putLong(24, 0x80000L).putInt(32, 3).putInt(36, 0).putInt(40, 60)
                .putInt(44, contextInterrupts).putInt(48, 76).putInt(52, 0).putInt(56, 0);
        nodes.add(smmu.array());
        for (Component c : components) {
            byte[] name = (c.name() + "\0").getBytes(StandardCharsets.US_ASCII);
            int mapOff = (29 + name.length + 3) & ~3;
            int len = mapOff + 20;
            ByteBuffer n = le(len);
            header(n, 1, len, 1, mapOff);
            n.put(16 + 12, (byte) 48);
            n.position(29);
            n.put(name);
            if (c.range()) {
                mapping(n, mapOff, c.sid(), c.count(), smmuOff);
            } else {
                n.putInt(mapOff, 0).putInt(mapOff + 4, 0).putInt(mapOff + 8, c.sid() | (c.count() - 1) << 16)
                        .putInt(mapOff + 12, smmuOff).putInt(mapOff + 16, 1);
            }
            nodes.add(n.array());
        }
        for (Rmr r : rmrs) {
            int len = 28 + 20 + 20;
            ByteBuffer n = le(len);
            header(n, 6, len, 1, 28);
            n.putInt(16, r.flags()).putInt(20, 1).putInt(24, 48);
            mapping(n, 28, r.sid(), r.count(), smmuOff);
            n.putLong(48, r.base()).putLong(56, r.length());
            nodes.add(n.array());
        }
        int total = 48;
        for (byte[] n : nodes) {
            total += n.length;
        }
        ByteBuffer t = le(total);
        t.put("IORT".getBytes(StandardCharsets.US_ASCII));
        t.putInt(4, total).put(8, (byte) revision);
        t.position(10);
        t.put("HANDOF".getBytes(StandardCharsets.US_ASCII));
        t.putInt(36, nodes.size()).putInt(40, 48);
        t.position(48);
        for (byte[] n : nodes) {
            t.put(n);
        }
        byte[] b = t.array();
        int sum = 0;
        for (byte x : b) {
            sum += x;
        }
        b[9] = (byte) -sum;
        return b;
    }

    private static ByteBuffer le(int len) {
        return ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void header(ByteBuffer n, int type, int len, int mappings, int mapOff) {
        n.put(0, (byte) type).putShort(1, (short) len).put(3, (byte) 0).putInt(4, 0).putInt(8, mappings).putInt(12, mapOff);
    }

    private static void mapping(ByteBuffer n, int at, int sid, int count, int target) {
        n.putInt(at, 0).putInt(at + 4, count - 1).putInt(at + 8, sid).putInt(at + 12, target).putInt(at + 16, 0);
    }
}
