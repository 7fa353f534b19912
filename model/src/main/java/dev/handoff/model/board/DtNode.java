package dev.handoff.model.board;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a device tree: its name (with unit address), its properties as raw big-endian
 * bytes, its children in blob order. Immutable once the reader has built the tree.
 */
public final class DtNode {
    private final String name;
    private final DtNode parent;
    private final Map<String, byte[]> props = new LinkedHashMap<>();
    private final List<DtNode> children = new ArrayList<>();

    DtNode(String name, DtNode parent) {
        this.name = name;
        this.parent = parent;
    }

    public String name() {
        return name;
    }

    public DtNode parent() {
        return parent;
    }

    public List<DtNode> children() {
        return Collections.unmodifiableList(children);
    }

    void addChild(DtNode c) {
        children.add(c);
    }

    void put(String prop, byte[] value) {
        props.put(prop, value);
    }

    /** The full path: {@code /soc@0/iommu@15000000}. */
    public String path() {
        if (parent == null) {
            return "/";
        }
        String p = parent.path();
        return (p.equals("/") ? "" : p) + "/" + name;
    }

    public boolean has(String prop) {
        return props.containsKey(prop);
    }

    public byte[] bytes(String prop) {
        return props.get(prop);
    }

    /** The property as a list of NUL-separated strings (compatible, status), or empty. */
    public List<String> strings(String prop) {
        byte[] v = props.get(prop);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        int start = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0) {
                if (i > start) {
                    out.add(new String(v, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        if (start < v.length) {
            out.add(new String(v, start, v.length - start, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The first string of a property, or {@code null}. */
    public String string(String prop) {
        List<String> s = strings(prop);
        return s.isEmpty() ? null : s.get(0);
    }

    /** The property as big-endian u32 cells; trailing bytes that do not fill a cell are ignored. */
    public long[] cells(String prop) {
        byte[] v = props.get(prop);
        if (v == null) {
            return new long[0];
        }
        long[] out = new long[v.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = (v[4 * i] & 0xffL) << 24 | (v[4 * i + 1] & 0xffL) << 16 | (v[4 * i + 2] & 0xffL) << 8 | (v[4 * i + 3] & 0xffL);
        }
        return out;
    }

    /** A single-cell property, or {@code dflt} when absent or malformed. */
    public long cell(String prop, long dflt) {
        long[] c = cells(prop);
        return c.length == 1 ? c[0] : dflt;
    }

    public List<String> compatible() {
        return strings("compatible");
    }

    /** Its own {@code status}: okay unless the property says otherwise ("ok" is accepted as the kernel does). */
    public boolean ownStatusOkay() {
        String s = string("status");
        return s == null || s.equals("okay") || s.equals("ok");
    }

    /** Enabled: its own status and every ancestor's are okay ({@code of_device_is_available} up the tree). */
    public boolean enabled() {
        for (DtNode n = this; n != null; n = n.parent) {
            if (!n.ownStatusOkay()) {
                return false;
            }
        }
        return true;
    }

    /** {@code #address-cells} a child's {@code reg} uses (the default is 2, as of_n_addr_cells assumes). */
    public int addressCells() {
        return (int) cell("#address-cells", 2);
    }

    public int sizeCells() {
        return (int) cell("#size-cells", 1);
    }

    @Override
    public String toString() {
        return path();
    }
}
