package dev.handoff.counterexamples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** CI-facing reports over several checks: markdown for step summaries, JUnit XML for dashboards. */
public final class Reports {
    /**
     * GitHub refuses a step summary over 1 MiB; the markdown report stops adding charts and traces
     * well before that and says how many it left out.
     */
    public static final int MARKDOWN_BUDGET = 512 * 1024;

    private Reports() {
    }

    /**
     * One checked property of one scenario.
     *
     * @param platform the platform (or board) name
     * @param policy   the policy, or "(no policy)"
     * @param variant  the knobs shown on top of the policy ({@code fw.mapping=translated}), or ""
     * @param property the property
     * @param verdict  HOLDS, VIOLATED, INCONCLUSIVE or NOT_RUN
     * @param severity the worst severity the property's violations reach ({@code fatal}, {@code hang},
     *                 {@code fault}, {@code wrong-page}), or null
     * @param seconds  the search time of the scenario's check (shared by its properties)
     * @param note     why it is INCONCLUSIVE or NOT_RUN, or null
     * @param file     the trace (with its explanation) when violated, else {@code null}
     */
    public record Entry(String platform, String policy, String variant, String property, String verdict, String severity,
                        double seconds, String note, TraceFile file) {
        /** A label: {@code c630 qcom-bypass fw.mapping=translated}. */
        public String scenario() {
            return platform + " " + policy + (variant.isEmpty() ? "" : " " + variant);
        }
    }

    /**
     * A markdown step summary: the verdict table, then per violation its explanation, chart and
     * trace until {@code budget} characters are used; the rest are listed by name. The table is
     * followed by a blank line so that nothing after it is read as a row.
     */
    public static String markdown(List<Entry> entries, int budget) {
        StringBuilder sb = new StringBuilder("## handoff\n\n");
        sb.append(table(entries));
        sb.append('\n');
        details(sb, entries, budget);
        return sb.toString();
    }

    public static String markdown(List<Entry> entries) {
        return markdown(entries, MARKDOWN_BUDGET);
    }

    /** The verdict table, one row per scenario and property, ending in a blank line. */
    public static String table(List<Entry> entries) {
        StringBuilder sb = new StringBuilder("| scenario | property | verdict |\n|---|---|---|\n");
        for (Entry e : entries) {
            String mark = switch (e.verdict()) {
                case "HOLDS" -> "✅";
                case "VIOLATED" -> "❌";
                case "NOT_RUN" -> "➖";
                default -> "❔";
            };
            sb.append("| ").append(cell(e.scenario())).append(" | ").append(e.property()).append(" | ").append(mark).append(' ')
                    .append(e.verdict()).append(e.severity() == null ? "" : " (" + e.severity() + ")")
                    .append(e.note() == null ? "" : ": " + cell(e.note())).append(" |\n");
        }
        return sb.toString();
    }

