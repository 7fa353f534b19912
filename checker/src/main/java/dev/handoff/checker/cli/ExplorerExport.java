package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.counterexamples.AtomicFiles;
import dev.handoff.counterexamples.Trace;
import dev.handoff.counterexamples.TraceFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code handoff explore --export DIR}: the explorer as static files, for a CI artifact. The page
 * and its assets are the served ones; {@code data.js} holds the answers the page would ask the
 * server for (the session, every cell, and the run of every counterexample), so the board, the
 * matrix, each counterexample, its registers and explanation work from the files alone. What needs
 * the model (the resolve box, steps taken on demand) says so and names the command that serves it.
 * The files are written to a temporary directory beside DIR and moved into place at the end, so an
 * interrupted export leaves no half-written DIR.
 */
final class ExplorerExport {
    /** data.js is read by a script, not by people: no indentation. */
    private static final com.fasterxml.jackson.databind.ObjectMapper COMPACT = new com.fasterxml.jackson.databind.ObjectMapper();

    private ExplorerExport() {
    }

    /** Refuses a DIR that exists and holds anything (an export never mixes with other files). */
    static void requireFresh(Path dir) {
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new InputException("--export " + dir + ": the directory is not empty (give a new or empty one)");
                }
            } catch (IOException e) {
                throw new OutputException("--export " + dir + ": cannot read the directory: " + e.getMessage());
            }
        } else if (Files.exists(dir)) {
            throw new InputException("--export " + dir + ": exists and is not a directory");
        }
    }

    /**
     * Writes the export. A new DIR is filled as a hidden temporary directory beside it and moved
     * into place; an existing empty one (perhaps the working directory) is filled in place, each
     * file through a temporary name, index.html last, and emptied again on failure. SIGINT or
     * SIGTERM meanwhile removes what was written.
     */
    static void write(ExplorerSession session, Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        String data;
        try {
            data = "window.HANDOFF_STATIC = " + COMPACT.writeValueAsString(data(session)) + ";\n";
        } catch (IOException e) {
            throw new IllegalStateException("data.js could not be written as JSON", e);
        }
        boolean inPlace = Files.isDirectory(abs);
        Path target = null;
        java.util.List<Path> written = new java.util.ArrayList<>();
        Runnable undo = () -> undo(written);
        try (Interruption ignored = Interruption.onSignal(undo)) {
            if (inPlace) {
                target = abs;
            } else {
                Files.createDirectories(abs.getParent());
                target = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".");
                written.add(target);
                try {
                    // a temporary directory is its owner's only; an export is served and shared
                    Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                } catch (UnsupportedOperationException notPosix) {
                    // other file systems keep their defaults
                }
            }
            for (String name : List.of("explorer.css", "explorer.js", "data.js", "index.html")) {
                Path f = target.resolve(name);
                written.add(f);
                AtomicFiles.write(f, name.equals("data.js") ? data : new String(ExplorerServer.asset(name), StandardCharsets.UTF_8));
            }
            if (!inPlace) {
                Files.move(target, abs, StandardCopyOption.ATOMIC_MOVE);
            }
            written.clear();
        } catch (IOException e) {
            undo.run();
            throw new OutputException("--export " + dir + ": " + ReportFiles.reason(e));
        } catch (RuntimeException | Error e) {
            undo.run();
            throw e;
        }
    }

    /** Removes what an unfinished export wrote: the files, then a temporary directory (listed first). */
    private static void undo(java.util.List<Path> written) {
        for (int i = written.size() - 1; i >= 0; i--) {
            try {
                Path p = written.get(i);
                if (Files.isDirectory(p)) {
                    BoardCommand.deleteAll(p);
                }
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: the next export refuses a non-empty directory and says so
            }
        }
    }

    /**
     * The answers the page asks for, keyed as the page keys them (see explorer.js, staticKey). To
     * keep the file small, what the page restores is stored once: each run's initial state (the
     * same for every run of a cell, and mostly for every cell) goes to {@code initials} and the run
     * refers to it by index ({@code "initial": N}); a run's {@code original} steps, when they are
     * its steps, are left out; a cell's counterexamples keep their steps' actors and actions only
     * (the page asks for their runs, which carry the changes). explorer.js's {@code inflate} puts
     * each run back together, so an exported trace is the file replay accepts.
     */
    static ObjectNode data(ExplorerSession session) {
        ObjectNode root = RunReport.JSON.createObjectNode();
        root.set("session", session.session());
        ObjectNode cells = root.putObject("cells");
        ObjectNode paths = root.putObject("paths");
        for (ExplorerSession.Cell c : session.cells()) {
            ObjectNode check = session.cell(c.id());
            for (com.fasterxml.jackson.databind.JsonNode p : check.path("properties")) {
                slim(p.get("trace"));
                p.path("moreTraces").forEach(ExplorerExport::slim);
            }
            cells.set(c.id(), check);
            if (c.outcome() != null) {
                for (HandoffCheck.PropertyOutcome p : c.outcome().properties()) {
                    for (TraceFile f : p.files()) {
                        path(session, paths, c.id(), p.name(), f.trace().steps());
                    }
                }
            }
        }
        for (ExplorerSession.Opened o : session.opened()) {
            path(session, paths, o.cell(), o.file().trace().property(), o.file().trace().steps());
        }
        ArrayNode initials = root.putArray("initials");
        java.util.Map<com.fasterxml.jackson.databind.JsonNode, Integer> seen = new java.util.HashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode answer : paths) {
            ObjectNode trace = (ObjectNode) answer.get("trace");
            com.fasterxml.jackson.databind.JsonNode initial = trace.get("initial");
            Integer i = seen.get(initial);
            if (i == null) {
                i = initials.size();
                seen.put(initial, i);
                initials.add(initial);
            }
            trace.put("initial", i);
            if (trace.get("original").equals(trace.get("steps"))) {
                trace.remove("original");
            }
        }
        return root;
    }

    /** A cell's counterexample as the page uses it: its steps' actors and actions, not their changes. */
    private static void slim(com.fasterxml.jackson.databind.JsonNode trace) {
        if (trace instanceof ObjectNode t) {
            t.remove("original");
            for (com.fasterxml.jackson.databind.JsonNode step : t.path("steps")) {
                ((ObjectNode) step).remove("changes");
            }
        }
    }

    private static void path(ExplorerSession session, ObjectNode paths, String cell, String property, List<Trace.Step> steps) {
        ObjectNode request = RunReport.JSON.createObjectNode();
        request.put("cell", cell);
        request.put("property", property);
        ArrayNode s = request.putArray("steps");
        steps.forEach(x -> s.addObject().put("actor", x.actor()).put("action", x.action()));
        paths.set(staticKey(cell, property, steps.stream().map(x -> x.actor() + ":" + x.action()).toList()), session.path(request));
    }

    /** The key of a path answer in data.js: cell|property|actor:action,... (explorer.js computes the same). */
    static String staticKey(String cell, String property, List<String> steps) {
        return cell + "|" + property + "|" + String.join(",", steps);
    }
}
