package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.counterexamples.Interleavings;
import dev.handoff.counterexamples.TraceFile;
import dev.handoff.counterexamples.TraceJson;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.scenario.Scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@code handoff explore} serves, without HTTP: the session (board, matrices), each cell's
 * check, and runs built from chosen steps. Every answer is a JSON document; a request the session
 * cannot answer is a {@link RequestException} naming the field. The static export writes these
 * same documents.
 */
final class ExplorerSession {
    static final String SCHEMA = "handoff.explore/1";

    /** A request that names something wrong: HTTP {@code status}, one line. */
    static final class RequestException extends RuntimeException {
        final int status;

        RequestException(int status, String message) {
            super(oneLine(message));
            this.status = status;
        }

        /** The message as one line of at most 500 characters: control characters from the request are escaped. */
        private static String oneLine(String m) {
            StringBuilder sb = new StringBuilder();
            m.codePoints().forEach(c -> {
                if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                    sb.append(String.format("\\u%04x", c));
                } else {
                    sb.appendCodePoint(c);
                }
            });
            return sb.length() <= 500 ? sb.toString() : sb.substring(0, 497) + "...";
        }
    }

    /** One (policy, variant) cell of a matrix, or the scenario of a loaded trace. */
    record Cell(String id, String policy, String variant, Scenario scenario, boolean pruning, HandoffCheck.Outcome outcome) {
    }

    /** A policy × variant matrix; {@code display} is the board's display path, or null. */
    record Matrix(String display, String platform, List<String> policies, List<String> variants, List<Cell> cells) {
    }

    /** A trace the session opens with ({@code --trace}): its cell and the file as the model replays it. */
    record Opened(String cell, TraceFile file) {
    }

    private final String kind;
    private final String source;
    private final ObjectNode board;
    private final String noMatrix;
    private final List<Matrix> matrices;
    private final List<Opened> opened;
    private final List<String> properties;
    private final Map<String, Cell> cells = new LinkedHashMap<>();
    private final Map<String, HandoffModel> models = new ConcurrentHashMap<>();

    ExplorerSession(String kind, String source, ObjectNode board, String noMatrix, List<Matrix> matrices, List<Opened> opened,
                    List<Cell> extra, List<String> properties) {
        this.kind = kind;
        this.source = source;
        this.board = board;
        this.noMatrix = noMatrix;
        this.matrices = List.copyOf(matrices);
        this.opened = List.copyOf(opened);
        this.properties = List.copyOf(properties);
        matrices.forEach(m -> m.cells().forEach(c -> cells.put(c.id(), c)));
        extra.forEach(c -> cells.put(c.id(), c));
    }

    /** {@code GET /api/session}: what was loaded, the board's facts and every matrix with its cells' verdicts. */
    ObjectNode session() {
        ObjectNode root = RunReport.JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("kind", kind);
        root.put("source", source);
        ArrayNode props = root.putArray("properties");
        properties.forEach(props::add);
        if (board == null) {
            root.putNull("board");
        } else {
            root.set("board", board);
        }
        if (noMatrix == null) {
            root.putNull("noMatrix");
        } else {
            root.put("noMatrix", noMatrix);
        }
        ArrayNode ms = root.putArray("matrices");
        for (Matrix m : matrices) {
            ObjectNode o = ms.addObject();
            if (m.display() == null) {
                o.putNull("display");
            } else {
                o.put("display", m.display());
            }
            o.put("platform", m.platform());
            ArrayNode p = o.putArray("policies");
            m.policies().forEach(p::add);
            ArrayNode v = o.putArray("variants");
            m.variants().forEach(v::add);
            ArrayNode cs = o.putArray("cells");
            for (Cell c : m.cells()) {
                ObjectNode co = cs.addObject();
                co.put("id", c.id());
                co.put("policy", c.policy());
                co.put("variant", c.variant());
                co.put("verdict", c.outcome().verdict().name());
                dev.handoff.model.smmu.FetchOutcome worst = c.outcome().properties().stream().map(x -> x.severity())
                        .filter(java.util.Objects::nonNull).max(java.util.Comparator.comparingInt(dev.handoff.model.smmu.FetchOutcome::rank)).orElse(null);
                if (worst == null) {
                    co.putNull("severity");
                } else {
                    co.put("severity", worst.label());
                }
                ArrayNode viol = co.putArray("violated");
                c.outcome().properties().stream().filter(x -> x.verdict() == dev.handoff.engine.Verdict.VIOLATED)
                        .forEach(x -> viol.add(x.name()));
            }
        }
        ArrayNode tr = root.putArray("opened");
        for (Opened o : opened) {
            ObjectNode t = tr.addObject().put("cell", o.cell()).put("property", o.file().trace().property());
            ArrayNode steps = t.putArray("steps");
            o.file().trace().steps().forEach(x -> steps.addObject().put("actor", x.actor()).put("action", x.action()));
        }
        return root;
    }

    /** {@code GET /api/cell?id=ID}: the cell's check as {@code handoff check --format json} prints it. */
    ObjectNode cell(String id) {
        Cell c = find(id);
        if (c.outcome() == null) {
            ObjectNode root = RunReport.JSON.createObjectNode();
            root.put("schema", HandoffReports.CHECK_SCHEMA);
            root.set("scenario", TraceJson.scenario(c.scenario()));
            root.putNull("verdict");
            root.putArray("properties");
            return root;
        }
        return HandoffReports.checkJson(c.outcome());
    }

    /**
     * {@code POST /api/path}: the run of {@code steps} ({actor, action} each) in cell {@code cell}:
     * its trace file (for {@code property}, default the first violated), the actions enabled at its
     * end, the properties its last state violates and whether it is over.
     */
    ObjectNode path(JsonNode request) {
        Interleavings.Run run = run(request);
        ObjectNode root = RunReport.JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.set("trace", TraceJson.toJson(run.file()));
        ArrayNode en = root.putArray("enabled");
        for (Interleavings.Enabled e : run.enabled()) {
            en.addObject().put("actor", e.actor()).put("action", e.action()).put("function", e.function());
        }
        ArrayNode v = root.putArray("violated");
        run.violated().forEach(v::add);
        root.put("terminal", run.terminal());
        return root;
    }

    /**
     * {@code POST /api/resolve}: where stream {@code sid} at {@code iova} goes after step
     * {@code at} of the run of {@code steps} in cell {@code cell}.
     */
    ObjectNode resolve(JsonNode request) {
        Interleavings.Run run = run(request);
        int last = run.states().size() - 1;
        JsonNode atNode = request.path("at");
        if (!atNode.isMissingNode() && !atNode.isNull() && !atNode.isInt()) {
            throw new RequestException(400, "at: " + atNode + " is not a step number (0 to " + last + ")");
        }
        int at = atNode.isInt() ? atNode.asInt() : last;
        if (at < 0 || at > last) {
            throw new RequestException(400, "at: step " + at + " is not in this run (0 to " + last + ")");
        }
        // stream IDs as the model matches them: 15 bits on SMMUv2 without EXIDS (SMR.ID is bits 14:0,
        // Registers.smrMatches), 16 on v3 as modelled (StreamEntry.matches)
        boolean v3 = run.model().config().v3();
        long sid = number(request, "sid", v3 ? 0xffffL : 0x7fffL, v3 ? "16-bit stream IDs as modelled for SMMUv3"
                : "15-bit stream IDs: SMR.ID without EXIDS");
        long iova = number(request, "iova", 0xffff_ffff_ffffL, "a 48-bit IOVA");
        dev.handoff.model.handoff.HandoffConfig config = run.model().config();
        List<dev.handoff.model.handoff.Client> owners = config.clients().stream().filter(c -> c.owns((int) sid)).toList();
        boolean display = !owners.isEmpty() && owners.get(0).index() == 0;
        ObjectNode root = RunReport.JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("at", at);
        root.put("sid", "0x" + Long.toHexString(sid));
        root.put("iova", "0x" + Long.toHexString(iova));
        root.put("master", owners.isEmpty() ? (sid == config.undescribedSid()
                ? "no described master (the model's stand-in for the masters no DT or IORT entry names)" : "no described master")
                : String.join(" and ", owners.stream().map(c -> c.index() == 0 ? "the display, " + c.name() : c.name()).toList()));
        root.put("display", display);
        ArrayNode routes = root.putArray("routes");
        for (Interleavings.Resolution r : Interleavings.resolve(run, at, (int) sid, iova)) {
            ObjectNode o = routes.addObject();
            o.put("route", r.route());
            o.put("kind", r.kind());
            ArrayNode out = o.putArray("outcomes");
            // wrong-page is judged against the display's framebuffer: it means nothing for another master
            r.outcomes().stream().filter(x -> display || !x.equals("wrong-page")).forEach(out::add);
            if (r.pa() == null) {
                o.putNull("pa");
            } else {
                o.put("pa", r.pa());
            }
        }
        return root;
    }

    private Interleavings.Run run(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw new RequestException(400, "the request body must be a JSON object");
        }
        Cell c = find(request.path("cell").asText(null));
        List<Interleavings.Taken> steps = new ArrayList<>();
        JsonNode s = request.path("steps");
        if (!s.isMissingNode() && !s.isArray()) {
            throw new RequestException(400, "steps: must be an array of {actor, action}");
        }
        for (int i = 0; i < s.size(); i++) {
            JsonNode n = s.get(i);
            if (!n.path("actor").isTextual() || !n.path("action").isTextual()) {
                throw new RequestException(400, "steps[" + i + "]: needs text fields actor and action");
            }
            steps.add(new Interleavings.Taken(n.get("actor").asText(), n.get("action").asText()));
        }
        String property = request.path("property").isTextual() ? request.get("property").asText() : null;
        if (property != null && dev.handoff.properties.HandoffProperties.catalog().stream().noneMatch(p -> p.name().equals(property))) {
            throw new RequestException(400, "property: unknown \"" + property + "\" (allowed: " + String.join(", ",
                    dev.handoff.properties.HandoffProperties.catalog().stream().map(p -> p.name()).toList()) + ")");
        }
        HandoffModel model = models.computeIfAbsent(c.id(), k -> new HandoffModel(c.scenario(), c.pruning()));
        try {
            return Interleavings.run(model, steps, property);
        } catch (Interleavings.NotARunException e) {
            throw new RequestException(400, "steps: " + e.getMessage());
        }
    }

    private Cell find(String id) {
        if (id == null) {
            throw new RequestException(400, "cell: missing (a cell id from /api/session)");
        }
        Cell c = cells.get(id);
        if (c == null) {
            throw new RequestException(404, "cell: no cell \"" + id + "\" in this session");
        }
        return c;
    }

    /** A number field given as JSON integer, decimal text or 0x-prefixed hex text, at most {@code max}. */
    private static long number(JsonNode request, String field, long max, String what) {
        JsonNode n = request.path(field);
        String shown = n.isTextual() ? "\"" + n.asText() + "\"" : n.toString();
        long v;
        try {
            if (n.isIntegralNumber() && !n.canConvertToLong()) {
                throw new RequestException(400, field + ": " + shown + " is out of range (0 to 0x" + Long.toHexString(max) + ": " + what + ")");
            } else if (n.isIntegralNumber()) {
                v = n.asLong();
            } else if (n.isTextual() && !n.asText().isBlank()) {
                String t = n.asText().trim().toLowerCase(Locale.ROOT).replace("_", "");
                v = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            } else if (n.isMissingNode() || n.isNull() || n.isTextual()) {
                throw new RequestException(400, field + ": missing (a number: 0x880 or 2176)");
            } else {
                throw new RequestException(400, field + ": " + shown + " is not an integer (0x880 or 2176)");
            }
        } catch (NumberFormatException e) {
            throw new RequestException(400, field + ": " + shown + " is not a number (0x880 or 2176) or is too large");
        }
        if (v < 0 || v > max) {
            throw new RequestException(400, field + ": " + shown + " is out of range (0 to 0x" + Long.toHexString(max) + ": " + what + ")");
        }
        return v;
    }

    /** Every cell, for the static export. */
    List<Cell> cells() {
        return List.copyOf(cells.values());
    }

    List<Opened> opened() {
        return opened;
    }
}
