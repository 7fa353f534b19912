package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.engine.Verdict;
import dev.handoff.counterexamples.Reports;
import dev.handoff.counterexamples.TextRenderer;
import dev.handoff.counterexamples.TraceFile;
import dev.handoff.counterexamples.TraceJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Text and JSON renderings of handoff checks and sweeps. */
final class HandoffReports {
    private HandoffReports() {
    }

    /** The version of the check document; a sweep and a board embed check objects of this version. */
    static final String CHECK_SCHEMA = "handoff.check/2";

    /** The {@code handoff.check/2} object. */
    static ObjectNode checkJson(HandoffCheck.Outcome o) {
        ObjectNode root = RunReport.JSON.createObjectNode();
        root.put("schema", CHECK_SCHEMA);
        root.set("scenario", TraceJson.scenario(o.scenario()));
        root.put("verdict", o.verdict().name());
        if (o.stopReason() != null) {
            root.put("stopReason", o.stopReason());
        } else {
            root.putNull("stopReason");
        }
        ArrayNode props = root.putArray("properties");
        for (HandoffCheck.PropertyOutcome p : o.properties()) {
            ObjectNode n = props.addObject();
            n.put("name", p.name());
            n.put("verdict", p.verdict().name());
            if (p.severity() == null) {
                n.putNull("severity");
            } else {
                n.put("severity", p.severity().label());
            }
            if (p.trace() == null) {
                n.putNull("trace");
            } else {
                n.set("trace", traceJson(p.file()));
            }
            ArrayNode more = n.putArray("moreTraces");
            if (p.files().size() > 1) {
                p.files().subList(1, p.files().size()).forEach(f -> more.add(traceJson(f)));
            }
        }
        ObjectNode st = root.putObject("stats");
        st.put("distinctStates", o.stats().distinctStates());
        st.put("transitions", o.stats().transitions());
        st.put("depth", o.stats().maxDepth());
        st.put("seconds", o.stats().seconds());
        st.put("collisionProbability", o.stats().collisionProbability());
        ObjectNode pr = st.putObject("pruning");
        pr.put("enabled", o.pruning().enabled());
        pr.put("fetchEvaluations", o.pruning().fetchEvaluations());
        pr.put("naiveBranchesSaved", o.pruning().naiveBranches() - o.pruning().fetchEvaluations());
        if (o.pruning().statesSaved() < 0) {
            pr.putNull("statesSaved");
            pr.put("statesSavedNote", o.pruning().statesSavedNote());
        } else {
            pr.put("statesSaved", o.pruning().statesSaved());
            pr.putNull("statesSavedNote");
        }
        pr.put("constraintQueries", o.pruning().constraintQueries());
        pr.put("constraintSolves", o.pruning().constraintSolves());
        ObjectNode red = st.putObject("reduction");
        red.put("mode", o.reduced().reduction());
        if (o.reduced().unreducedStates() < 0) {
            red.putNull("unreducedStates");
        } else {
            red.put("unreducedStates", o.reduced().unreducedStates());
        }
        ArrayNode cls = red.putArray("classes");
        o.reduced().classes().forEach(c -> {
            ArrayNode a = cls.addArray();
            c.forEach(a::add);
        });
        return root;
    }

    /**
     * A sweep: what was varied and checked, then a check object per cell, each with the variant
     * (the varied knobs' values) it was checked under.
     */
    static ObjectNode sweepJson(String schema, SweepRunner.Result result, List<String> vary, List<String> properties) {
        ObjectNode root = RunReport.JSON.createObjectNode();
        root.put("schema", schema);
        root.put("platform", result.all().get(0).scenario().platform().name());
        ArrayNode pol = root.putArray("policies");
        result.policies().forEach(pol::add);
        ArrayNode v = root.putArray("vary");
        vary.forEach(v::add);
        ArrayNode props = root.putArray("properties");
        properties.forEach(props::add);
        ArrayNode results = root.putArray("results");
        for (int i = 0; i < result.all().size(); i++) {
            ObjectNode c = checkJson(result.all().get(i));
            ObjectNode variant = RunReport.JSON.createObjectNode();
            result.shown().get(i).forEach(variant::put);
            c.set("variant", variant);
            results.add(c);
        }
        return root;
    }

    /** A counterexample inside a check object: the trace file's fields, without its scenario. */
    static ObjectNode traceJson(TraceFile f) {
        ObjectNode o = RunReport.JSON.createObjectNode();
        o.put("property", f.trace().property());
        o.put("kind", f.kind());
        o.set("steps", TraceJson.steps(f.trace().steps()));
        o.set("witness", TraceJson.witness(f.trace().witness()));
        o.put("explanation", f.explanation());
        o.put("rootCause", f.rootCause());
        o.set("original", TraceJson.steps(f.original()));
        return o;
    }

