package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.engine.Verdict;
import dev.handoff.model.smmu.FetchOutcome;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A catalogue run as data, apart from how its cells were computed: the plan (every board, and per
 * display and kernel the key of each policy × variant cell) and the cells' results by key. An
 * unsharded run, a merge of shard parts and a run served from the cache all build the same plan
 * and results, and every report is rendered from those alone: that is why a merged report is
 * byte-identical to an unsharded one.
 */
final class CatalogueData {
    private CatalogueData() {
    }

    /** A cell's outcome: its verdict and each violated property with its worst severity ("name:severity"). */
    record CellResult(Verdict verdict, List<String> violated) {
        CellResult {
            violated = List.copyOf(violated);
        }

        /**
         * A cell's result. A search that stopped at a limit (states, time, memory) or left a
         * property undecided is INCONCLUSIVE even with violations found: the violations it lists
         * and their worst severities may be fewer and milder than the whole space has.
         */
        static CellResult of(HandoffCheck.Outcome o) {
            List<String> v = new ArrayList<>();
            o.properties().stream().filter(x -> x.verdict() == Verdict.VIOLATED)
                    .forEach(x -> v.add(x.severity() == null ? x.name() : x.name() + ":" + x.severity().label()));
            boolean complete = o.stopReason() == null && o.properties().stream().noneMatch(x -> x.verdict() == Verdict.INCONCLUSIVE);
            return new CellResult(complete ? o.verdict() : Verdict.INCONCLUSIVE, v);
        }

        /** The worst severity among the violations, or null (no violation, or none with a severity). */
        FetchOutcome worst() {
            FetchOutcome w = null;
            for (String s : violated) {
                int c = s.indexOf(':');
                FetchOutcome f = c < 0 ? null : FetchOutcome.ofLabel(s.substring(c + 1));
                if (f != null && (w == null || f.rank() > w.rank())) {
                    w = f;
                }
            }
            return w;
        }

        ObjectNode json() {
            ObjectNode o = RunReport.JSON.createObjectNode();
            o.put("verdict", verdict.name());
            ArrayNode a = o.putArray("violated");
            violated.forEach(a::add);
            return o;
        }

        /** Reads {@link #json}; anything else is bad input naming {@code where}. */
        static CellResult read(JsonNode n, String where) {
            Verdict v;
            try {
                v = Verdict.valueOf(n.path("verdict").asText(""));
            } catch (IllegalArgumentException e) {
                throw new InputException(where + ": verdict \"" + n.path("verdict").asText("") + "\" is not one of HOLDS, VIOLATED, INCONCLUSIVE");
            }
            JsonNode a = n.path("violated");
            if (!a.isArray()) {
                throw new InputException(where + ": \"violated\" is not a list");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode x : a) {
                if (!x.isTextual() || x.asText().isEmpty()) {
                    throw new InputException(where + ": \"violated\" holds " + x + ", not a property name");
                }
                out.add(x.asText());
            }
            if (v != Verdict.INCONCLUSIVE && (v == Verdict.VIOLATED) == out.isEmpty()) {
                throw new InputException(where + ": verdict " + v + " with " + out.size() + " violated propert" + (out.size() == 1 ? "y" : "ies"));
            }
            return new CellResult(v, out);
        }
    }

    /** One display checked under one kernel: its variants' labels and its cells' keys, policy-major. */
    record Row(String display, String smmu, String kernel, List<String> variants, List<String> keys) {
        Row {
            variants = List.copyOf(variants);
            keys = List.copyOf(keys);
        }

        String key(int policy, int variant) {
            return keys.get(policy * variants.size() + variant);
        }
    }

    /** A board: checked (its rows) or not (why). */
    record Board(String file, String model, String reason, List<Row> rows) {
        Board {
            rows = List.copyOf(rows);
        }

        boolean checked() {
            return reason == null;
        }

        String name() {
            String f = file.replace('\\', '/');
            return f.substring(f.lastIndexOf('/') + 1);
        }
    }

