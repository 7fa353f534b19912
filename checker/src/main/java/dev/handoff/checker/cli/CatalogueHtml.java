package dev.handoff.checker.cli;

import dev.handoff.checker.cli.CatalogueData.Board;
import dev.handoff.checker.cli.CatalogueData.Catalogue;
import dev.handoff.checker.cli.CatalogueData.CellResult;
import dev.handoff.checker.cli.CatalogueData.Row;
import dev.handoff.engine.Verdict;
import dev.handoff.model.smmu.FetchOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.handoff.checker.cli.CatalogueReport.xml;

/**
 * The catalogue as one self-contained HTML page (inline CSS, no script, no external resource):
 * a heat map of boards' displays × policies, each square coloured by the worst outcome over the
 * firmware variants (safe, or the worst severity a violation reaches: wrong page, fault, hang,
 * fatal; violated without a severity; not decided), the per-policy totals, the boards not checked
 * by reason, and each board's findings (which variants break which properties).
 */
final class CatalogueHtml {
    /** A heat-map class, mildest first: its CSS name, label and background colour (exact, so a screenshot can be checked). */
    enum Shade {
        SAFE("safe", "safe in every variant", "#1b9e4b"),
        VIOLATED("violated", "worst: violated without a fetch severity (isolation, corruption, liveness)", "#3f51b5"),
        WRONG_PAGE("wrong-page", "worst: reads the wrong page", "#f2c12e"),
        FAULT("fault", "worst: a reported fault", "#f07f1a"),
        HANG("hang", "worst: the bus hangs", "#d7301f"),
        FATAL("fatal", "worst: the machine resets", "#7a0177"),
        INCONCLUSIVE("inconclusive", "not decided (a limit was reached)", "#00838f");

        final String css;
        final String label;
        final String colour;

        Shade(String css, String label, String colour) {
            this.css = css;
            this.label = label;
            this.colour = colour;
        }

        int rgb() {
            return Integer.parseInt(colour.substring(1), 16);
        }
    }

    private CatalogueHtml() {
    }

    /** The shade of a row's policy: the worst over its variants. */
    static Shade shade(Catalogue c, Row r, int policy) {
        List<CellResult> cells = new ArrayList<>();
        for (int j = 0; j < r.variants().size(); j++) {
            cells.add(c.result(r, policy, j));
        }
        return worst(cells);
    }

    /** The worst shade of some cells (safe for none). */
    static Shade worst(List<CellResult> cells) {
        Shade s = Shade.SAFE;
        for (CellResult x : cells) {
            Shade y = shade(x);
            if (rank(y) > rank(s)) {
                s = y;
            }
        }
        return s;
    }

    static Shade shade(CellResult x) {
        if (x.verdict() == Verdict.HOLDS) {
            return Shade.SAFE;
        }
        if (x.verdict() == Verdict.INCONCLUSIVE) {
            return Shade.INCONCLUSIVE;
        }
        FetchOutcome w = x.worst();
        if (w == null) {
            return Shade.VIOLATED;
        }
        return switch (w) {
            case FATAL -> Shade.FATAL;
            case HANG -> Shade.HANG;
            case FAULT -> Shade.FAULT;
            case WRONG_PAGE -> Shade.WRONG_PAGE;
        };
    }

    /** Worse is higher: the declaration order (safe, violated without severity, wrong page, fault, hang, fatal, not decided). */
    private static int rank(Shade s) {
        return s.ordinal();
    }