    static void checkText(PrintWriter out, HandoffCheck.Outcome o, boolean traces) {
        out.println("scenario: platform " + o.scenario().platform().name()
                + (o.scenario().policy() == null ? "" : ", policy " + o.scenario().policy()));
        int width = 26;
        for (HandoffCheck.PropertyOutcome p : o.properties()) {
            String note = p.trace() == null ? "" : "(" + p.trace().steps().size() + " steps"
                    + (p.trace().witness() != null ? ", " + p.trace().witness().outcome() : "") + ")";
            String verdict = p.verdict() + (p.severity() == null ? "" : " " + p.severity().label());
            out.printf(Locale.ROOT, "  %-" + width + "s %-18s %s%n", p.name(), verdict, note);
        }
        out.println("verdict: " + o.verdict() + (o.stopReason() == null ? "" : " (" + o.stopReason() + ")"));
        out.printf(Locale.ROOT, "states: %,d distinct, %,d transitions, depth %d, %.2f s%n",
                o.stats().distinctStates(), o.stats().transitions(), o.stats().maxDepth(), o.stats().seconds());
        if (!o.reduced().reduction().equals("none")) {
            out.println("reduction: " + reductionSummary(List.of(o)));
        }
        if (o.stats().collisionProbability() > 0) {
            out.printf(Locale.ROOT, "fingerprints: estimated probability that a collision hid a state %.1e (--store exact for none)%n",
                    o.stats().collisionProbability());
        }
        if (o.pruning().enabled()) {
            out.printf(Locale.ROOT, "pruning: %,d fetches decided by constraints instead of %,d (stream ID, page) branches;"
                            + " %s; %,d constraint queries, %,d solved, the rest cached%n",
                    o.pruning().fetchEvaluations(), o.pruning().naiveBranches(),
                    o.pruning().statesSaved() < 0 ? "states saved " + o.pruning().statesSavedNote()
                            : String.format(Locale.ROOT, "%,d fewer states", o.pruning().statesSaved()),
                    o.pruning().constraintQueries(), o.pruning().constraintSolves());
        }
        if (traces) {
            for (HandoffCheck.PropertyOutcome p : o.properties()) {
                for (int i = 0; i < p.files().size(); i++) {
                    out.println();
                    if (p.files().size() > 1) {
                        out.println("(" + (i + 1) + " of " + p.files().size() + ", root cause: " + p.files().get(i).rootCause() + ")");
                    }
                    out.print(TextRenderer.render(p.files().get(i).trace(), p.files().get(i).explanation()));
                }
            }
        }
        out.flush();
    }

    /**
     * Short label of a check's result for a matrix cell: "ok" or the violated properties, a fetch
     * property with its worst severity where that is not implied by its name
     * ({@code no-dma-fault:fatal}).
     */
    static String cell(HandoffCheck.Outcome o) {
        StringBuilder sb = new StringBuilder();
        for (HandoffCheck.PropertyOutcome p : o.properties()) {
            if (p.verdict() == Verdict.VIOLATED) {
                sb.append(sb.length() == 0 ? "" : " ").append(p.name());
                if (p.severity() != null && dev.handoff.properties.HandoffProperties.severities(p.name()).size() > 1) {
                    sb.append(':').append(p.severity().label());
                }
            }
        }
        if (sb.length() > 0) {
            return sb.toString();
        }
        return o.verdict() == Verdict.INCONCLUSIVE ? "inconclusive" : "ok";
    }

    static void sweepText(PrintWriter out, List<String> policies, List<String> variants,
                          Map<String, Map<String, HandoffCheck.Outcome>> grid, boolean markdown) {
        int w0 = 10;
        for (String p : policies) {
            w0 = Math.max(w0, p.length());
        }
        int[] w = new int[variants.size()];
        for (int j = 0; j < variants.size(); j++) {
            w[j] = variants.get(j).length();
            for (String p : policies) {
                w[j] = Math.max(w[j], cell(grid.get(p).get(variants.get(j))).length());
            }
        }
        if (markdown) {
            out.print("| policy |");
            for (String v : variants) {
                out.print(" " + v + " |");
            }
            out.println();
            out.print("|---|");
            variants.forEach(v -> out.print("---|"));
            out.println();
            for (String p : policies) {
                out.print("| " + p + " |");
                for (String v : variants) {
                    HandoffCheck.Outcome o = grid.get(p).get(v);
                    String c = cell(o);
                    out.print(" " + (c.equals("ok") ? "✅ ok" : o.verdict() == Verdict.INCONCLUSIVE ? "❔ " + c : "❌ " + c) + " |");
                }
                out.println();
            }
        } else {
            out.printf(Locale.ROOT, "%-" + w0 + "s", "policy");
            for (int j = 0; j < variants.size(); j++) {
                out.printf(Locale.ROOT, "  %-" + w[j] + "s", variants.get(j));
            }
            out.println();
            for (String p : policies) {
                out.printf(Locale.ROOT, "%-" + w0 + "s", p);
                for (int j = 0; j < variants.size(); j++) {
                    out.printf(Locale.ROOT, "  %-" + w[j] + "s", cell(grid.get(p).get(variants.get(j))));
                }
                out.println();
            }
        }
        out.flush();
    }

