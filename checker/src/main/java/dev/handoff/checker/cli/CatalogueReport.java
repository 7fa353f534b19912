package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.handoff.checker.cli.CatalogueData.Board;
import dev.handoff.checker.cli.CatalogueData.Catalogue;
import dev.handoff.checker.cli.CatalogueData.CellResult;
import dev.handoff.checker.cli.CatalogueData.Row;
import dev.handoff.engine.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A catalogue's reports, each a pure function of the plan and the results (no times, no paths
 * but the inputs' own): text, JSON (handoff.catalogue/1), markdown, JUnit and HTML
 * ({@link CatalogueHtml}).
 */
final class CatalogueReport {
    static final String SCHEMA = "handoff.catalogue/1";
    static final List<String> FORMATS = List.of("text", "json", "markdown", "junit", "html");

    private CatalogueReport() {
    }

    static String render(Catalogue c, String format) {
        return switch (format) {
            case "json" -> json(c);
            case "markdown" -> markdown(c);
            case "junit" -> junit(c);
            case "html" -> CatalogueHtml.render(c);
            default -> text(c);
        };
    }

    /** "display" or "display @ kernel" when the run names several kernels. */
    static String rowName(Catalogue c, Row r) {
        return c.plan().kernels().size() > 1 ? r.display() + " @ " + r.kernel() : r.display();
    }

    static String text(Catalogue c) {
        StringBuilder s = new StringBuilder();
        for (Board b : c.plan().boards()) {
            if (!b.checked()) {
                s.append(String.format(Locale.ROOT, "%s: not checked: %s%n", c.name(b), b.reason()));
                continue;
            }
            for (Row r : b.rows()) {
                List<String> safe = c.safePolicies(r);
                s.append(String.format(Locale.ROOT, "%s: %s: safe: %s%n", c.name(b), rowName(c, r), safe.isEmpty() ? "none" : String.join(", ", safe)));
            }
        }
        List<String> skipped = new ArrayList<>();
        c.skipped().forEach((r, n) -> skipped.add(n + " " + r));
        s.append(String.format(Locale.ROOT, "boards: %d, checked: %d, not checked: %s%n", c.plan().boards().size(), c.checked(),
                skipped.isEmpty() ? "none" : String.join(", ", skipped)));
        int width = c.plan().policies().stream().mapToInt(String::length).max().orElse(0);
        Map<String, Map<String, Integer>> worst = c.worstPerPolicy();
        c.perPolicy().forEach((p, n) -> s.append(String.format(Locale.ROOT, "  %-" + width + "s  safe on %d display(s), unsafe on %d%s%n", p, n[0], n[1],
                n[1] == 0 ? "" : " (worst: " + worstText(worst.get(p)) + ")")));
        return s.toString();
    }

    static String markdown(Catalogue c) {
        StringBuilder s = new StringBuilder("# handoff catalogue\n\n");
        s.append(String.format(Locale.ROOT, "%d boards, %d checked (kernel %s).%n%n", c.plan().boards().size(), c.checked(),
                String.join(", ", c.plan().kernels())));
        s.append("| policy | safe on | unsafe on | worst outcome on each display |\n|---|---|---|---|\n");
        Map<String, Map<String, Integer>> worst = c.worstPerPolicy();
        c.perPolicy().forEach((p, n) -> s.append("| ").append(p).append(" | ").append(n[0]).append(" | ").append(n[1]).append(" | ")
                .append(worstText(worst.get(p))).append(" |\n"));
        if (!c.skipped().isEmpty()) {
            s.append("\n| not checked because | boards |\n|---|---|\n");
            c.skipped().forEach((r, n) -> s.append("| ").append(r).append(" | ").append(n).append(" |\n"));
        }
        s.append("\n| board | display | safe policies |\n|---|---|---|\n");
        for (Board b : c.plan().boards()) {
            for (Row r : b.rows()) {
                List<String> safe = c.safePolicies(r);
                s.append("| ").append(c.name(b)).append(" | `").append(r.display()).append('`')
                        .append(c.plan().kernels().size() > 1 ? " @ " + r.kernel() : "").append(" | ")
                        .append(safe.isEmpty() ? "none" : String.join(", ", safe)).append(" |\n");
            }
        }
        return s.toString();
    }

