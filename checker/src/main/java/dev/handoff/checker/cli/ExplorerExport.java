package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    static void write(ExplorerSession session, Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".");
            for (String name : List.of("index.html", "explorer.js", "explorer.css")) {
                Files.write(tmp.resolve(name), ExplorerServer.asset(name));
            }
            Files.writeString(tmp.resolve("data.js"), "window.HANDOFF_STATIC = " + RunReport.JSON.writeValueAsString(data(session)) + ";\n",
                    StandardCharsets.UTF_8);
            if (Files.isDirectory(abs)) {
                Files.delete(abs); // empty, by requireFresh
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new OutputException("--export " + dir + ": " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    BoardCommand.deleteAll(tmp);
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a hidden .DIR.* directory is left
                }
            }
        }
    }

    /** The answers the page asks for, keyed as the page keys them (see explorer.js, staticKey). */
    static ObjectNode data(ExplorerSession session) {
        ObjectNode root = RunReport.JSON.createObjectNode();
        root.set("session", session.session());
        ObjectNode cells = root.putObject("cells");
        ObjectNode paths = root.putObject("paths");
        for (ExplorerSession.Cell c : session.cells()) {
            cells.set(c.id(), session.cell(c.id()));
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
        return root;
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
