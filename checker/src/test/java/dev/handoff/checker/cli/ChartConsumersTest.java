package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.handoff.checker.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Sequence charts and machine formats handed to parsers: SVG to an XML parser, Mermaid to a
 * grammar check of the sequence-diagram subset handoff writes (one diagram per document, every
 * arrow between declared participants), JSON to a strict parser that rejects trailing text.
 */
class ChartConsumersTest {
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static Document xml(String text) throws Exception {
        var f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static final Pattern PARTICIPANT = Pattern.compile(" {4}participant (\\w+)( as [^\\n]+)?");
    private static final Pattern ARROW = Pattern.compile(" {4}(\\w+)(->>|--x)(\\w+): [^\\n;#]+");
    private static final Pattern NOTE = Pattern.compile(" {4}Note over (\\w+)(,(\\w+))?: [^\\n;#]+");
    private static final Pattern COMMENT = Pattern.compile(" *%%.*");

    /**
     * Checks a document against Mermaid's sequence-diagram grammar, as far as handoff uses it:
     * exactly one {@code sequenceDiagram} header, first; then participant declarations, arrows
     * and notes between declared participants, or comments. Returns the number of arrows.
     */
    static int mermaid(String doc) {
        List<String> lines = doc.lines().toList();
        assertEquals("sequenceDiagram", lines.get(0), "a Mermaid document opens with its one diagram type");
        Set<String> declared = new HashSet<>();
        int arrows = 0;
        for (String line : lines.subList(1, lines.size())) {
            Matcher m;
            if ((m = PARTICIPANT.matcher(line)).matches()) {
                assertTrue(declared.add(m.group(1)), "declared twice: " + line);
            } else if ((m = ARROW.matcher(line)).matches()) {
                assertTrue(declared.contains(m.group(1)) && declared.contains(m.group(3)), "undeclared participant: " + line);
                arrows++;
            } else if ((m = NOTE.matcher(line)).matches()) {
                assertTrue(declared.contains(m.group(1)) && (m.group(3) == null || declared.contains(m.group(3))), line);
            } else if (!COMMENT.matcher(line).matches()) {
                fail("not a sequence-diagram line: " + line);
            }
        }
        return arrows;
    }

    /** Every text of an SVG chart ends inside its width (11 px monospace, at most 6.7 px a character). */
    static void svgFits(Document d) {
        Element root = d.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        double width = Double.parseDouble(root.getAttribute("width"));
        NodeList texts = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        assertTrue(texts.getLength() > 0);
        for (int i = 0; i < texts.getLength(); i++) {
            Element t = (Element) texts.item(i);
            double x = Double.parseDouble(t.getAttribute("x"));
            int chars = t.getTextContent().codePointCount(0, t.getTextContent().length());
            double end = t.getAttribute("text-anchor").equals("middle") ? x + chars * 6.7 / 2 : x + chars * 6.7;
            assertTrue(end <= width, "'" + t.getTextContent() + "' ends at " + end + " in a chart " + width + " wide");
        }
    }

    @Test
    void oneSvgHoldsEveryViolationAndFitsItsText() throws Exception {
        CliTest.Run r = run("check", "--policy", "stock", "--set", "fw.mapping=translated", "--format", "svg");
        assertEquals(ExitCode.SAFETY_VIOLATED, r.code(), r.err());
        Document d = xml(r.out());
        svgFits(d);
        String all = d.getDocumentElement().getTextContent();
        for (String property : List.of("no-dma-fault", "right-page", "no-corruption", "isolation")) {
            assertTrue(all.contains("counterexample for " + property), property + " is drawn:\n" + all);
        }
    }

    @Test
    void isolationChartsDrawTheOtherMastersTransaction() throws Exception {
        CliTest.Run svg = run("check", "--policy", "fw-quiesce", "--property", "isolation", "--format", "svg");
        assertEquals(ExitCode.SAFETY_VIOLATED, svg.code(), svg.err());
        String text = xml(svg.out()).getDocumentElement().getTextContent();
        assertTrue(text.contains("Other master") && text.contains("DMA from stream 0x100")
                && text.contains("UNTRANSLATED: ufs@1d84000: sCR0.CLIENTPD=1"), text);
        CliTest.Run mmd = run("check", "--policy", "fw-quiesce", "--property", "isolation", "--format", "mermaid");
        mermaid(mmd.out());
        assertTrue(mmd.out().contains("other_master->>smmu: DMA from stream 0x100"), mmd.out());
        assertTrue(mmd.out().contains("smmu--xother_master: UNTRANSLATED"), mmd.out());
    }

    @Test
    void severalViolationsMakeOneMermaidDiagram() throws Exception {
        CliTest.Run r = run("check", "--policy", "stock", "--set", "fw.mapping=translated", "--format", "mermaid");
        assertEquals(ExitCode.SAFETY_VIOLATED, r.code(), r.err());
        assertEquals(1, r.out().lines().filter(l -> l.equals("sequenceDiagram")).count(), r.out());
        int arrows = mermaid(r.out());
        int steps = 0;
        for (var p : RunReport.JSON.readTree(run("check", "--policy", "stock", "--set", "fw.mapping=translated", "--format", "json")
                .out()).get("properties")) {
            steps += p.path("trace").path("steps").size();
        }
        assertTrue(arrows > steps, "every counterexample's steps and violating transaction are drawn: " + arrows + " for " + steps);
        assertEquals(4, r.out().lines().filter(l -> l.contains(": counterexample for ")).count(), r.out());
    }

    @Test
    void whenEverythingHoldsTheChartsAreValidDocumentsThatSaySo() throws Exception {
        CliTest.Run svg = run("check", "--policy", "stock", "--property", "no-stream-match-conflict", "--format", "svg");
        assertEquals(ExitCode.HOLDS, svg.code(), svg.err());
        Document d = xml(svg.out());
        svgFits(d);
        assertTrue(d.getDocumentElement().getTextContent().contains("every checked property holds"));
        CliTest.Run mmd = run("check", "--policy", "stock", "--property", "no-stream-match-conflict", "--format", "mermaid");
        assertEquals(ExitCode.HOLDS, mmd.code(), mmd.err());
        mermaid(mmd.out());
        assertTrue(mmd.out().contains("every checked property holds"), mmd.out());
    }

    /** Machine formats own standard output: the replay verdict goes to standard error. */
    @Test
    void replayMachineFormatsOwnStandardOutput(@TempDir Path dir) throws Exception {
        run("check", "--policy", "stock", "--trace-out", dir.resolve("t.json").toString());
        for (String property : List.of("no-dma-fault", "isolation")) {
            String file = dir.resolve("t." + property + ".json").toString();
            CliTest.Run json = run("replay", file, "--format", "json");
            assertEquals(ExitCode.SAFETY_VIOLATED, json.code(), json.err());
            STRICT.readTree(json.out());
            assertTrue(json.err().contains("replay: the trace reproduces the violation of " + property), json.err());
            CliTest.Run svg = run("replay", file, "--format", "svg");
            svgFits(xml(svg.out()));
            assertTrue(svg.err().contains("reproduces"), svg.err());
            CliTest.Run mmd = run("replay", file, "--format", "mermaid");
            mermaid(mmd.out());
            assertTrue(mmd.err().contains("reproduces"), mmd.err());
            CliTest.Run text = run("replay", file);
            assertTrue(text.out().contains("reproduces"), "text keeps its verdict line on standard output");
        }
    }
}
