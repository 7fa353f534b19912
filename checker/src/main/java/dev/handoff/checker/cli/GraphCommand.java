package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.SearchListener;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.scenario.Scenario;
import org.jgrapht.Graph;
import org.jgrapht.graph.DirectedPseudograph;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.AttributeType;
import org.jgrapht.nio.DefaultAttribute;
import org.jgrapht.nio.dot.DOTExporter;
import org.jgrapht.nio.graphml.GraphMLExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code handoff graph}: the explored state graph of a small scenario as DOT or GraphML. */
@Command(name = "graph",
        header = "Exports the state graph of a small scenario as DOT or GraphML.", mixinStandardHelpOptions = true,
        description = {
            "Exports the state graph of one scenario as DOT or GraphML (jgrapht-io): a vertex per state, an edge "
                + "per transition labelled with its action, the shortest counterexample of --property drawn in red. "
                + "Refused (exit 20) when the graph has more than --limit states.",
        })
final class GraphCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ScenarioOptions scenario;

    @Option(names = "--policy", paramLabel = "POLICY", completionCandidates = Names.PolicyNames.class, description = "Policy preset.")
    String policy;

    @Option(names = "--property", paramLabel = "PROPERTY", completionCandidates = Names.PropertyNames.class,
            description = "Highlight this property's shortest counterexample (default: the first violated one).")
    String property;

    @Option(names = "--format", paramLabel = "dot|graphml", completionCandidates = Names.GraphFormats.class, defaultValue = "dot", description = "Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "5000",
            description = "Refuse graphs with more states than this (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here (atomically) instead of standard output.")
    Path output;

    /**
     * An edge: the action that takes one state to another. Compared by identity, not by value: a
     * JGraphT graph keeps each edge object once, so two transitions with the same action (from
     * different states) must be different objects, or the second one is silently dropped.
     */
    static final class Edge {
        final int action;
        final String actor;
        final String name;

        Edge(int action, String actor, String name) {
            this.action = action;
            this.actor = actor;
            this.name = name;
        }

        String label() {
            return actor + ": " + name;
        }

        @Override
        public String toString() {
            return label();
        }
    }

    @Override
    public Integer call() throws Exception {
        CheckOptions.requireFormat(spec, format, "dot", "graphml");
        Scenario s = scenario.scenario(policy, Map.of());
        HandoffModel model = new HandoffModel(s, true);
        Graph<Integer, Edge> g = new DirectedPseudograph<>(null, null, false);
        Map<HandoffState, Integer> ids = new HashMap<>();
        Map<Integer, HandoffState> states = new HashMap<>();
        HandoffState init = model.initialStates().get(0);
        ids.put(init, 0);
        states.put(0, init);
        g.addVertex(0);
        ArrayDeque<HandoffState> queue = new ArrayDeque<>(List.of(init));
        while (!queue.isEmpty()) {
            HandoffState st = queue.poll();
            int from = ids.get(st);
            for (int a = 0; a < model.actions().size(); a++) {
                HandoffState n = model.next(st, a);
                if (n == null) {
                    continue;
                }
                Integer to = ids.get(n);
                if (to == null) {
                    if (ids.size() >= limit) {
                        spec.commandLine().getErr().println("handoff: the state graph has more than " + limit
                                + " states; raise --limit or narrow the scenario with --set");
                        return ExitCode.INCONCLUSIVE;
                    }
                    to = ids.size();
                    ids.put(n, to);
                    states.put(to, n);
                    g.addVertex(to);
                    queue.add(n);
                }
                g.addEdge(from, to, new Edge(a, model.actions().get(a).actor(), model.actions().get(a).name()));
            }
        }
        Set<Integer> pathVertices = new HashSet<>();
        Set<Edge> pathEdges = new HashSet<>();
        highlight(model, s, g, pathVertices, pathEdges);
        String text = export(model, g, states, pathVertices, pathEdges);
        if (output == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        } else {
            ReportFiles.write(output, text);
            Verbosity.info(spec).println("handoff: wrote " + output + " (" + g.vertexSet().size() + " states, "
                    + g.edgeSet().size() + " transitions)");
        }
        return ExitCode.HOLDS;
    }

    /** Follows the shortest counterexample's actions from the initial vertex. */
    private void highlight(HandoffModel model, Scenario s, Graph<Integer, Edge> g, Set<Integer> vertices, Set<Edge> edges) {
        List<String> names = property == null ? List.of() : Names.properties(List.of(property));
        HandoffCheck.Outcome o = HandoffCheck.run(s, names, true, ExplorationSettings.defaults(), SearchListener.NONE);
        var file = o.properties().stream().filter(p -> p.file() != null).findFirst();
        if (file.isEmpty()) {
            return;
        }
        int v = 0;
        vertices.add(v);
        for (var step : file.get().file().trace().steps()) {
            int a = model.actionIndex(step.actor(), step.action());
            Edge e = null;
            for (Edge x : g.outgoingEdgesOf(v)) {
                if (x.action == a) {
                    e = x;
                    break;
                }
            }
            if (e == null) {
                return;
            }
            edges.add(e);
            v = g.getEdgeTarget(e);
            vertices.add(v);
        }
    }

    private String export(HandoffModel model, Graph<Integer, Edge> g, Map<Integer, HandoffState> states,
                          Set<Integer> pathVertices, Set<Edge> pathEdges) {
        StringWriter w = new StringWriter();
        if (format.equals("dot")) {
            DOTExporter<Integer, Edge> dot = new DOTExporter<>(v -> "s" + v);
            dot.setVertexAttributeProvider(v -> dotVertex(states.get(v), pathVertices.contains(v)));
            dot.setEdgeAttributeProvider(e -> dotEdge(e, pathEdges.contains(e)));
            dot.exportGraph(g, w);
        } else {
            GraphMLExporter<Integer, Edge> ml = new GraphMLExporter<>(v -> "s" + v);
            ml.setExportVertexLabels(false);
            ml.setExportEdgeLabels(false);
            ml.registerAttribute("label", GraphMLExporter.AttributeCategory.ALL, AttributeType.STRING);
            ml.registerAttribute("failure", GraphMLExporter.AttributeCategory.NODE, AttributeType.STRING);
            ml.registerAttribute("actor", GraphMLExporter.AttributeCategory.EDGE, AttributeType.STRING);
            ml.registerAttribute("action", GraphMLExporter.AttributeCategory.EDGE, AttributeType.STRING);
            ml.registerAttribute("onPath", GraphMLExporter.AttributeCategory.ALL, AttributeType.BOOLEAN);
            ml.setVertexAttributeProvider(v -> graphmlVertex(states.get(v), pathVertices.contains(v)));
            ml.setEdgeAttributeProvider(e -> graphmlEdge(e, pathEdges.contains(e)));
            ml.exportGraph(g, w);
        }
        return w.toString();
    }

    /** A state in one line per part: where each program is, what the engine scans, and the failure if any. */
    static List<String> summary(HandoffState s) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("fw " + s.fwPc() + " drv " + s.driverPc() + " core " + s.corePc() + " ddrv " + s.ddrvPc()
                + " mc " + s.mcPc() + (s.lateInit() ? " late-init" : ""));
        lines.add("scanout " + s.scanout().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                + (s.extraPipe() ? " +extra pipe" : "") + (s.corrupted() != 0 ? " corrupted" : ""));
        if (s.failure() != null) {
            lines.add(failure(s));
        }
        return lines;
    }

    private static String failure(HandoffState s) {
        return s.failure().kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                + " (" + s.failure().witness().outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ")";
    }

    private static Map<String, Attribute> dotVertex(HandoffState s, boolean onPath) {
        Map<String, Attribute> a = new LinkedHashMap<>();
        a.put("label", DefaultAttribute.createAttribute(String.join("\n", summary(s))));
        if (onPath) {
            a.put("color", DefaultAttribute.createAttribute("red"));
        }
        if (s.failure() != null) {
            a.put("shape", DefaultAttribute.createAttribute("box"));
        }
        return a;
    }

    private static Map<String, Attribute> dotEdge(Edge e, boolean onPath) {
        Map<String, Attribute> a = new LinkedHashMap<>();
        a.put("label", DefaultAttribute.createAttribute(e.label()));
        if (onPath) {
            a.put("color", DefaultAttribute.createAttribute("red"));
            a.put("penwidth", DefaultAttribute.createAttribute(2));
        }
        return a;
    }

    private static Map<String, Attribute> graphmlVertex(HandoffState s, boolean onPath) {
        Map<String, Attribute> a = new LinkedHashMap<>();
        a.put("label", DefaultAttribute.createAttribute(String.join("\n", summary(s))));
        if (s.failure() != null) {
            a.put("failure", DefaultAttribute.createAttribute(failure(s)));
        }
        a.put("onPath", DefaultAttribute.createAttribute(onPath));
        return a;
    }

    private static Map<String, Attribute> graphmlEdge(Edge e, boolean onPath) {
        Map<String, Attribute> a = new LinkedHashMap<>();
        a.put("label", DefaultAttribute.createAttribute(e.label()));
        a.put("actor", DefaultAttribute.createAttribute(e.actor));
        a.put("action", DefaultAttribute.createAttribute(e.name));
        a.put("onPath", DefaultAttribute.createAttribute(onPath));
        return a;
    }
}