    /**
     * What a run checks. {@code limits} are the search limits the run was given ("" for none):
     * not part of a cell's key (a limited cell is inconclusive and never cached), but shards of
     * one run must share them.
     */
    record Plan(List<String> policies, List<String> vary, List<String> kernels, String limits, List<Board> boards) {
        Plan(List<String> policies, List<String> vary, List<String> kernels, List<Board> boards) {
            this(policies, vary, kernels, "", boards);
        }

        Plan {
            policies = List.copyOf(policies);
            vary = List.copyOf(vary);
            kernels = List.copyOf(kernels);
            boards = List.copyOf(boards);
        }

        /** Every cell key, each once, in the order the plan first names it. */
        List<String> uniqueKeys() {
            LinkedHashSet<String> out = new LinkedHashSet<>();
            boards.forEach(b -> b.rows().forEach(r -> out.addAll(r.keys())));
            return List.copyOf(out);
        }

        int cells() {
            return boards.stream().mapToInt(b -> b.rows().stream().mapToInt(r -> r.keys().size()).sum()).sum();
        }

        ObjectNode json() {
            ObjectNode o = RunReport.JSON.createObjectNode();
            strings(o.putArray("policies"), policies);
            strings(o.putArray("vary"), vary);
            strings(o.putArray("kernels"), kernels);
            o.put("limits", limits);
            ArrayNode bs = o.putArray("boards");
            for (Board b : boards) {
                ObjectNode bo = bs.addObject();
                bo.put("file", b.file());
                bo.put("model", b.model());
                bo.put("reason", b.reason());
                ArrayNode rs = bo.putArray("rows");
                for (Row r : b.rows()) {
                    ObjectNode ro = rs.addObject();
                    ro.put("display", r.display());
                    ro.put("smmu", r.smmu());
                    ro.put("kernel", r.kernel());
                    strings(ro.putArray("variants"), r.variants());
                    strings(ro.putArray("keys"), r.keys());
                }
            }
            return o;
        }

        static Plan read(JsonNode o, String where) {
            List<Board> boards = new ArrayList<>();
            for (JsonNode b : array(o, "boards", where)) {
                List<Row> rows = new ArrayList<>();
                for (JsonNode r : array(b, "rows", where)) {
                    Row row = new Row(text(r, "display", where), text(r, "smmu", where), text(r, "kernel", where),
                            strings(r, "variants", where), strings(r, "keys", where));
                    rows.add(row);
                }
                String reason = b.path("reason").isNull() ? null : text(b, "reason", where);
                boards.add(new Board(text(b, "file", where), text(b, "model", where), reason, rows));
            }
            Plan p = new Plan(strings(o, "policies", where), strings(o, "vary", where), strings(o, "kernels", where),
                    text(o, "limits", where), boards);
            for (Board b : p.boards()) {
                for (Row r : b.rows()) {
                    if (r.keys().size() != p.policies().size() * r.variants().size()) {
                        throw new InputException(where + ": board " + b.file() + " display " + r.display() + " has " + r.keys().size()
                                + " cell keys for " + p.policies().size() + " policies x " + r.variants().size() + " variants");
                    }
                }
            }
            return p;
        }
    }

    /** A plan with every cell's result. */
    record Catalogue(Plan plan, Map<String, CellResult> results) {
        CellResult result(Row r, int policy, int variant) {
            return results.get(r.key(policy, variant));
        }

        /** Policies under which every cell of the row holds. */
        List<String> safePolicies(Row r) {
            List<String> out = new ArrayList<>();
            for (int p = 0; p < plan.policies().size(); p++) {
                boolean safe = true;
                for (int v = 0; v < r.variants().size(); v++) {
                    safe &= result(r, p, v).verdict() == Verdict.HOLDS;
                }
                if (safe) {
                    out.add(plan.policies().get(p));
                }
            }
            return out;
        }

