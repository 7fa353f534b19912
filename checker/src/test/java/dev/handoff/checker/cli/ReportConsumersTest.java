package dev.handoff.checker.cli;

import dev.handoff.counterexamples.Reports;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestCase;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableBody;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.handoff.checker.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CI reports handed to the programs that read them: JUnit XML to an XSD validator (the JUnit
 * dialect of Jenkins' junit-10.xsd, restated in test resources) and to Maven Surefire's own
 * report parser; markdown to a CommonMark parser with GitHub's table extension.
 */
class ReportConsumersTest {
    static void validJunit(String xml) throws Exception {
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(ReportConsumersTest.class.getResource("/junit/junit-jenkins-dialect.xsd"));
        schema.newValidator().validate(new StreamSource(new StringReader(xml)));
    }

    static List<ReportTestSuite> surefire(Path dir, String xml) throws Exception {
        Path f = dir.resolve("TEST-handoff.xml");
        Files.writeString(f, xml, StandardCharsets.UTF_8);
        TestSuiteXmlParser parser = new TestSuiteXmlParser(new NullConsoleLogger());
        List<ReportTestSuite> suites = parser.parse(f.toString());
        assertTrue(parser.isValid(), "Surefire's parser accepts the report");
        return suites;
    }

    @Test
    void sweepJunitValidatesAndSurefireReadsEveryCase(@TempDir Path dir) throws Exception {
        CliTest.Run r = run("sweep", "--policy", "stock", "--policy", "fw-quiesce", "--format", "junit");
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        validJunit(r.out());
        List<ReportTestSuite> suites = surefire(dir, r.out());
        List<ReportTestCase> cases = new ArrayList<>();
        suites.forEach(s -> cases.addAll(s.getTestCases()));
        assertEquals(24, cases.size(), "2 policies x 2 variants x 6 properties");
        for (ReportTestCase c : cases) {
            // Surefire splits the classname at its last dot: package = platform, class = policy
            assertTrue(c.getFullClassName().equals("c630.stock") || c.getFullClassName().equals("c630.fw-quiesce"), c.getFullClassName());
            assertTrue(c.getClassName().equals("stock") || c.getClassName().equals("fw-quiesce"), c.getClassName());
            assertTrue(c.getName().matches("[a-z-]+ \\[fw\\.mapping=(identity|translated)]"), c.getName());
        }
        long failed = cases.stream().filter(c -> !c.isSuccessful()).count();
        assertEquals(r.out().split("<failure ", -1).length - 1, failed, "every failure is read as one");
        assertTrue(cases.stream().anyMatch(c -> c.getFullName().contains("stock") && c.getName().startsWith("no-dma-fault")
                && "fatal".equals(c.getFailureType())), "the failure type is the severity");
    }

    @Test
    void inconclusiveChecksAreErrorsWithTheirReason(@TempDir Path dir) throws Exception {
        CliTest.Run r = run("check", "--policy", "stock", "--max-states", "20", "--format", "junit");
        validJunit(r.out());
        List<ReportTestCase> cases = new ArrayList<>();
        surefire(dir, r.out()).forEach(s -> cases.addAll(s.getTestCases()));
        assertTrue(cases.stream().anyMatch(ReportTestCase::hasError), r.out());
        assertTrue(r.out().contains("errors=\"") && !r.out().contains("<testsuites name=\"handoff\" tests=\"6\" failures=\"0\" errors=\"0\""), r.out());
        assertTrue(r.out().contains("<error type=\"inconclusive\" message=\"inconclusive: "), r.out());
    }

    @Test
    void boardJunitMarksPoliciesItCannotRunAsSkipped(@TempDir Path dir) throws Exception {
        Path dtb = BoardCliTest.sharedDtb("sdm850-lenovo-yoga-c630.dtb");
        CliTest.Run r = run("board", dtb.toString(), "--format", "junit");
        validJunit(r.out());
        List<ReportTestCase> cases = new ArrayList<>();
        surefire(dir, r.out()).forEach(s -> cases.addAll(s.getTestCases()));
        assertTrue(cases.stream().anyMatch(c -> c.hasSkipped() && c.getClassName().equals("rmr-dma")), r.out());
        assertTrue(cases.stream().anyMatch(c -> !c.isSuccessful() && !c.hasSkipped()), "the board's violations are failures");
    }

    /** Text of a node and its children. */
    private static String text(Node n) {
        StringBuilder sb = new StringBuilder();
        n.accept(new AbstractVisitor() {
            @Override
            public void visit(Text t) {
                sb.append(t.getLiteral());
            }
        });
        return sb.toString();
    }

    @Test
    void sweepMarkdownTableEndsWhereTheTableEnds() {
        CliTest.Run r = run("sweep", "--format", "markdown");
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        Node doc = Parser.builder().extensions(List.of(TablesExtension.create())).build().parse(r.out());
        List<TableBlock> tables = new ArrayList<>();
        List<String> paragraphs = new ArrayList<>();
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(CustomBlock b) {
                if (b instanceof TableBlock t) {
                    tables.add(t);
                }
            }

            @Override
            public void visit(Paragraph p) {
                paragraphs.add(text(p));
            }
        });
        assertEquals(1, tables.size(), "one table: the matrix");
        int rows = 0;
        for (Node n = tables.get(0).getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof TableBody body) {
                for (Node row = body.getFirstChild(); row != null; row = row.getNext()) {
                    rows += row instanceof TableRow ? 1 : 0;
                }
            }
        }
        assertEquals(15, rows, "a row per policy and nothing else");
        assertTrue(paragraphs.stream().anyMatch(p -> p.matches("30 checks, [0-9,]+ states, .* s of search")), paragraphs.toString());
        assertTrue(r.out().length() < 1024 * 1024, "under GitHub's step summary limit");
    }

    /** The catalogue's markdown, as GitHub's step summary reads it: the per-policy table and a row per display, nothing else a table. */
    @Test
    void catalogueMarkdownTablesParse() {
        CliTest.Run r = run(CatalogueShardTest.args("--format", "markdown").toArray(String[]::new));
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        Node doc = Parser.builder().extensions(List.of(TablesExtension.create())).build().parse(r.out());
        List<TableBlock> tables = new ArrayList<>();
        doc.accept(new AbstractVisitor() {
            @Override
            public void visit(CustomBlock b) {
                if (b instanceof TableBlock t) {
                    tables.add(t);
                }
            }
        });
        assertEquals(2, tables.size(), "the policies and the displays (every shared board is checked: no reasons table)");
        String policies = text(tables.get(0));
        assertTrue(policies.contains("fw-quiesce") && policies.contains("qcom-bypass") && policies.contains("worst outcome"), policies);
        String displays = text(tables.get(1));
        assertTrue(displays.contains("sdm850-lenovo-yoga-c630.dtb"), displays);
        // a row per checked display: one each, Tegra186's three heads
        Node body = tables.get(1).getLastChild();
        assertTrue(body instanceof org.commonmark.ext.gfm.tables.TableBody, "a table body");
        int rows = 0;
        for (Node n = body.getFirstChild(); n != null; n = n.getNext()) {
            rows++;
        }
        assertEquals(7, rows, displays);
    }

    @Test
    void markdownStaysUnderItsBudgetAndSaysWhatItLeftOut() {
        CliTest.Run r = run("sweep", "--policy", "stock", "--format", "markdown");
        int full = r.out().length();
        StringBuilder sb = new StringBuilder();
        List<Reports.Entry> entries = new ArrayList<>();
        var o = HandoffCheck.run(dev.handoff.model.scenario.Scenario.of(dev.handoff.model.scenario.Platforms.C630, "stock",
                java.util.Map.of()), List.of(), true, dev.handoff.engine.ExplorationSettings.defaults(),
                dev.handoff.engine.SearchListener.NONE);
        entries.addAll(HandoffReports.entries(List.of(o, o, o, o), List.of(java.util.Map.of(), java.util.Map.of(),
                java.util.Map.of(), java.util.Map.of())));
        int budget = 20_000;
        Reports.details(sb, entries, budget);
        assertTrue(full > budget, "the unbudgeted report is larger than this budget: " + full);
        assertTrue(sb.length() <= budget + 2_000, "kept near the budget: " + sb.length());
        assertTrue(sb.toString().contains("more counterexample"), sb.toString());
        assertFalse(sb.isEmpty());
    }
}