    static String render(Catalogue c) {
        List<String> policies = c.plan().policies();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>handoff catalogue</title>\n<style>\n");
        h.append("body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111;background:#fff}\n");
        h.append("table{border-collapse:collapse;margin:0.5em 0 1.5em}\n");
        h.append("th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}\n");
        h.append("table.heat td.cell{width:2.2em;height:1.6em;text-align:center;font-weight:600;border:2px solid #fff}\n");
        h.append("table.heat th.policy{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:500}\n");
        h.append(".legend span{display:inline-block;width:1.2em;height:1.2em;vertical-align:middle;margin:0 0.3em 0 1em}\n");
        for (Shade s : Shade.values()) {
            // white text, dark on the one light shade
            h.append(".").append(s.css).append("{background:").append(s.colour).append(";color:")
                    .append(s == Shade.WRONG_PAGE ? "#111" : "#fff").append("}\n");
        }
        h.append("</style>\n</head>\n<body>\n<h1>handoff catalogue</h1>\n");
        h.append(String.format(Locale.ROOT, "<p>%d boards, %d checked; %d policies × the firmware variants (%s); kernel %s.</p>%n",
                c.plan().boards().size(), c.checked(), policies.size(), xml(String.join(", ", c.plan().vary())),
                xml(String.join(", ", c.plan().kernels()))));
        h.append("<p class=\"legend\">");
        for (Shade s : Shade.values()) {
            h.append("<span class=\"").append(s.css).append("\"></span>").append(xml(s.label));
        }
        h.append("</p>\n<p>Each square: the worst outcome over the variants; its text, how many of them are not safe.</p>\n");
        h.append("<table class=\"heat\" id=\"heat\">\n<thead><tr><th>board</th><th>display</th>");
        for (String p : policies) {
            h.append("<th class=\"policy\">").append(xml(p)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        List<Board> boards = c.plan().boards();
        for (int bi = 0; bi < boards.size(); bi++) {
            Board b = boards.get(bi);
            for (Row r : b.rows()) {
                h.append("<tr><td><a href=\"#b").append(bi).append("\">").append(xml(c.name(b))).append("</a></td><td>")
                        .append(xml(CatalogueReport.rowName(c, r))).append("</td>");
                for (int p = 0; p < policies.size(); p++) {
                    Shade s = shade(c, r, p);
                    int bad = 0;
                    for (int j = 0; j < r.variants().size(); j++) {
                        bad += c.result(r, p, j).verdict() == Verdict.HOLDS ? 0 : 1;
                    }
                    h.append("<td class=\"cell ").append(s.css).append("\" title=\"").append(xml(policies.get(p) + ": " + s.label))
                            .append("\">").append(bad == 0 ? "" : bad + "/" + r.variants().size()).append("</td>");
                }
                h.append("</tr>\n");
            }
        }
        h.append("</tbody>\n</table>\n<h2>Per policy</h2>\n<table id=\"policies\">\n<tr><th>policy</th><th>safe on</th><th>unsafe on</th></tr>\n");
        c.perPolicy().forEach((p, n) -> h.append("<tr><td>").append(xml(p)).append("</td><td>").append(n[0]).append("</td><td>").append(n[1])
                .append("</td></tr>\n"));
        h.append("</table>\n<h2>Not checked</h2>\n");
        if (c.skipped().isEmpty()) {
            h.append("<p>Every board was checked.</p>\n");
        } else {
            h.append("<table id=\"skipped\">\n<tr><th>because</th><th>boards</th></tr>\n");
            c.skipped().forEach((r, n) -> h.append("<tr><td>").append(xml(r)).append("</td><td>").append(n).append("</td></tr>\n"));
            h.append("</table>\n");
        }
        h.append("<details><summary>each board not checked, with its reason</summary>\n<ul>\n");
        for (Board b : c.plan().boards()) {
            if (!b.checked()) {
                h.append("<li>").append(xml(c.name(b))).append(": ").append(xml(b.reason())).append("</li>\n");
            }
        }
        h.append("</ul>\n</details>\n<h2>Findings per board</h2>\n");
        for (int bi = 0; bi < boards.size(); bi++) {
            Board b = boards.get(bi);
            if (!b.checked()) {
                continue;
            }
            h.append("<details id=\"b").append(bi).append("\"><summary>").append(xml(c.name(b))).append(" (").append(xml(b.model()))
                    .append(")</summary>\n");
            for (Row r : b.rows()) {
                List<String> safe = c.safePolicies(r);
                h.append("<h3>").append(xml(CatalogueReport.rowName(c, r))).append(" behind ").append(xml(r.smmu())).append("</h3>\n<p>safe: ")
                        .append(safe.isEmpty() ? "none" : xml(String.join(", ", safe))).append("</p>\n<table>\n<tr><th>policy</th><th>variant</th><th>violated</th></tr>\n");
                for (int p = 0; p < policies.size(); p++) {
                    List<String> lines = new ArrayList<>();
                    for (int j = 0; j < r.variants().size(); j++) {
                        CellResult x = c.result(r, p, j);
                        if (x.verdict() != Verdict.HOLDS) {
                            lines.add("<tr><td>" + xml(policies.get(p)) + "</td><td>" + xml(r.variants().get(j)) + "</td><td class=\"" + shade(x).css
                                    + "\">" + (x.verdict() == Verdict.INCONCLUSIVE ? "not decided" : xml(String.join(", ", x.violated())))
                                    + "</td></tr>\n");
                        }
                    }
                    lines.forEach(h::append);
                }
                h.append("</table>\n");
            }
            h.append("</details>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }
}
