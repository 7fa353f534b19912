package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.engine.ExplorationResult;
import dev.handoff.engine.Path;
import dev.handoff.engine.PropertyResult;
import dev.handoff.engine.Statistics;
import dev.handoff.engine.Verdict;
import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.PackedModel;
import dev.handoff.engine.formalism.PropertyKind;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Renders a generic exploration result as text or JSON and maps it to an exit code. */
final class RunReport {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunReport() {
    }

    /** The exit code for a result: safety before deadlock before liveness before inconclusive. */
    static int exitCode(ExplorationResult r) {
        boolean safety = false;
        boolean liveness = false;
        boolean undecided = false;
        for (PropertyResult p : r.properties()) {
            if (p.verdict() == Verdict.VIOLATED) {
                if (p.property().kind() == PropertyKind.ALWAYS) {
                    safety = true;
                } else {
                    liveness = true;
                }
            } else if (p.verdict() == Verdict.INCONCLUSIVE) {
                undecided = true;
            }
        }
        if (safety) {
            return ExitCode.SAFETY_VIOLATED;
        }
        if (r.deadlock() != null) {
            return ExitCode.DEADLOCK;
        }
        if (liveness) {
            return ExitCode.LIVENESS_VIOLATED;
        }
        if (undecided || r.limitReached()) {
            return ExitCode.INCONCLUSIVE;
        }
        return ExitCode.HOLDS;
    }

    static String verdict(ExplorationResult r) {
        return switch (exitCode(r)) {
            case ExitCode.HOLDS -> "HOLDS";
            case ExitCode.INCONCLUSIVE -> "INCONCLUSIVE";
            default -> "VIOLATED";
        };
    }

    static void text(PrintWriter out, String title, PackedModel model, ExplorationResult r, boolean actionStats) {
        out.println(title);
        int width = 12;
        for (PropertyResult p : r.properties()) {
            width = Math.max(width, p.property().name().length());
        }
        for (PropertyResult p : r.properties()) {
            String note = switch (p.verdict()) {
                case HOLDS -> p.path() != null ? "(witness: " + p.path().length() + " steps)" : "";
                case VIOLATED -> p.path() != null ? "(counterexample: " + p.path().length() + " steps)"
                        : "(no reachable state satisfies it)";
                case INCONCLUSIVE -> "";
            };
            out.printf(Locale.ROOT, "  %-" + width + "s  %-12s %s%n", p.property().name(), p.verdict(), note).flush();
        }
        if (r.deadlock() != null) {
            out.printf(Locale.ROOT, "  %-" + width + "s  %-12s (%d steps)%n", "deadlock", "FOUND", r.deadlock().length());
        }
        out.println("verdict: " + verdict(r) + (r.limitReached() ? " (" + r.stopReason() + ")" : ""));
        stats(out, model, r.statistics(), actionStats);
        if (!r.exhausted() && !r.limitReached()) {
            out.println("stopped once every question was decided: the counts are of the part explored (--exhaustive explores the rest)");
        }
        for (PropertyResult p : r.properties()) {
            if (p.path() != null) {
                String what = p.verdict() == Verdict.VIOLATED ? "counterexample" : "witness";
                out.println();
                out.println(what + " for " + p.property().name() + ":");
                path(out, model, p.path());
            }
        }
        if (r.deadlock() != null) {
            out.println();
            out.println("deadlock (no action enabled in the last state):");
            path(out, model, r.deadlock());
        }
        out.flush();
    }

    static void stats(PrintWriter out, PackedModel model, Statistics s, boolean actionStats) {
        out.printf(Locale.ROOT, "states: %,d distinct, %,d transitions, depth %d, %.2f s, %,.0f states/s, %,.0f transitions/s%n",
                s.distinctStates(), s.transitions(), s.maxDepth(), s.seconds(), s.statesPerSecond(), s.transitionsPerSecond());
        out.printf(Locale.ROOT, "memory: %.1f bytes/state (visited set %,d B, trace log %,d B), %d worker%s%n",
                s.bytesPerState(), s.storeBytes(), s.logBytes(), s.workers(), s.workers() == 1 ? "" : "s");
        if (s.collisionProbability() > 0) {
            out.printf(Locale.ROOT, "fingerprints: estimated probability of a missed state %.1e%n", s.collisionProbability());
        }
        List<Integer> never = s.actionsNeverFired();
        List<Action> actions = model.actions();
        out.println("actions never fired: " + (never.isEmpty() ? "none"
                : String.join(", ", never.stream().map(i -> actions.get(i).name()).toList())));
        if (actionStats) {
            out.println("action firings:");
            for (int i = 0; i < actions.size(); i++) {
                out.printf(Locale.ROOT, "  %,15d  %s%n", s.actionFirings()[i], actions.get(i));
            }
        }
    }