        /** How reports name a board: its file name, or the file as given where two boards share the name. */
        String name(Board b) {
            String n = b.name();
            long same = plan.boards().stream().filter(o -> o.name().equals(n)).count();
            return same > 1 ? b.file() : n;
        }

        boolean anyInconclusive() {
            return results.values().stream().anyMatch(c -> c.verdict() == Verdict.INCONCLUSIVE);
        }

        long checked() {
            return plan.boards().stream().filter(Board::checked).count();
        }

        /** Boards not checked, by the kind of reason. */
        Map<String, Integer> skipped() {
            Map<String, Integer> out = new TreeMap<>();
            plan.boards().stream().filter(b -> !b.checked()).forEach(b -> out.merge(category(b.reason()), 1, Integer::sum));
            return out;
        }

        /**
         * Per policy: how many rows (display × kernel) reach each worst outcome over their
         * variants, worst first, only the outcomes that occur ({@link CatalogueHtml.Shade} labels).
         */
        Map<String, Map<String, Integer>> worstPerPolicy() {
            Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
            for (int p = 0; p < plan.policies().size(); p++) {
                Map<CatalogueHtml.Shade, Integer> n = new java.util.EnumMap<>(CatalogueHtml.Shade.class);
                for (Board b : plan.boards()) {
                    for (Row r : b.rows()) {
                        n.merge(CatalogueHtml.shade(this, r, p), 1, Integer::sum);
                    }
                }
                Map<String, Integer> m = new LinkedHashMap<>();
                List<CatalogueHtml.Shade> order = new ArrayList<>(n.keySet());
                java.util.Collections.reverse(order);
                order.forEach(s -> m.put(s.css, n.get(s)));
                out.put(plan.policies().get(p), m);
            }
            return out;
        }

        /** Per policy: rows (display × kernel) on which it is safe in every variant, and on which it is not. */
        Map<String, int[]> perPolicy() {
            Map<String, int[]> out = new LinkedHashMap<>();
            plan.policies().forEach(p -> out.put(p, new int[2]));
            for (Board b : plan.boards()) {
                for (Row r : b.rows()) {
                    List<String> safe = safePolicies(r);
                    plan.policies().forEach(p -> out.get(p)[safe.contains(p) ? 0 : 1]++);
                }
            }
            return out;
        }
    }

    static final String UNREADABLE = "unreadable: ";

    /** The kind of reason a board was not checked, for counting. */
    static String category(String reason) {
        if (reason.startsWith(UNREADABLE)) {
            return "unreadable";
        }
        if (reason.startsWith("no display controller")) {
            return "no display controller";
        }
        if (reason.startsWith("every display controller is disabled")) {
            return "every display disabled";
        }
        if (reason.contains("not an ARM SMMU")) {
            return "display behind a non-ARM IOMMU";
        }
        if (reason.contains("which is disabled")) {
            return "display behind a disabled SMMU";
        }
        if (reason.contains("has no usable iommus entry")) {
            return "display with unusable iommus";
        }
        if (reason.contains("has no iommus")) {
            return "display without iommus";
        }
        return "other";
    }

    private static void strings(ArrayNode a, List<String> s) {
        s.forEach(a::add);
    }

    private static JsonNode array(JsonNode o, String field, String where) {
        JsonNode a = o.path(field);
        if (!a.isArray()) {
            throw new InputException(where + ": \"" + field + "\" is missing or not a list");
        }
        return a;
    }

    private static String text(JsonNode o, String field, String where) {
        JsonNode t = o.path(field);
        if (!t.isTextual()) {
            throw new InputException(where + ": \"" + field + "\" is missing or not a string");
        }
        return t.asText();
    }

    private static List<String> strings(JsonNode o, String field, String where) {
        List<String> out = new ArrayList<>();
        for (JsonNode x : array(o, field, where)) {
            if (!x.isTextual()) {
                throw new InputException(where + ": \"" + field + "\" holds " + x + ", not a string");
            }
            out.add(x.asText());
        }
        return out;
    }
}
