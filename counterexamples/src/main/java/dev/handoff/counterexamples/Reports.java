package dev.handoff.counterexamples;

import java.util.List;

/** CI-facing reports over several checks: markdown for step summaries, JUnit XML for dashboards. */
public final class Reports {
    private Reports() {
    }

    /**
     * One checked property of one scenario.
     *
     * @param scenario a label: {@code c630 qcom-bypass fw.mapping=translated}
     * @param property the property
     * @param verdict  HOLDS, VIOLATED or INCONCLUSIVE
     * @param file     the trace (with its explanation) when violated, else {@code null}
     */
    /**
     * @param severity the worst severity the property's violations reach ({@code fatal}, {@code hang},
     *                 {@code fault}, {@code wrong-page}), or null
     */
    public record Entry(String scenario, String property, String verdict, String severity, TraceFile file) {
    }

    public static String markdown(List<Entry> entries) {
        StringBuilder sb = new StringBuilder("## handoff\n\n| scenario | property | verdict |\n|---|---|---|\n");
        for (Entry e : entries) {
            String mark = switch (e.verdict()) {
                case "HOLDS" -> "✅";
                case "VIOLATED" -> "❌";
                default -> "❔";
            };
            sb.append("| ").append(e.scenario()).append(" | ").append(e.property()).append(" | ").append(mark).append(' ')
                    .append(e.verdict()).append(e.severity() == null ? "" : " (" + e.severity() + ")").append(" |\n");
        }
        for (Entry e : entries) {
            if (e.file() == null) {
                continue;
            }
            sb.append("\n### ").append(e.property()).append(" — ").append(e.scenario()).append("\n\n")
                    .append(e.file().explanation()).append("\n\n```mermaid\n").append(SequenceChart.mermaid(e.file().trace()))
                    .append("```\n\n<details><summary>trace (").append(e.file().trace().steps().size())
                    .append(" steps)</summary>\n\n```text\n").append(TextRenderer.render(e.file().trace(), null))
                    .append("```\n</details>\n");
        }
        return sb.toString();
    }

    /** One testcase per scenario and property; a violation is a failure whose message is the explanation. */
    public static String junit(List<Entry> entries) {
        long failures = entries.stream().filter(e -> e.verdict().equals("VIOLATED")).count();
        long skipped = entries.stream().filter(e -> e.verdict().equals("INCONCLUSIVE")).count();
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<testsuites name=\"handoff\" tests=\"").append(entries.size()).append("\" failures=\"").append(failures)
                .append("\" skipped=\"").append(skipped).append("\">\n");
        sb.append("  <testsuite name=\"handoff\" tests=\"").append(entries.size()).append("\" failures=\"").append(failures)
                .append("\" skipped=\"").append(skipped).append("\">\n");
        for (Entry e : entries) {
            sb.append("    <testcase classname=\"").append(SequenceChart.xml(e.scenario())).append("\" name=\"")
                    .append(SequenceChart.xml(e.property())).append("\"");
            if (e.verdict().equals("HOLDS")) {
                sb.append("/>\n");
                continue;
            }
            sb.append(">\n");
            if (e.verdict().equals("VIOLATED")) {
                String msg = e.file() == null ? "violated" : e.file().explanation();
                sb.append("      <failure message=\"").append(SequenceChart.xml(msg)).append("\" type=\"")
                        .append(e.severity() != null ? e.severity() : e.file() == null ? "violation" : e.file().kind()).append("\">")
                        .append(e.file() == null ? "" : SequenceChart.xml(TextRenderer.render(e.file().trace(), null)))
                        .append("</failure>\n");
            } else {
                sb.append("      <skipped message=\"inconclusive: a limit was reached first\"/>\n");
            }
            sb.append("    </testcase>\n");
        }
        sb.append("  </testsuite>\n</testsuites>\n");
        return sb.toString();
    }
}