    static void path(PrintWriter out, PackedModel model, Path p) {
        List<Action> actions = model.actions();
        out.printf(Locale.ROOT, "  %3d  initial state %d: %s%n", 0, p.initialState(), model.describe(p.states().get(0), 0));
        for (int i = 0; i < p.length(); i++) {
            out.printf(Locale.ROOT, "  %3d  %s -> %s%n", i + 1, actions.get(p.actions()[i]),
                    model.describe(p.states().get(i + 1), 0));
        }
    }

    static ObjectNode json(String modelName, PackedModel model, ExplorationResult r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", "handoff.run/1");
        root.put("model", modelName);
        root.put("verdict", verdict(r));
        root.put("exitCode", exitCode(r));
        if (r.limitReached()) {
            root.put("stopReason", r.stopReason());
        } else {
            root.putNull("stopReason");
        }
        root.put("exhausted", r.exhausted());
        ArrayNode props = root.putArray("properties");
        for (PropertyResult p : r.properties()) {
            ObjectNode o = props.addObject();
            o.put("name", p.property().name());
            o.put("kind", p.property().kind().name().toLowerCase(Locale.ROOT));
            o.put("verdict", p.verdict().name());
            if (p.path() == null) {
                o.putNull("path");
            } else {
                o.set("path", pathJson(model, p.path()));
            }
        }
        if (r.deadlock() == null) {
            root.putNull("deadlock");
        } else {
            root.set("deadlock", pathJson(model, r.deadlock()));
        }
        root.set("stats", statsJson(model, r.statistics()));
        return root;
    }

    /**
     * Fields of a report that depend on the machine, the worker count or the process, not on the
     * model: constraintSolves counts solver calls a process-wide memo did not answer, so a second
     * check in one process reports fewer.
     */
    private static final java.util.Set<String> MACHINE_FIELDS = java.util.Set.of(
            "seconds", "statesPerSecond", "transitionsPerSecond", "bytesPerState", "workers", "constraintSolves");

    /**
     * {@code --reproducible}: every machine-dependent field, wherever it sits in the report, set
     * to 0. Everything else a breadth-first run reports is the same for any worker count.
     */
    static com.fasterxml.jackson.databind.JsonNode reproducible(com.fasterxml.jackson.databind.JsonNode n) {
        if (n instanceof ObjectNode o) {
            List<String> names = new java.util.ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String f : names) {
                if (MACHINE_FIELDS.contains(f) && o.get(f).isNumber()) {
                    o.put(f, 0);
                } else {
                    reproducible(o.get(f));
                }
            }
        } else if (n instanceof ArrayNode a) {
            a.forEach(RunReport::reproducible);
        }
        return n;
    }

    static ObjectNode statsJson(PackedModel model, Statistics s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("distinctStates", s.distinctStates());
        o.put("transitions", s.transitions());
        o.put("depth", s.maxDepth());
        o.put("seconds", s.seconds());
        o.put("statesPerSecond", s.statesPerSecond());
        o.put("transitionsPerSecond", s.transitionsPerSecond());
        o.put("bytesPerState", s.bytesPerState());
        o.put("workers", s.workers());
        o.put("collisionProbability", s.collisionProbability());
        ObjectNode firings = o.putObject("actionFirings");
        List<Action> actions = model.actions();
        for (int i = 0; i < actions.size(); i++) {
            firings.put(actions.get(i).name(), s.actionFirings()[i]);
        }
        ArrayNode never = o.putArray("actionsNeverFired");
        s.actionsNeverFired().forEach(i -> never.add(actions.get(i).name()));
        return o;
    }

    static ArrayNode pathJson(PackedModel model, Path p) {
        ArrayNode steps = JSON.createArrayNode();
        ObjectNode init = steps.addObject();
        init.put("step", 0);
        init.put("initialState", p.initialState());
        init.put("state", model.describe(p.states().get(0), 0));
        for (int i = 0; i < p.length(); i++) {
            Action a = model.actions().get(p.actions()[i]);
            ObjectNode o = steps.addObject();
            o.put("step", i + 1);
            o.put("actor", a.actor());
            o.put("action", a.name());
            o.put("state", model.describe(p.states().get(i + 1), 0));
        }
        return steps;
    }
}
