package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Verdicts already computed, one small JSON file per cell key ({@link CellKeys}) under
 * {@code DIR/xx/KEY.json}. A key covers the code that computed it, so a new handoff build never
 * reads an older build's entries. Each entry is written to a temporary file in its directory and
 * renamed into place, so shards sharing the directory never see half an entry; two shards writing
 * the same key write the same bytes. An entry that does not read back (cut, edited, another
 * schema) is ignored, counted and recomputed. Inconclusive cells are not stored: a time or
 * state limit is not part of the key.
 */
final class ResultCache {
    static final String SCHEMA = "handoff.cell/1";
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;
    private final AtomicInteger unusable = new AtomicInteger();

    private ResultCache(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating) the cache directory; a path that is not a writable directory is bad input. */
    static ResultCache open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputException("--cache " + dir + ": cannot create the directory (" + e.getMessage() + ")");
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new InputException("--cache " + dir + ": not a writable directory");
        }
        return new ResultCache(dir);
    }

    Path path(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a cell key: " + key);
        }
        return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
    }

    /** The stored result of {@code key}, or null when there is none or it does not read back. */
    CatalogueData.CellResult get(String key) {
        Path f = path(key);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonNode n = RunReport.JSON.readTree(f.toFile());
            if (n == null || !SCHEMA.equals(n.path("schema").asText()) || !key.equals(n.path("key").asText())) {
                unusable.incrementAndGet();
                return null;
            }
            return CatalogueData.CellResult.read(n.path("result"), f.toString());
        } catch (IOException | InputException e) {
            unusable.incrementAndGet();
            return null;
        }
    }

    /** Stores a decided result (an inconclusive one is not stored); a write that fails is reported, not fatal. */
    boolean put(String key, String canonical, CatalogueData.CellResult r) {
        if (r.verdict() == dev.handoff.engine.Verdict.INCONCLUSIVE) {
            return false;
        }
        Path f = path(key);
        ObjectNode o = RunReport.JSON.createObjectNode();
        o.put("schema", SCHEMA);
        o.put("key", key);
        o.put("cell", canonical);
        o.set("result", r.json());
        Path tmp = null;
        try {
            Files.createDirectories(f.getParent());
            tmp = Files.createTempFile(f.getParent(), ".tmp-" + key.substring(0, 8), ".json");
            Files.writeString(tmp, RunReport.JSON.writeValueAsString(o) + "\n");
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is named .tmp-*: harmless, never read as an entry
                }
            }
            return false;
        }
    }

    /** Entries found but not usable (cut, edited, another schema) since the cache was opened. */
    int unusable() {
        return unusable.get();
    }
}