    /** Each violation's explanation, chart and trace, within {@code budget} characters in all. */
    public static void details(StringBuilder sb, List<Entry> entries, int budget) {
        List<String> left = new ArrayList<>();
        for (Entry e : entries) {
            if (e.file() == null) {
                continue;
            }
            String block = "\n### " + e.property() + " — " + e.scenario() + "\n\n" + e.file().explanation() + "\n\n```mermaid\n"
                    + SequenceChart.mermaid(e.file().trace()) + "```\n\n<details><summary>trace ("
                    + e.file().trace().steps().size() + " steps)</summary>\n\n```text\n"
                    + TextRenderer.render(e.file().trace(), null) + "```\n</details>\n";
            if (sb.length() + block.length() > budget) {
                left.add(e.property() + " — " + e.scenario());
            } else {
                sb.append(block);
            }
        }
        if (!left.isEmpty()) {
            sb.append("\n> ").append(left.size()).append(" more counterexample").append(left.size() == 1 ? "" : "s")
                    .append(" left out to keep this report under ").append(budget / 1024)
                    .append(" KiB (GitHub's step summary takes 1 MiB); write them with --trace-out or --format json:\n");
            int shown = 0;
            for (String l : left) {
                if (sb.length() > budget + 16 * 1024) {
                    sb.append("> … and ").append(left.size() - shown).append(" more\n");
                    break;
                }
                sb.append("> - ").append(l).append('\n');
                shown++;
            }
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /**
     * JUnit XML in the dialect Jenkins, GitLab and Surefire read (the Jenkins xUnit plugin's
     * junit-10.xsd): one {@code <testsuite>} per scenario with tests, failures, errors, skipped
     * and time; one {@code <testcase>} per property whose classname is {@code PLATFORM.POLICY}
     * (consumers split it at its last dot into package and class, so no other dot is left in it)
     * and whose name is the property with the variant in brackets. A violation is a
     * {@code <failure>} (type: its severity), an inconclusive check an {@code <error>} (a limit
     * stopped it), a policy not run a {@code <skipped>}. A testcase's time is its scenario's
     * search time shared equally among its properties (they are decided by one search).
     */
    public static String junit(List<Entry> entries) {
        Map<String, List<Entry>> suites = new LinkedHashMap<>();
        for (Entry e : entries) {
            suites.computeIfAbsent(e.scenario(), k -> new ArrayList<>()).add(e);
        }
        StringBuilder body = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, List<Entry>> suite : suites.entrySet()) {
            List<Entry> cases = suite.getValue();
            double seconds = cases.get(0).seconds();
            total += seconds;
            body.append("  <testsuite name=\"").append(SequenceChart.xml(suite.getKey())).append("\" tests=\"").append(cases.size())
                    .append("\" failures=\"").append(count(cases, "VIOLATED")).append("\" errors=\"").append(count(cases, "INCONCLUSIVE"))
                    .append("\" skipped=\"").append(count(cases, "NOT_RUN")).append("\" time=\"").append(time(seconds)).append("\">\n");
            for (Entry e : cases) {
                body.append("    <testcase classname=\"").append(SequenceChart.xml(className(e))).append("\" name=\"")
                        .append(SequenceChart.xml(e.property() + (e.variant().isEmpty() ? "" : " [" + e.variant() + "]")))
                        .append("\" time=\"").append(time(seconds / cases.size())).append('"');
                switch (e.verdict()) {
                    case "HOLDS" -> body.append("/>\n");
                    case "VIOLATED" -> {
                        String msg = e.file() == null ? "violated" : e.file().explanation();
                        body.append(">\n      <failure message=\"").append(SequenceChart.xml(msg)).append("\" type=\"")
                                .append(e.severity() != null ? e.severity() : e.file() == null ? "violation" : e.file().kind())
                                .append("\">").append(e.file() == null ? "" : SequenceChart.xml(TextRenderer.render(e.file().trace(), null)))
                                .append("</failure>\n    </testcase>\n");
                    }
                    case "NOT_RUN" -> body.append(">\n      <skipped message=\"").append(SequenceChart.xml(note(e, "not run")))
                            .append("\"/>\n    </testcase>\n");
                    default -> body.append(">\n      <error type=\"inconclusive\" message=\"")
                            .append(SequenceChart.xml(note(e, "inconclusive: a limit was reached first"))).append("\"/>\n    </testcase>\n");
                }
            }
            body.append("  </testsuite>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"handoff\" tests=\"" + entries.size()
                + "\" failures=\"" + count(entries, "VIOLATED") + "\" errors=\"" + count(entries, "INCONCLUSIVE")
                + "\" time=\"" + time(total) + "\">\n" + body + "</testsuites>\n";
    }

    /** {@code PLATFORM.POLICY}, each part without dots of its own. */
    static String className(Entry e) {
        return e.platform().replace('.', '_') + "." + e.policy().replace('.', '_');
    }

    private static String note(Entry e, String otherwise) {
        return e.note() == null ? otherwise : e.note();
    }

    private static long count(List<Entry> entries, String verdict) {
        return entries.stream().filter(e -> e.verdict().equals(verdict)).count();
    }

    private static String time(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }
}
