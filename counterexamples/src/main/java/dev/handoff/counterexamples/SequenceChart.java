package dev.handoff.counterexamples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A counterexample as a message sequence chart: one lifeline per actor plus the SMMU hardware;
 * a step that writes SMMU state is a message to the SMMU, any other step a message to itself,
 * and the failing fetch a message to the SMMU answered by its outcome. Rendered as Mermaid
 * ({@code sequenceDiagram}, which GitHub shows in markdown) or as a self-contained SVG.
 */
public final class SequenceChart {
    /** Lifelines in the order they appear left to right. */
    static final List<String> ORDER = List.of("firmware", "memory-controller", "arm-smmu", "iommu-core", "smmu",
            "display-driver", "fw-framebuffer-driver", "page-allocator", "display-engine");
    private static final Map<String, String> LABEL = Map.of("firmware", "Firmware", "memory-controller", "Memory controller",
            "arm-smmu", "arm-smmu driver", "iommu-core", "IOMMU core", "smmu", "SMMU (hardware)",
            "display-driver", "Display driver", "fw-framebuffer-driver", "efifb/simpledrm", "page-allocator", "Page allocator",
            "display-engine", "Display engine");

    /** One arrow. */
    record Message(int step, String from, String to, String text, String note, boolean reply) {
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
        return out;
    }

    static List<String> participants(List<Message> msgs) {
        List<String> used = new ArrayList<>();
        for (String p : ORDER) {
            if (msgs.stream().anyMatch(m -> m.from().equals(p) || m.to().equals(p))) {
                used.add(p);
            }
        }
        return used;
    }

    public static String mermaid(Trace t) {
        List<Message> msgs = messages(t);
        StringBuilder sb = new StringBuilder("sequenceDiagram\n");
        Map<String, String> id = new LinkedHashMap<>();
        for (String p : participants(msgs)) {
            String key = p.replace("-", "_");
            id.put(p, key);
            sb.append("    participant ").append(key).append(" as ").append(LABEL.get(p)).append('\n');
        }
        for (Message m : msgs) {
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
        List<Message> msgs = messages(t);
        List<String> parts = participants(msgs);
        int col = 170;
        int top = 60;
        int row = 34;
        int width = col * parts.size() + 40;
        int height = top + row * (msgs.size() + 1) + 20;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" font-family=\"monospace\" font-size=\"11\">\n");
        sb.append("<title>").append(xml("counterexample for " + t.property())).append("</title>\n");
        sb.append("<defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\""
                + " orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>\n");
        for (int i = 0; i < parts.size(); i++) {
            int x = 20 + col * i + col / 2;
            sb.append("<rect x=\"").append(x - 75).append("\" y=\"10\" width=\"150\" height=\"26\" fill=\"#eef\" stroke=\"#336\"/>\n");
            sb.append("<text x=\"").append(x).append("\" y=\"27\" text-anchor=\"middle\">").append(xml(LABEL.get(parts.get(i))))
                    .append("</text>\n");
            sb.append("<line x1=\"").append(x).append("\" y1=\"36\" x2=\"").append(x).append("\" y2=\"").append(height - 10)
                    .append("\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n");
        }
        int y = top;
        for (Message m : msgs) {
            int x1 = 20 + col * parts.indexOf(m.from()) + col / 2;
            int x2 = 20 + col * parts.indexOf(m.to()) + col / 2;
            String colour = m.reply() ? "#c00" : "#000";
            if (x1 == x2) {
                sb.append("<path d=\"M").append(x1).append(',').append(y).append(" h30 v10 h-30\" fill=\"none\" stroke=\"")
                        .append(colour).append("\" marker-end=\"url(#a)\"/>\n");
                sb.append("<text x=\"").append(x1 + 34).append("\" y=\"").append(y + 4).append("\">").append(xml(m.text()))
                        .append("</text>\n");
            } else {
                sb.append("<line x1=\"").append(x1).append("\" y1=\"").append(y).append("\" x2=\"").append(x2).append("\" y2=\"")
                        .append(y).append("\" stroke=\"").append(colour).append("\" marker-end=\"url(#a)\"")
                        .append(m.reply() ? " stroke-dasharray=\"5 3\"" : "").append("/>\n");
                sb.append("<text x=\"").append(Math.min(x1, x2) + 4).append("\" y=\"").append(y - 4).append("\" fill=\"")
                        .append(colour).append("\">").append(xml(m.text())).append("</text>\n");
            }
            if (m.note() != null) {
                sb.append("<text x=\"").append(x2 + 6).append("\" y=\"").append(y + 12).append("\" fill=\"#336\">")
                        .append(xml(m.note())).append("</text>\n");
            }
            y += row;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