    /** Entries for the markdown and JUnit reports. */
    static List<Reports.Entry> entries(List<HandoffCheck.Outcome> outcomes, List<Map<String, String>> shown) {
        List<Reports.Entry> out = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            HandoffCheck.Outcome o = outcomes.get(i);
            for (HandoffCheck.PropertyOutcome p : o.properties()) {
                StringBuilder variant = new StringBuilder();
                shown.get(i).forEach((k, v) -> variant.append(variant.isEmpty() ? "" : " ").append(k).append('=').append(v));
                out.add(new Reports.Entry(o.scenario().platform().name(),
                        o.scenario().policy() == null ? "(no policy)" : o.scenario().policy(), variant.toString(), p.name(),
                        p.verdict().name(), p.severity() == null ? null : p.severity().label(), o.stats().seconds(),
                        p.verdict() == Verdict.INCONCLUSIVE ? "inconclusive: " + (o.stopReason() == null ? "a limit was reached first" : o.stopReason()) : null,
                        p.file()));
            }
        }
        return out;
    }

    /**
     * Writes one trace file per violated property: {@code base} with {@code .<label>.<property>.json}
     * in place of its extension. Returns the paths written.
     */
    static List<Path> writeTraces(Path base, String label, HandoffCheck.Outcome o) {
        List<Path> written = new ArrayList<>();
        String name = base.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        for (HandoffCheck.PropertyOutcome p : o.properties()) {
            for (int i = 0; i < p.files().size(); i++) {
                String file = stem + (label.isEmpty() ? "" : "." + label) + "." + p.name() + (i == 0 ? "" : "." + (i + 1)) + ".json";
                Path path = base.resolveSibling(file);
                ReportFiles.trace(p.files().get(i), path);
                written.add(path);
            }
        }
        return written;
    }

    /**
     * One line on what a reduction did over {@code outcomes} (one check, or every cell of a
     * matrix): the classes it found, the states, and with a cross-check the unreduced count; or
     * why it found nothing to reduce.
     */
    static String reductionSummary(List<HandoffCheck.Outcome> outcomes) {
        HandoffCheck.Outcome first = outcomes.get(0);
        String mode = first.reduced().reduction();
        long states = outcomes.stream().mapToLong(o -> o.stats().distinctStates()).sum();
        int classes = outcomes.stream().mapToInt(o -> o.reduced().classes().size()).max().orElse(0);
        boolean symmetry = mode.contains("symmetry");
        if (mode.equals("symmetry") && classes == 0) {
            return mode + " found no interchangeable clients, nothing was reduced (symmetry needs"
                    + " kernel.probe-order=any and other masters alike but for their stream IDs)";
        }
        List<String> how = new java.util.ArrayList<>();
        if (mode.contains("por")) {
            how.add("by stubborn sets from each action's footprint");
        }
        if (symmetry && classes == 0) {
            how.add("with no interchangeable clients (symmetry needs kernel.probe-order=any and other masters alike but for their stream IDs)");
        } else if (symmetry) {
            how.add(String.format(Locale.ROOT, "over %d class(es) of interchangeable clients (%s)", classes,
                    first.reduced().classes().stream().map(c -> String.join(" ", c)).collect(java.util.stream.Collectors.joining("; "))));
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %s, %,d states", mode,
                String.join(" and ", how), states));
        if (outcomes.stream().allMatch(o -> o.reduced().unreducedStates() >= 0)) {
            long full = outcomes.stream().mapToLong(o -> o.reduced().unreducedStates()).sum();
            sb.append(String.format(Locale.ROOT, "; unreduced %,d states (%.1fx), same verdicts (cross-checked)", full,
                    (double) full / Math.max(1, states)));
        }
        return sb.toString();
    }
}
