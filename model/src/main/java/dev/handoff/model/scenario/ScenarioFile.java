package dev.handoff.model.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a scenario file (YAML, or JSON, which is YAML too):
 * <pre>
 * platform: c630          # optional, default c630
 * policy: qcom-bypass     # optional
 * knobs:                  # optional: knob: value
 *   fw.mapping: translated
 * </pre>
 * Every error names the file, the line and what is allowed.
 */
public final class ScenarioFile {
    private static final YAMLFactory YAML = new YAMLFactory();

    /**
     * The parsed parts, before they are combined with command-line settings.
     *
     * @param masters the other masters to put on the platform in place of its own, or null to keep them
     */
    public record Parsed(String platform, String policy, Map<String, String> knobs, List<Master> masters) {
        public Parsed(String platform, String policy, Map<String, String> knobs) {
            this(platform, policy, knobs, null);
        }
    }

    private ScenarioFile() {
    }

    /**
     * @param source name for messages (the path)
     * @throws ScenarioException on any malformed or unknown content
     */
    public static Parsed read(String source, Reader in) {
        String platform = null;
        String policy = null;
        Map<String, String> knobs = new LinkedHashMap<>();
        List<Master> masters = null;
        try (JsonParser p = new NoAliases(source, (com.fasterxml.jackson.dataformat.yaml.YAMLParser) YAML.createParser(in))) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Parsed(null, null, knobs);
            }
            if (t != JsonToken.START_OBJECT) {
                throw error(source, p, "expected a mapping with keys platform, policy, knobs, masters");
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                switch (key) {
                    case "platform" -> platform = scalar(source, p, v, key);
                    case "policy" -> policy = scalar(source, p, v, key);
                    case "knobs" -> {
                        if (v == JsonToken.VALUE_NULL) {
                            break;
                        }
                        if (v != JsonToken.START_OBJECT) {
                            throw error(source, p, "\"knobs\" must be a mapping of knob: value");
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            String where = where(source, p);
                            JsonToken kv = p.nextToken();
                            String value = scalar(source, p, kv, name);
                            Knobs.get(name, where).check(value, where);
                            if (knobs.put(name, value) != null) {
                                throw new ScenarioException(where + "knob \"" + name + "\" is set twice");
                            }
                        }
                    }
                    case "masters" -> masters = masters(source, p, v);
                    default -> throw error(source, p, "unknown key \"" + key + "\" (allowed: platform, policy, knobs, masters)");
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw error(source, p, "unexpected content");
            }
            if (p.nextToken() != null) {
                throw error(source, p, "a second YAML document: a scenario file holds one (remove the '---' and what follows)");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // SnakeYAML says what it was doing on one line and what it found on the next ("found character
            // '\t' that cannot start any token"): both, on one line
            String msg = e.getOriginalMessage() == null ? e.toString()
                    : String.join("; ", e.getOriginalMessage().lines().map(String::strip).filter(l -> !l.isEmpty()
                            && !l.startsWith("in 'reader'") && !l.startsWith("^")).toList());
            String at = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? "" : " line " + e.getLocation().getLineNr();
            throw new ScenarioException(source + at + ": not valid YAML: " + msg);
        } catch (IOException e) {
            throw new ScenarioException(source + ": " + e.getMessage());
        }
        if (platform != null) {
            Platforms.get(platform, source + ": ");
        }
        if (policy != null) {
            Policies.get(policy, source + ": ");
        }
        return new Parsed(platform, policy, knobs, masters);
    }

    /**
     * {@code masters:} a list of {@code {name, streams: [{sid, mask}], compatible: [..]}}: the other
     * IOMMU clients of the platform's SMMU, in probe (DT) order, replacing the platform's own.
     */
    private static List<Master> masters(String source, JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            throw error(source, p, "\"masters\" must be a list of {name, streams: [{sid, mask}], compatible}");
        }
        List<Master> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String where = where(source, p);
            String name = null;
            List<StreamEntry> streams = new ArrayList<>();
            List<String> compatible = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                switch (key) {
                    case "name" -> name = scalar(source, p, t, key);
                    case "compatible" -> {
                        if (t != JsonToken.START_ARRAY) {
                            throw error(source, p, "\"compatible\" must be a list of strings");
                        }
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            compatible.add(scalar(source, p, p.currentToken(), "compatible"));
                        }
                    }
                    case "streams" -> {
                        if (t != JsonToken.START_ARRAY) {
                            throw error(source, p, "\"streams\" must be a list of {sid, mask}");
                        }
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            Integer sid = null;
                            int mask = 0;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                JsonToken ft = p.nextToken();
                                switch (f) {
                                    case "sid" -> sid = u16(source, p, scalar(source, p, ft, f), f);
                                    case "mask" -> mask = u16(source, p, scalar(source, p, ft, f), f);
                                    default -> throw error(source, p, "unknown key \"" + f + "\" in a stream (allowed: sid, mask)");
                                }
                            }
                            if (sid == null) {
                                throw error(source, p, "a stream needs a \"sid\"");
                            }
                            streams.add(new StreamEntry(sid, mask));
                        }
                    }
                    default -> throw error(source, p, "unknown key \"" + key + "\" in a master (allowed: name, streams, compatible)");
                }
            }
            if (name == null || streams.isEmpty()) {
                throw new ScenarioException(where + "a master needs a \"name\" and at least one stream");
            }
            out.add(new Master(name, streams, compatible));
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw error(source, p, "\"masters\" must be a list of mappings");
        }
        return out;
    }

    /** A stream ID or mask: 0 to 0xffff, decimal or 0x-hex. */
    private static int u16(String source, JsonParser p, String text, String key) {
        try {
            int v = text.startsWith("0x") || text.startsWith("0X") ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
            if (v >= 0 && v <= 0xffff) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw error(source, p, "\"" + key + "\" is " + text + ": a stream ID or mask is 0 to 0xffff (decimal or 0x-hex)");
    }

    private static String scalar(String source, JsonParser p, JsonToken t, String key) throws IOException {
        if (t == null || !t.isScalarValue() || t == JsonToken.VALUE_NULL) {
            throw error(source, p, "\"" + key + "\" needs a single value");
        }
        return p.getText();
    }

    /**
     * YAML aliases ({@code *name}) are refused where they are met: Jackson's streaming parser
     * hands an alias over as the text of its anchor's name (a knob set to "m" for {@code *m}),
     * and resolving them would let a small file expand into a huge one (billion laughs).
     */
    private static final class NoAliases extends com.fasterxml.jackson.core.util.JsonParserDelegate {
        private final String source;
        private final com.fasterxml.jackson.dataformat.yaml.YAMLParser yaml;

        NoAliases(String source, com.fasterxml.jackson.dataformat.yaml.YAMLParser yaml) {
            super(yaml);
            this.source = source;
            this.yaml = yaml;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = super.nextToken();
            if (yaml.isCurrentAlias()) {
                throw error(source, this, "YAML alias *" + yaml.getText() + " is not supported: write the value out");
            }
            String tag = t == null ? null : yaml.getTypeId();
            if (tag != null && !tag.startsWith("tag:yaml.org,2002:str") && !tag.equals("!")) {
                throw error(source, this, "YAML tag " + tag + " is not supported: write plain values");
            }
            return t;
        }
    }

    private static String where(String source, JsonParser p) {
        return source + " line " + p.currentLocation().getLineNr() + ": ";
    }

    private static ScenarioException error(String source, JsonParser p, String what) {
        return new ScenarioException(where(source, p) + what);
    }
}
