package dev.handoff.model.board;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes small flattened device trees (version 17, no memory reservations), the reader's counterpart for crafted inputs. */
public final class FdtWriter {
    /** A node under construction. */
    public static final class Node {
        public final String name;
        final Map<String, byte[]> props = new LinkedHashMap<>();
        public final List<Node> children = new ArrayList<>();

        Node(String name) {
            this.name = name;
        }

        public Node child(String n) {
            Node c = new Node(n);
            children.add(c);
            return c;
        }

        public Node str(String prop, String... values) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            for (String v : values) {
                o.writeBytes(v.getBytes(StandardCharsets.UTF_8));
                o.write(0);
            }
            props.put(prop, o.toByteArray());
            return this;
        }

        public Node cells(String prop, long... values) {
            ByteBuffer b = ByteBuffer.allocate(4 * values.length);
            for (long v : values) {
                b.putInt((int) v);
            }
            props.put(prop, b.array());
            return this;
        }

        public Node flag(String prop) {
            props.put(prop, new byte[0]);
            return this;
        }
    }

    public final Node root = new Node("");
    /** The memory reservation block ({@code /memreserve/}): {address, size} pairs. */
    public final java.util.List<long[]> reservations = new ArrayList<>();

    public byte[] build() {
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        Map<String, Integer> offsets = new LinkedHashMap<>();
        ByteArrayOutputStream struct = new ByteArrayOutputStream();
        write(root, struct, strings, offsets);
        put(struct, 9);
        byte[] st = struct.toByteArray();
        byte[] str = strings.toByteArray();
        int offRsv = 40;
        int offStruct = offRsv + 16 * (reservations.size() + 1);
        int offStrings = offStruct + st.length;
        int total = offStrings + str.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(Fdt.MAGIC).putInt(total).putInt(offStruct).putInt(offStrings).putInt(offRsv).putInt(17).putInt(16)
                .putInt(0).putInt(str.length).putInt(st.length);
        for (long[] r : reservations) {
            b.putLong(r[0]).putLong(r[1]);
        }
        b.putLong(0).putLong(0);
        b.put(st).put(str);
        return b.array();
    }

    private static void write(Node n, ByteArrayOutputStream out, ByteArrayOutputStream strings, Map<String, Integer> offsets) {
        put(out, 1);
        byte[] name = n.name.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(name);
        out.write(0);
        pad(out);
        for (Map.Entry<String, byte[]> p : n.props.entrySet()) {
            Integer off = offsets.get(p.getKey());
            if (off == null) {
                off = strings.size();
                offsets.put(p.getKey(), off);
                strings.writeBytes(p.getKey().getBytes(StandardCharsets.UTF_8));
                strings.write(0);
            }
            put(out, 3);
            put(out, p.getValue().length);
            put(out, off);
            out.writeBytes(p.getValue());
            pad(out);
        }
        for (Node c : n.children) {
            write(c, out, strings, offsets);
        }
        put(out, 2);
    }

    private static void put(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }

    private static void pad(ByteArrayOutputStream o) {
        while (o.size() % 4 != 0) {
            o.write(0);
        }
    }
}
