package dev.handoff.model.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.util.LinkedHashMap;
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

    /** The parsed parts, before they are combined with command-line settings. */
    public record Parsed(String platform, String policy, Map<String, String> knobs) {
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
        try (JsonParser p = YAML.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Parsed(null, null, knobs);
            }
            if (t != JsonToken.START_OBJECT) {
                throw error(source, p, "expected a mapping with keys platform, policy, knobs");
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
                    default -> throw error(source, p, "unknown key \"" + key + "\" (allowed: platform, policy, knobs)");
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw error(source, p, "unexpected content");
            }
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new ScenarioException(source + ": not valid YAML: " + msg);
        }
        if (platform != null) {
            Platforms.get(platform, source + ": ");
        }
        if (policy != null) {
            Policies.get(policy, source + ": ");
        }
        return new Parsed(platform, policy, knobs);
    }

    private static String scalar(String source, JsonParser p, JsonToken t, String key) throws IOException {
        if (t == null || !t.isScalarValue() || t == JsonToken.VALUE_NULL) {
            throw error(source, p, "\"" + key + "\" needs a single value");
        }
        return p.getText();
    }

    private static String where(String source, JsonParser p) {
        return source + " line " + p.currentLocation().getLineNr() + ": ";
    }

    private static ScenarioException error(String source, JsonParser p, String what) {
        return new ScenarioException(where(source, p) + what);
    }
}