    static String json(Catalogue c) {
        ObjectNode root = RunReport.JSON.createObjectNode();
        root.put("schema", SCHEMA);
        ArrayNode pol = root.putArray("policies");
        c.plan().policies().forEach(pol::add);
        ArrayNode v = root.putArray("vary");
        c.plan().vary().forEach(v::add);
        ArrayNode k = root.putArray("kernels");
        c.plan().kernels().forEach(k::add);
        ArrayNode bs = root.putArray("boards");
        for (Board b : c.plan().boards()) {
            ObjectNode o = bs.addObject();
            o.put("file", b.file());
            o.put("model", b.model());
            o.put("checked", b.checked());
            o.put("reason", b.reason());
            o.put("reasonKind", b.checked() ? null : CatalogueData.category(b.reason()));
            ArrayNode ds = o.putArray("displays");
            for (Row r : b.rows()) {
                ObjectNode d = ds.addObject();
                d.put("display", r.display());
                d.put("smmu", r.smmu());
                d.put("kernel", r.kernel());
                ArrayNode safe = d.putArray("safePolicies");
                c.safePolicies(r).forEach(safe::add);
                ArrayNode cells = d.putArray("cells");
                for (int p = 0; p < c.plan().policies().size(); p++) {
                    for (int j = 0; j < r.variants().size(); j++) {
                        CellResult x = c.result(r, p, j);
                        ObjectNode cell = cells.addObject();
                        cell.put("policy", c.plan().policies().get(p));
                        cell.put("variant", r.variants().get(j));
                        cell.put("verdict", x.verdict().name());
                        ArrayNode violated = cell.putArray("violated");
                        x.violated().forEach(violated::add);
                    }
                }
            }
        }
        ObjectNode sum = root.putObject("summary");
        sum.put("boards", c.plan().boards().size());
        sum.put("checked", c.checked());
        ObjectNode sk = sum.putObject("notChecked");
        c.skipped().forEach(sk::put);
        ObjectNode pp = sum.putObject("perPolicy");
        Map<String, Map<String, Integer>> worst = c.worstPerPolicy();
        c.perPolicy().forEach((p, n) -> {
            ObjectNode o = pp.putObject(p).put("safe", n[0]).put("unsafe", n[1]);
            ObjectNode w = o.putObject("worst");
            worst.get(p).forEach(w::put);
        });
        try {
            return RunReport.JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * JUnit XML: a test suite per board, a test case per board × policy (it fails when the policy
     * is unsafe on one of the board's displays in some variant, with each violating cell in the
     * failure's text; an inconclusive cell is an error); a board not checked is one skipped case
     * whose message is the reason.
     */
    static String junit(Catalogue c) {
        StringBuilder body = new StringBuilder();
        int tests = 0;
        int failures = 0;
        int errors = 0;
        for (Board b : c.plan().boards()) {
            StringBuilder suite = new StringBuilder();
            int t = 0;
            int f = 0;
            int e = 0;
            int s = 0;
            String cls = "catalogue." + c.name(b).replaceAll("\\.dtb$", "");
            if (!b.checked()) {
                t = 1;
                s = 1;
                suite.append("    <testcase classname=\"").append(xml(cls)).append("\" name=\"not checked\">\n")
                        .append("      <skipped message=\"").append(xml(b.reason())).append("\"/>\n    </testcase>\n");
            }
            for (int p = 0; b.checked() && p < c.plan().policies().size(); p++) {
                t++;
                List<String> bad = new ArrayList<>();
                boolean inconclusive = false;
                for (Row r : b.rows()) {
                    for (int j = 0; j < r.variants().size(); j++) {
                        CellResult x = c.result(r, p, j);
                        if (x.verdict() != Verdict.HOLDS) {
                            inconclusive |= x.verdict() == Verdict.INCONCLUSIVE;
                            bad.add(rowName(c, r) + " " + r.variants().get(j) + ": " + (x.verdict() == Verdict.INCONCLUSIVE
                                    ? "inconclusive" : String.join(", ", x.violated())));
                        }
                    }
                }
                suite.append("    <testcase classname=\"").append(xml(cls)).append("\" name=\"").append(xml(c.plan().policies().get(p))).append('"');
                if (bad.isEmpty()) {
                    suite.append("/>\n");
                    continue;
                }
                String tag = inconclusive ? "error" : "failure";
                if (inconclusive) {
                    e++;
                } else {
                    f++;
                }
                suite.append(">\n      <").append(tag).append(" type=\"").append(inconclusive ? "inconclusive" : "unsafe").append("\" message=\"")
                        .append(xml(bad.size() + " cell(s) " + (inconclusive ? "not decided or unsafe" : "unsafe") + ": " + bad.get(0)))
                        .append("\">").append(xml(String.join("\n", bad))).append("</").append(tag).append(">\n    </testcase>\n");
            }
            body.append("  <testsuite name=\"").append(xml(c.name(b))).append("\" tests=\"").append(t).append("\" failures=\"").append(f)
                    .append("\" errors=\"").append(e).append("\" skipped=\"").append(s).append("\">\n").append(suite).append("  </testsuite>\n");
            tests += t;
            failures += f;
            errors += e;
        }
        // junit-10.xsd (Jenkins' dialect, what GitLab and Surefire read) has no skipped count on <testsuites>
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"handoff catalogue\" tests=\"" + tests + "\" failures=\""
                + failures + "\" errors=\"" + errors + "\">\n" + body + "</testsuites>\n";
    }

    /** "fatal 4, wrong-page 3": each worst outcome and on how many displays, worst first. */
    static String worstText(Map<String, Integer> worst) {
        List<String> parts = new ArrayList<>();
        worst.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }

    /** XML/HTML text and attribute escaping; characters XML 1.0 forbids become U+FFFD. */
    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r' ? '\uFFFD' : ch);
            }
        }
        return b.toString();
    }
}
