package dev.handoff.counterexamples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counterexamples as one message sequence chart: one lifeline per actor plus the SMMU hardware;
 * a step that writes SMMU state is a message to the SMMU, any other step a message to itself,
 * and the violating transaction a message to the SMMU answered by its outcome (a display fetch,
 * or another master's DMA for isolation). Several counterexamples share the lifelines, each under
 * a heading note. Rendered as one Mermaid {@code sequenceDiagram} (which GitHub shows in markdown)
 * or one self-contained SVG whose width fits its longest text.
 */
public final class SequenceChart {
    /** Lifelines in the order they appear left to right. */
    static final List<String> ORDER = List.of("firmware", "memory-controller", "arm-smmu", "kernel-init", "iommu-core", "smmu",
            "display-driver", "fw-framebuffer-driver", "page-allocator", "display-engine", "other-master");
    private static final Map<String, String> LABEL = Map.ofEntries(Map.entry("firmware", "Firmware"),
            Map.entry("memory-controller", "Memory controller"), Map.entry("arm-smmu", "arm-smmu driver"),
            Map.entry("kernel-init", "Kernel init"), Map.entry("iommu-core", "IOMMU core"), Map.entry("smmu", "SMMU (hardware)"),
            Map.entry("display-driver", "Display driver"), Map.entry("fw-framebuffer-driver", "efifb/simpledrm"),
            Map.entry("page-allocator", "Page allocator"), Map.entry("display-engine", "Display engine"),
            Map.entry("other-master", "Other master"));
    /** Width of one character of the SVG's 11 px monospace font, rounded up. */
    private static final double CHAR_WIDTH = 6.7;

    /** One arrow, or a heading ({@code from == null}) that opens one counterexample. */
    record Message(int step, String from, String to, String text, String note, boolean reply) {
        boolean heading() {
            return from == null;
        }
    }

    private SequenceChart() {
    }

    static List<Message> messages(Trace t) {
        List<Message> out = new ArrayList<>();
        for (Trace.Step s : t.steps()) {
            List<String> smmu = new ArrayList<>();
            for (Trace.Change c : s.changes()) {
                if (c.field().startsWith("smmu.") && !c.field().equals("smmu.sCR0")) {
                    smmu.add(c.field().substring(5) + " " + c.from() + "→" + c.to());
                }
            }
            boolean fetch = s.actor().equals("display-engine");
            String to = fetch || !smmu.isEmpty() ? "smmu" : s.actor();
            String note = smmu.isEmpty() ? null : String.join(", ", smmu.subList(0, Math.min(3, smmu.size())))
                    + (smmu.size() > 3 ? ", …" : "");
            out.add(new Message(s.index(), s.actor(), to, s.index() + " " + s.action(), note, false));
            if (fetch && t.witness() != null) {
                out.add(new Message(s.index(), "smmu", s.actor(), t.witness().outcome().toUpperCase() + ": "
                        + t.witness().path(), null, true));
            }
        }
        Trace.WitnessInfo w = t.witness();
        boolean endsInFetch = !t.steps().isEmpty() && t.steps().get(t.steps().size() - 1).actor().equals("display-engine");
        if (w != null && !endsInFetch) {
            int step = t.steps().size();
            if (w.sid() != null && w.outcome().equals("untranslated")) {
                // isolation: the violating transaction is another master's DMA after the last step
                out.add(new Message(step, "other-master", "smmu", "DMA from stream " + w.sid(), null, false));
                out.add(new Message(step, "smmu", "other-master", w.outcome().toUpperCase() + ": " + w.path(), null, true));
            } else {
                String last = t.steps().isEmpty() ? "smmu" : t.steps().get(t.steps().size() - 1).actor();
                out.add(new Message(step, last, last, w.outcome().toUpperCase() + ": " + w.path(), null, true));
            }
        }
        return out;
    }

    /** Every trace's messages, each run under a heading naming its property. */
    static List<Message> messages(List<Trace> traces) {
        List<Message> out = new ArrayList<>();
        for (Trace t : traces) {
            if (traces.size() > 1) {
                out.add(new Message(0, null, null, "counterexample for " + t.property() + " (" + t.steps().size() + " steps)",
                        null, false));
            }
            out.addAll(messages(t));
        }
        return out;
    }

    static List<String> participants(List<Message> msgs) {
        List<String> used = new ArrayList<>();
        for (String p : ORDER) {
            if (msgs.stream().anyMatch(m -> p.equals(m.from()) || p.equals(m.to()))) {
                used.add(p);
            }
        }
        for (Message m : msgs) { // an actor this chart does not know yet still gets a lifeline, at the right
            for (String p : java.util.Arrays.asList(m.from(), m.to())) {
                if (p != null && !used.contains(p)) {
                    used.add(p);
                }
            }
        }
        return used;
    }

    public static String mermaid(Trace t) {
        return mermaid(List.of(t));
    }

    /**
     * One {@code sequenceDiagram} for every trace (Mermaid's parser takes one diagram per
     * document); with no trace a diagram that says so.
     */
    public static String mermaid(List<Trace> traces) {
        List<Message> msgs = messages(traces);
        StringBuilder sb = new StringBuilder("sequenceDiagram\n");
        if (msgs.isEmpty()) {
            return sb.append("    participant handoff\n    Note over handoff: no counterexample, every checked property holds\n").toString();
        }
        Map<String, String> id = new LinkedHashMap<>();
        List<String> parts = participants(msgs);
        for (String p : parts) {
            String key = p.replace("-", "_");
            id.put(p, key);
            sb.append("    participant ").append(key).append(" as ").append(LABEL.getOrDefault(p, p)).append('\n');
        }
        String span = id.get(parts.get(0)) + (parts.size() > 1 ? "," + id.get(parts.get(parts.size() - 1)) : "");
        for (Message m : msgs) {
            if (m.heading()) {
                sb.append("    Note over ").append(span).append(": ").append(escape(m.text())).append('\n');
                continue;
            }
            sb.append("    ").append(id.get(m.from())).append(m.reply() ? "--x" : "->>").append(id.get(m.to()))
                    .append(": ").append(escape(m.text())).append('\n');
            if (m.note() != null) {
                sb.append("    Note over ").append(id.get(m.to())).append(": ").append(escape(m.note())).append('\n');
            }
        }
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace(";", ",").replace("#", "no. ").replace("<", "‹").replace(">", "›").replace("\n", " ");
    }

    public static String svg(Trace t) {
        return svg(List.of(t));
    }

    /** One SVG document for every trace, as wide as its longest text; with no trace a document that says so. */
    public static String svg(List<Trace> traces) {
        List<Message> msgs = messages(traces);
        List<String> parts = participants(msgs);
        int col = 170;
        int top = 60;
        int row = 34;
        StringBuilder body = new StringBuilder();
        int right = 20 + col * Math.max(1, parts.size()) + 20;
        int y = top;
        if (msgs.isEmpty()) {
            String text = "no counterexample, every checked property holds";
            body.append(text(20, 30, null, null, text));
            right = Math.max(right, extent(20, text));
            y = 40;
        }
        for (Message m : msgs) {
            if (m.heading()) {
                body.append("<rect x=\"10\" y=\"").append(y - 16).append("\" width=\"").append("%W%")
                        .append("\" height=\"22\" fill=\"#f4f4f4\"/>\n");
                body.append(text(20, y, "#333", "bold", m.text()));
                right = Math.max(right, extent(20, m.text()));
                y += row;
                continue;
            }
            int x1 = 20 + col * parts.indexOf(m.from()) + col / 2;
            int x2 = 20 + col * parts.indexOf(m.to()) + col / 2;
            String colour = m.reply() ? "#c00" : "#000";
            if (x1 == x2) {
                body.append("<path d=\"M").append(x1).append(',').append(y).append(" h30 v10 h-30\" fill=\"none\" stroke=\"")
                        .append(colour).append("\" marker-end=\"url(#a)\"/>\n");
                body.append(text(x1 + 34, y + 4, colour, null, m.text()));
                right = Math.max(right, extent(x1 + 34, m.text()));
            } else {
                body.append("<line x1=\"").append(x1).append("\" y1=\"").append(y).append("\" x2=\"").append(x2).append("\" y2=\"")
                        .append(y).append("\" stroke=\"").append(colour).append("\" marker-end=\"url(#a)\"")
                        .append(m.reply() ? " stroke-dasharray=\"5 3\"" : "").append("/>\n");
                body.append(text(Math.min(x1, x2) + 4, y - 4, colour, null, m.text()));
                right = Math.max(right, extent(Math.min(x1, x2) + 4, m.text()));
            }
            if (m.note() != null) {
                body.append(text(x2 + 6, y + 12, "#336", null, m.note()));
                right = Math.max(right, extent(x2 + 6, m.note()));
            }
            y += row;
        }
        int width = right + 20;
        int height = y + 20;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"monospace\" font-size=\"11\">\n");
        sb.append("<title>").append(xml(traces.isEmpty() ? "no counterexample"
                : "counterexample for " + String.join(", ", traces.stream().map(Trace::property).toList()))).append("</title>\n");
        sb.append("<defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\""
                + " orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
        for (int i = 0; i < parts.size(); i++) {
            int x = 20 + col * i + col / 2;
            sb.append("<rect x=\"").append(x - 75).append("\" y=\"10\" width=\"150\" height=\"26\" fill=\"#eef\" stroke=\"#336\"/>\n");
            sb.append(text(x, 27, null, null, LABEL.getOrDefault(parts.get(i), parts.get(i))).replace("<text ", "<text text-anchor=\"middle\" "));
            sb.append("<line x1=\"").append(x).append("\" y1=\"36\" x2=\"").append(x).append("\" y2=\"").append(height - 10)
                    .append("\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n");
        }
        sb.append(body.toString().replace("%W%", Integer.toString(width - 20)));
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String text(int x, int y, String fill, String weight, String s) {
        return "<text x=\"" + x + "\" y=\"" + y + "\"" + (fill == null ? "" : " fill=\"" + fill + "\"")
                + (weight == null ? "" : " font-weight=\"" + weight + "\"") + ">" + xml(s) + "</text>\n";
    }

    /** Where a text starting at x ends, in the 11 px monospace font. */
    static int extent(int x, String s) {
        return x + (int) Math.ceil(s.codePointCount(0, s.length()) * CHAR_WIDTH);
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
