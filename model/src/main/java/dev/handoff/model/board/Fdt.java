package dev.handoff.model.board;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A flattened device tree (Devicetree Specification v0.4, chapter 5), read from bytes with every
 * offset and length checked against the blob before it is used.
 *
 * <p>Checks: magic 0xd00dfeed; totalsize within the file; version 16 or 17 compatible
 * ({@code last_comp_version <= 17}); structure, strings and memory-reservation blocks inside the
 * blob and aligned; tokens FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END; names and
 * property values inside their blocks; nesting at most {@value #MAX_DEPTH} deep and at most
 * {@value #MAX_NODES} nodes, so a hostile blob ends in an error, never a loop or an unbounded
 * allocation. Errors name the offset.
 */
public final class Fdt {
    public static final int MAGIC = 0xd00dfeed;
    static final int MAX_DEPTH = 64;
    static final int MAX_NODES = 200_000;
    static final int MAX_RESERVATIONS = 4096;
    private static final int BEGIN_NODE = 1;
    private static final int END_NODE = 2;
    private static final int PROP = 3;
    private static final int NOP = 4;
    private static final int END = 9;

    /** A {@code /memreserve/} entry. */
    public record Reservation(long address, long size) {
    }

    private final DtNode root;
    private final List<Reservation> reservations;
    private final Map<Long, DtNode> phandles;
    private final int version;

    private Fdt(DtNode root, List<Reservation> reservations, Map<Long, DtNode> phandles, int version) {
        this.root = root;
        this.reservations = List.copyOf(reservations);
        this.phandles = phandles;
        this.version = version;
    }

    public DtNode root() {
        return root;
    }

    public List<Reservation> reservations() {
        return reservations;
    }

    public int version() {
        return version;
    }

    /** The node with this {@code phandle} (or {@code linux,phandle}), or {@code null}. */
    public DtNode byPhandle(long phandle) {
        return phandles.get(phandle);
    }

    /** Every node, depth first in blob order. */
    public List<DtNode> nodes() {
        List<DtNode> out = new ArrayList<>();
        ArrayList<DtNode> stack = new ArrayList<>(List.of(root));
        while (!stack.isEmpty()) {
            DtNode n = stack.remove(stack.size() - 1);
            out.add(n);
            List<DtNode> c = n.children();
            for (int i = c.size() - 1; i >= 0; i--) {
                stack.add(c.get(i));
            }
        }
        return out;
    }

    /** A node by absolute path, or {@code null}. */
    public DtNode find(String path) {
        DtNode n = root;
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            DtNode next = null;
            for (DtNode c : n.children()) {
                if (c.name().equals(part)) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            n = next;
        }
        return n;
    }

    /**
     * Parses a blob.
     *
     * @param source name for messages
     * @throws BoardInputException naming the offset of the first problem
     */
    public static Fdt parse(String source, byte[] b) {
        Reader r = new Reader(source, b);
        if (b.length < 40) {
            throw r.error(0, "file of " + b.length + " bytes is shorter than a device tree header (40 bytes)");
        }
        int magic = r.u32(0);
        if (magic != MAGIC) {
            throw r.error(0, String.format("magic is 0x%08x, not 0xd00dfeed: not a device tree blob", magic));
        }
        long total = r.u32(4) & 0xffffffffL;
        long offStruct = r.u32(8) & 0xffffffffL;
        long offStrings = r.u32(12) & 0xffffffffL;
        long offRsv = r.u32(16) & 0xffffffffL;
        int version = r.u32(20);
        int lastComp = r.u32(24);
        long sizeStrings = r.u32(32) & 0xffffffffL;
        long sizeStruct = version >= 17 ? r.u32(36) & 0xffffffffL : total - offStruct;
        if (total > b.length) {
            throw r.error(4, "totalsize " + total + " is larger than the file (" + b.length + " bytes): truncated?");
        }
        if (version < 16 || lastComp > 17) {
            throw r.error(20, "version " + version + " (compatible with " + lastComp + ") is not supported (allowed: 16, 17)");
        }
        r.limit((int) total);
        r.checkBlock(8, "structure block", offStruct, sizeStruct, 4);
        r.checkBlock(12, "strings block", offStrings, sizeStrings, 1);
        r.checkBlock(16, "memory reservation block", offRsv, 16, 8);
        List<Reservation> rsv = new ArrayList<>();
        for (int off = (int) offRsv; ; off += 16) {
            if (off + 16 > total) {
                throw r.error(off, "memory reservation block runs past the end without its terminating entry");
            }
            long addr = r.u64(off);
            long size = r.u64(off + 8);
            if (addr == 0 && size == 0) {
                break;
            }
            if (rsv.size() >= MAX_RESERVATIONS) {
                throw r.error(off, "more than " + MAX_RESERVATIONS + " memory reservations");
            }
            rsv.add(new Reservation(addr, size));
        }
        Map<Long, DtNode> phandles = new HashMap<>();
        DtNode root = r.structure((int) offStruct, (int) (offStruct + sizeStruct), (int) offStrings,
                (int) (offStrings + sizeStrings), phandles);
        return new Fdt(root, rsv, phandles, version);
    }

    /** The blob's structure block walker, over big-endian bounds-checked bytes. */
    private static final class Reader {
        final BoundedBytes in;
        final byte[] b;

        Reader(String source, byte[] b) {
            this.in = new BoundedBytes(source, b, true);
            this.b = b;
        }

        BoardInputException error(long off, String what) {
            return in.error(off, what);
        }

        int u32(int off) {
            return (int) in.u32(off);
        }

        long u64(int off) {
            return in.u64(off);
        }

        void limit(int total) {
            in.limit = total;
        }

        void checkBlock(int field, String what, long off, long size, int align) {
            if (off % align != 0) {
                throw error(field, what + " offset 0x" + Long.toHexString(off) + " is not " + align + "-byte aligned");
            }
            if (off < 40 || off > in.limit || size > in.limit || off + size > in.limit) {
                throw error(field, what + " at 0x" + Long.toHexString(off) + " of " + size + " bytes lies outside the blob ("
                        + in.limit + " bytes)");
            }
        }

        String cstring(int off, int end, String what) {
            return in.cstring(off, end, what, StandardCharsets.UTF_8);
        }

        DtNode structure(int start, int end, int strStart, int strEnd, Map<Long, DtNode> phandles) {
            int off = start;
            DtNode root = null;
            DtNode cur = null;
            int depth = 0;
            int nodes = 0;
            while (true) {
                if (off + 4 > end) {
                    throw error(off, "structure block ends without FDT_END");
                }
                int token = u32(off);
                switch (token) {
                    case BEGIN_NODE -> {
                        String name = cstring(off + 4, end, "node name");
                        // from the NUL, not the decoded name: a byte that is not UTF-8 decodes to U+FFFD, 3 bytes
                        int next = align(in.nul(off + 4, end, "node name") + 1);
                        if (++nodes > MAX_NODES) {
                            throw error(off, "more than " + MAX_NODES + " nodes");
                        }
                        if (++depth > MAX_DEPTH) {
                            throw error(off, "nodes nested deeper than " + MAX_DEPTH);
                        }
                        if (cur == null && root != null) {
                            throw error(off, "a second root node");
                        }
                        DtNode n = new DtNode(cur == null ? "" : name, cur);
                        if (cur == null) {
                            root = n;
                        } else {
                            cur.addChild(n);
                        }
                        cur = n;
                        off = next;
                    }
                    case END_NODE -> {
                        if (cur == null) {
                            throw error(off, "FDT_END_NODE without an open node");
                        }
                        cur = cur.parent();
                        depth--;
                        off += 4;
                    }
                    case PROP -> {
                        if (cur == null) {
                            throw error(off, "property outside any node");
                        }
                        long len = u32(off + 4) & 0xffffffffL;
                        long nameOff = u32(off + 8) & 0xffffffffL;
                        if (off + 12 + len > end) {
                            throw error(off, "property of " + len + " bytes runs past the structure block (ends at 0x"
                                    + Integer.toHexString(end) + ")");
                        }
                        if (nameOff >= strEnd - strStart) {
                            throw error(off + 8, "property name offset " + nameOff + " lies outside the strings block ("
                                    + (strEnd - strStart) + " bytes)");
                        }
                        String pname = cstring(strStart + (int) nameOff, strEnd, "property name");
                        byte[] v = java.util.Arrays.copyOfRange(b, off + 12, off + 12 + (int) len);
                        cur.put(pname, v);
                        if ((pname.equals("phandle") || pname.equals("linux,phandle")) && len == 4) {
                            phandles.putIfAbsent(u32(off + 12) & 0xffffffffL, cur);
                        }
                        off = align(off + 12 + (int) len);
                    }
                    case NOP -> off += 4;
                    case END -> {
                        if (cur != null) {
                            throw error(off, "FDT_END inside node " + cur.path());
                        }
                        if (root == null) {
                            throw error(off, "structure block holds no root node");
                        }
                        return root;
                    }
                    default -> throw error(off, String.format("unknown token 0x%08x (allowed: 1 begin node, 2 end node,"
                            + " 3 property, 4 nop, 9 end)", token));
                }
            }
        }

        private static int align(int off) {
            return (off + 3) & ~3;
        }
    }
}
