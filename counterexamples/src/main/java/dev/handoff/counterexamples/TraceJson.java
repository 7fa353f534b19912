package dev.handoff.counterexamples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Master;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.ScenarioException;
import dev.handoff.model.scenario.StreamEntry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes {@code handoff.trace/1} files. Writing goes through a temporary file and an
 * atomic rename, so a reader never sees half a file. Reading checks every field and names the
 * first wrong one by its JSON path: {@code trace.json: steps[3].action: missing}.
 */
public final class TraceJson {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The top-level fields of a trace file (the schema's, which allows no others). */
    private static final List<String> TOP_LEVEL = List.of("schema", "scenario", "pruning", "property", "kind", "initial",
            "steps", "witness", "explanation", "rootCause", "original");
    /** Reading: a repeated field or anything after the document is an error, not "the last one wins". */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The witness's {@code report} values: how the SMMU records a failing transaction. */
    static final List<String> REPORTS = java.util.Arrays.stream(dev.handoff.model.smmu.FaultReport.values())
            .map(dev.handoff.model.smmu.FaultReport::label).toList();

    private TraceJson() {
    }

    // ---------------------------------------------------------------- writing

    public static ObjectNode toJson(TraceFile f) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", TraceFile.SCHEMA);
        root.set("scenario", scenario(f.scenario()));
        root.put("pruning", f.pruning());
        root.put("property", f.trace().property());
        root.put("kind", f.kind());
        ObjectNode init = root.putObject("initial");
        f.initial().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> init.put(e.getKey(), e.getValue()));
        root.set("steps", steps(f.trace().steps()));
        root.set("witness", witness(f.trace().witness()));
        root.put("explanation", f.explanation());
        root.put("rootCause", f.rootCause());
        root.set("original", steps(f.original()));
        return root;
    }

    /** Writes the file atomically. */
    public static void write(TraceFile f, Path path) throws IOException {
        AtomicFiles.write(path, JSON.writeValueAsString(toJson(f)) + "\n");
    }

    /** The steps as the file writes them. */
    public static ArrayNode steps(List<Trace.Step> steps) {
        ArrayNode a = JSON.createArrayNode();
        for (Trace.Step s : steps) {
            ObjectNode n = a.addObject();
            n.put("step", s.index());
            n.put("actor", s.actor());
            n.put("action", s.action());
            n.put("function", s.function());
            n.put("choice", s.choice());
            ArrayNode ch = n.putArray("changes");
            for (Trace.Change c : s.changes()) {
                ObjectNode x = ch.addObject();
                x.put("field", c.field());
                x.put("from", c.from());
                x.put("to", c.to());
            }
        }
        return a;
    }

    /** The witness as the file writes it ({@code null} node when there is none). */
    public static JsonNode witness(Trace.WitnessInfo w) {
        if (w == null) {
            return JSON.nullNode();
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("outcome", w.outcome());
        o.put("sid", w.sid());
        o.put("iova", w.iova());
        o.put("pa", w.pa());
        if (w.report() != null) {
            o.put("report", w.report());
            o.put("bank", w.bank());
            o.put("logged", w.logged());
        }
        o.put("path", w.path());
        return o;
    }

    /** The scenario object shared by every document: the platform in full, the policy and every knob. */
    public static ObjectNode scenario(Scenario s) {
        ObjectNode o = JSON.createObjectNode();
        Platform p = s.platform();
        ObjectNode pl = o.putObject("platform");
        pl.put("name", p.name());
        pl.put("description", p.description());
        pl.put("impl", p.impl().name().toLowerCase(Locale.ROOT));
        pl.put("smrGroups", p.smrGroups());
        pl.put("contextBanks", p.contextBanks());
        pl.put("displayCompatible", p.displayCompatible());
        pl.set("displayStreams", streams(p.displayStreams()));
        pl.put("displayFlavour", p.displayFlavour().name().toLowerCase(Locale.ROOT));
        pl.put("framebufferPa", hex(p.framebufferPa()));
        pl.put("framebufferBytes", p.framebufferBytes());
        pl.put("translatedIova", hex(p.translatedIova()));
        // the first other master, as every trace has carried it; a board with several adds them all
        pl.put("otherDevice", p.masters().isEmpty() ? "(none)" : p.masters().get(0).name());
        pl.set("otherStreams", streams(p.masters().isEmpty() ? List.of() : p.masters().get(0).streams()));
        if (p.masters().size() > 1 || p.masters().stream().anyMatch(m -> !m.compatible().isEmpty())) {
            ArrayNode ms = pl.putArray("masters");
            for (Master m : p.masters()) {
                ObjectNode mo = ms.addObject();
                mo.put("name", m.name());
                mo.set("streams", streams(m.streams()));
                if (!m.compatible().isEmpty()) {
                    ArrayNode c = mo.putArray("compatible");
                    m.compatible().forEach(c::add);
                }
            }
        }
        pl.put("tegraPassthroughSid", p.tegraPassthroughSid() < 0 ? null : hex(p.tegraPassthroughSid()));
        ObjectNode kd = pl.putObject("knobDefaults");
        p.knobDefaults().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> kd.put(e.getKey(), e.getValue()));
        ObjectNode acpi = pl.putObject("acpi");
        acpi.put("impl", p.acpi().impl().name().toLowerCase(Locale.ROOT));
        acpi.put("singleMappings", p.acpi().singleMappings());
        if (s.policy() == null) {
            o.putNull("policy");
        } else {
            o.put("policy", s.policy());
        }
        ObjectNode k = o.putObject("knobs");
        s.knobs().forEach(k::put);
        return o;
    }

    private static ArrayNode streams(List<StreamEntry> l) {
        ArrayNode a = JSON.createArrayNode();
        for (StreamEntry e : l) {
            ObjectNode n = a.addObject();
            n.put("sid", hex(e.sid()));
            n.put("mask", hex(e.mask()));
        }
        return a;
    }

    /** Stream IDs, masks and addresses are hex strings in every document. */
    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a trace file.
     *
     * @throws TraceFormatException naming the file and the first field that is wrong
     */
    public static TraceFile read(Path path) {
        String text;
        try {
            if (Files.isDirectory(path)) {
                throw new TraceFormatException("trace file " + path + " is a directory");
            }
            byte[] bytes = dev.handoff.model.io.InputFiles.read(path, 256 << 20);
            if (bytes == null) {
                throw new TraceFormatException("trace file " + path + " is larger than any trace (256 MiB)");
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TraceFormatException("trace file " + path + " does not exist");
        } catch (IOException e) {
            throw new TraceFormatException("trace file " + path + ": " + e.getMessage());
        }
        return parse(path.toString(), text);
    }

    public static TraceFile parse(String source, String text) {
        JsonNode root;
        try {
            root = STRICT.readTree(text);
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new TraceFormatException(source + ": a value longer than any trace field (" + e.getOriginalMessage()
                    .replaceAll(", from `[^`]*`", "") + ")");
        } catch (JsonProcessingException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
                throw new TraceFormatException(source + ": " + e.getOriginalMessage() + (e.getLocation() == null ? ""
                        : " at line " + e.getLocation().getLineNr()) + " (a trace names each field once)");
            }
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new TraceFormatException(source + ": not valid JSON" + where + " (truncated or hand-edited?)");
        }
        Reader r = new Reader(source);
        if (root == null || !root.isObject()) {
            throw r.error("", "expected a JSON object");
        }
        for (java.util.Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!TOP_LEVEL.contains(k)) {
                throw r.error(k, "is not a field of " + TraceFile.SCHEMA + " (allowed: " + String.join(", ", TOP_LEVEL) + ")");
            }
        }
        String schema = r.text(root, "schema");
        if (!schema.equals(TraceFile.SCHEMA)) {
            throw r.error("schema", "is \"" + schema + "\"; this handoff reads \"" + TraceFile.SCHEMA + "\"");
        }
        Scenario scenario = r.scenario(r.object(root, "scenario"));
        boolean pruning = r.bool(root, "pruning");
        String property = r.text(root, "property");
        try {
            dev.handoff.properties.HandoffProperties.resolve(List.of(property));
        } catch (dev.handoff.model.scenario.ScenarioException e) {
            throw r.error("property", e.getMessage());
        }
        String kind = r.text(root, "kind");
        if (!kind.equals(Violations.kind(property))) {
            throw r.error("kind", "is \"" + kind + "\"; " + property + " is a " + Violations.kind(property) + " property");
        }
        Map<String, String> initial = r.stringMap(r.object(root, "initial"), "initial");
        List<Trace.Step> steps = r.steps(root, "steps");
        Trace.WitnessInfo witness = r.witness(root.get("witness"));
        String explanation = root.has("explanation") && root.get("explanation").isTextual() ? root.get("explanation").asText() : "";
        List<Trace.Step> original = root.has("original") ? r.steps(root, "original") : steps;
        String cause = root.has("rootCause") && root.get("rootCause").isTextual() ? root.get("rootCause").asText() : "";
        return new TraceFile(scenario, pruning, kind, initial, new Trace(property, steps, witness), original, explanation, cause);
    }

    /** Field-by-field reading with the JSON path of the first problem in the message. */
    private record Reader(String source) {
        TraceFormatException error(String path, String what) {
            return new TraceFormatException(source + ": " + (path.isEmpty() ? "" : path + ": ") + what);
        }

        JsonNode field(JsonNode parent, String name, String path) {
            JsonNode n = parent.get(name);
            if (n == null || n.isNull()) {
                throw error(path, "missing");
            }
            return n;
        }

        String text(JsonNode parent, String name) {
            return text(parent, name, name);
        }

        String text(JsonNode parent, String name, String path) {
            JsonNode n = field(parent, name, path);
            if (!n.isTextual()) {
                throw error(path, "expected a string, got " + n.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            return n.asText();
        }

        boolean bool(JsonNode parent, String name) {
            JsonNode n = field(parent, name, name);
            if (!n.isBoolean()) {
                throw error(name, "expected true or false");
            }
            return n.asBoolean();
        }

        long number(JsonNode parent, String name, String path, long min, long max) {
            JsonNode n = field(parent, name, path);
            if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
                throw error(path, "expected a whole number from " + min + " to " + max + ", got " + n);
            }
            return n.asLong();
        }

        long hexNumber(JsonNode parent, String name, String path) {
            String t = text(parent, name, path);
            if (!t.matches("0x[0-9a-fA-F]{1,16}")) {
                throw error(path, "expected a hex string such as 0x880, got \"" + t + "\"");
            }
            return Long.parseUnsignedLong(t.substring(2), 16);
        }

        JsonNode object(JsonNode parent, String name) {
            JsonNode n = field(parent, name, name);
            if (!n.isObject()) {
                throw error(name, "expected an object");
            }
            return n;
        }

        Map<String, String> stringMap(JsonNode o, String path) {
            Map<String, String> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw error(path + "." + e.getKey(), "expected a string");
                }
                m.put(e.getKey(), e.getValue().asText());
            }
            return m;
        }

        Scenario scenario(JsonNode o) {
            JsonNode p = field(o, "platform", "scenario.platform");
            String pp = "scenario.platform.";
            List<StreamEntry> display = streams(p, "displayStreams", pp + "displayStreams");
            List<StreamEntry> other = streams(p, "otherStreams", pp + "otherStreams");
            List<Master> masters = new ArrayList<>();
            JsonNode ms = p.get("masters");
            if (ms != null && !ms.isNull()) {
                if (!ms.isArray()) {
                    throw error(pp + "masters", "expected an array");
                }
                for (int i = 0; i < ms.size(); i++) {
                    String at = pp + "masters[" + i + "]";
                    try {
                        List<String> compat = new ArrayList<>();
                        JsonNode cn = ms.get(i).get("compatible");
                        if (cn != null && !cn.isNull()) {
                            if (!cn.isArray()) {
                                throw error(at + ".compatible", "expected an array of strings");
                            }
                            cn.forEach(x -> compat.add(x.asText()));
                        }
                        masters.add(new Master(text(ms.get(i), "name", at + ".name"), streams(ms.get(i), "streams", at + ".streams"),
                                compat));
                    } catch (IllegalArgumentException e) {
                        throw error(at, e.getMessage());
                    }
                }
            } else if (!other.isEmpty()) {
                masters.add(new Master(text(p, "otherDevice", pp + "otherDevice"), other));
            }
            Platform.SmmuImpl impl = enumValue(Platform.SmmuImpl.class, text(p, "impl", pp + "impl"), pp + "impl");
            Platform.DisplayFlavour flavour = enumValue(Platform.DisplayFlavour.class,
                    text(p, "displayFlavour", pp + "displayFlavour"), pp + "displayFlavour");
            JsonNode tp = p.get("tegraPassthroughSid");
            int passthrough = tp == null || tp.isNull() ? -1 : (int) hexNumber(p, "tegraPassthroughSid", pp + "tegraPassthroughSid");
            JsonNode kd = p.get("knobDefaults");
            Map<String, String> defaults = kd == null || kd.isNull() ? Map.of() : stringMap(kd, pp + "knobDefaults");
            JsonNode ac = p.get("acpi");
            Platform.AcpiFacts acpi = ac == null || ac.isNull() ? Platform.AcpiFacts.GENERIC_RANGES
                    : new Platform.AcpiFacts(enumValue(Platform.SmmuImpl.class, text(ac, "impl", pp + "acpi.impl"), pp + "acpi.impl"),
                            ac.path("singleMappings").asBoolean(false));
            Platform platform;
            try {
                platform = new Platform(text(p, "name", pp + "name"),
                        p.has("description") ? p.get("description").asText() : "",
                        impl, (int) number(p, "smrGroups", pp + "smrGroups", 2, 128),
                        (int) number(p, "contextBanks", pp + "contextBanks", 2, 128),
                        text(p, "displayCompatible", pp + "displayCompatible"), display, flavour,
                        hexNumber(p, "framebufferPa", pp + "framebufferPa"),
                        number(p, "framebufferBytes", pp + "framebufferBytes", Platform.PAGE, 1L << 40),
                        hexNumber(p, "translatedIova", pp + "translatedIova"),
                        masters, passthrough, defaults, acpi);
            } catch (IllegalArgumentException | dev.handoff.model.scenario.ScenarioException e) {
                // a knob default the model does not know, a bound broken: the file's, not handoff's
                throw error("scenario.platform", e.getMessage());
            }
            JsonNode pol = o.get("policy");
            String policy = pol == null || pol.isNull() ? null : pol.asText();
            Map<String, String> knobs = stringMap(object(o, "knobs"), "scenario.knobs");
            for (String k : Knobs.defaults().keySet()) {
                if (!knobs.containsKey(k)) {
                    throw error("scenario.knobs", "knob \"" + k + "\" is missing (a trace records every knob)");
                }
            }
            try {
                for (Map.Entry<String, String> e : knobs.entrySet()) {
                    Knobs.get(e.getKey(), "").check(e.getValue(), "");
                }
                return new Scenario(platform, policy, knobs);
            } catch (ScenarioException e) {
                throw error("scenario.knobs", e.getMessage());
            }
        }

        <E extends Enum<E>> E enumValue(Class<E> type, String value, String path) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(value)) {
                    return e;
                }
            }
            List<String> allowed = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                allowed.add(e.name().toLowerCase(Locale.ROOT));
            }
            throw error(path, "is \"" + value + "\" (allowed: " + String.join(", ", allowed) + ")");
        }

        List<StreamEntry> streams(JsonNode p, String name, String path) {
            JsonNode a = field(p, name, path);
            if (!a.isArray()) {
                throw error(path, "expected an array");
            }
            List<StreamEntry> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                String at = path + "[" + i + "]";
                long sid = hexNumber(a.get(i), "sid", at + ".sid");
                long mask = hexNumber(a.get(i), "mask", at + ".mask");
                if (sid > 0xffff || mask > 0xffff) {
                    throw error(at, "stream ID and mask are 16-bit");
                }
                out.add(new StreamEntry((int) sid, (int) mask));
            }
            return out;
        }

        List<Trace.Step> steps(JsonNode root, String name) {
            JsonNode a = field(root, name, name);
            if (!a.isArray()) {
                throw error(name, "expected an array");
            }
            List<Trace.Step> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                String at = name + "[" + i + "]";
                JsonNode s = a.get(i);
                if (!s.isObject()) {
                    throw error(at, "expected an object");
                }
                long index = number(s, "step", at + ".step", 1, Integer.MAX_VALUE);
                if (index != i + 1) {
                    throw error(at + ".step", "is " + index + ", expected " + (i + 1) + " (steps are numbered in order)");
                }
                JsonNode ch = field(s, "changes", at + ".changes");
                if (!ch.isArray()) {
                    throw error(at + ".changes", "expected an array");
                }
                List<Trace.Change> changes = new ArrayList<>();
                for (int j = 0; j < ch.size(); j++) {
                    String cp = at + ".changes[" + j + "]";
                    JsonNode c = ch.get(j);
                    changes.add(new Trace.Change(text(c, "field", cp + ".field"), text(c, "from", cp + ".from"),
                            text(c, "to", cp + ".to")));
                }
                out.add(new Trace.Step((int) index, text(s, "actor", at + ".actor"), text(s, "action", at + ".action"),
                        s.has("function") ? s.get("function").asText() : "", changes));
            }
            return out;
        }

        Trace.WitnessInfo witness(JsonNode w) {
            if (w == null || w.isNull()) {
                return null;
            }
            if (!w.isObject()) {
                throw error("witness", "expected an object or null");
            }
            String report = optional(w, "report");
            if (report != null && !REPORTS.contains(report)) {
                throw error("witness.report", "expected one of " + String.join(", ", REPORTS) + ", got '" + report + "'");
            }
            JsonNode bank = w.get("bank");
            if (bank != null && !bank.isNull() && !bank.canConvertToInt()) {
                throw error("witness.bank", "expected a context bank number or null");
            }
            JsonNode logged = w.get("logged");
            if (logged != null && !logged.isNull() && !logged.isBoolean()) {
                throw error("witness.logged", "expected true, false or null");
            }
            return new Trace.WitnessInfo(text(w, "outcome", "witness.outcome"), optional(w, "sid"), optional(w, "iova"),
                    optional(w, "pa"), report, bank == null || bank.isNull() ? null : bank.asInt(),
                    logged == null || logged.isNull() ? null : logged.asBoolean(), w.has("path") ? w.get("path").asText() : "");
        }

        private static String optional(JsonNode o, String name) {
            JsonNode n = o.get(name);
            return n == null || n.isNull() ? null : n.asText();
        }
    }
}
