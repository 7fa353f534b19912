package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.counterexamples.TraceJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** handoff explore's JSON API over HTTP, its guards, and the static export; the browser tests are {@link ExplorerBrowserTest}. */
class ExplorerTest {
    static ExplorerSession session;
    static ExplorerServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The session {@code handoff ARGS} would serve (ARGS start with "explore"), built as the command builds it. */
    static ExplorerSession load(String... args) throws Exception {
        CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        CommandLine.ParseResult parsed = cl.parseArgs(args);
        ExploreCommand c = (ExploreCommand) parsed.subcommand().commandSpec().userObject();
        return c.load();
    }

    @BeforeAll
    static void serve() throws Exception {
        session = load("explore", "--policy", "stock", "--policy", "fw-quiesce");
        server = ExplorerServer.start(session, "127.0.0.1", 0, new PrintWriter(new StringWriter()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status line of a request written by hand (headers the JDK's client will not send, or omits). */
    static String raw(String request) throws Exception {
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", server.port())) {
            sock.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(sock.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).lines().findFirst().orElse("");
        }
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return RunReport.JSON.readTree(r.body());
    }

    /** The first cell violating no-dma-fault, and its counterexample's steps as a path request's. */
    static JsonNode failingCell() throws Exception {
        for (JsonNode c : json(get("/api/session")).get("matrices").get(0).get("cells")) {
            if (c.get("violated").toString().contains("no-dma-fault")) {
                return c;
            }
        }
        throw new AssertionError("the default platform's stock policy violates no-dma-fault in some variant");
    }

    static String stepsOf(JsonNode trace) {
        StringBuilder sb = new StringBuilder("[");
        for (JsonNode s : trace.get("steps")) {
            sb.append(sb.length() > 1 ? "," : "").append("{\"actor\":").append(s.get("actor")).append(",\"action\":").append(s.get("action")).append('}');
        }
        return sb.append(']').toString();
    }

    @Test
    void theSessionIsTheMatrixTheSweepPrints() throws Exception {
        HttpResponse<String> r = get("/api/session");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode s = json(r);
        SchemaConsumersTest.valid("explore", s);
        assertEquals("handoff.explore/1", s.get("schema").asText());
        assertEquals("scenario", s.get("kind").asText());
        JsonNode m = s.get("matrices").get(0);
        assertEquals("[\"stock\",\"fw-quiesce\"]", m.get("policies").toString().replace(" ", ""));
        assertEquals(m.get("policies").size() * m.get("variants").size(), m.get("cells").size());
        // the same verdicts as 'handoff sweep --format json' for the same policies
        CliTest.Run sweep = CliTest.run("sweep", "--policy", "stock", "--policy", "fw-quiesce", "--format", "json");
        JsonNode cells = RunReport.JSON.readTree(sweep.out()).get("results");
        assertEquals(cells.size(), m.get("cells").size());
        for (int i = 0; i < cells.size(); i++) {
            assertEquals(cells.get(i).get("verdict").asText(), m.get("cells").get(i).get("verdict").asText(), "cell " + i);
            // the heat map's severity is the worst severity sweep gives the cell's properties
            String worst = null;
            for (JsonNode p : cells.get(i).get("properties")) {
                String sev = p.get("severity").isNull() ? null : p.get("severity").asText();
                if (sev != null && (worst == null || List.of("wrong-page", "fault", "hang", "fatal").indexOf(sev)
                        > List.of("wrong-page", "fault", "hang", "fatal").indexOf(worst))) {
                    worst = sev;
                }
            }
            JsonNode shown = m.get("cells").get(i).get("severity");
            assertEquals(worst, shown.isNull() ? null : shown.asText(), "cell " + i);
        }
        assertTrue(m.get("cells").findValuesAsText("severity").contains("fatal"), "stock on the C630 resets the machine in some variant");
    }

    @Test
    void aCellIsItsCheckAndItsCounterexampleReplaysAsARun() throws Exception {
        JsonNode cell = failingCell();
        JsonNode check = json(get("/api/cell?id=" + cell.get("id").asText()));
        assertEquals(HandoffReports.CHECK_SCHEMA, check.get("schema").asText());
        JsonNode trace = check.get("properties").get(0).get("trace");
        assertNotNull(trace, check.toString());
        JsonNode run = json(post("/api/path", "{\"cell\":\"" + cell.get("id").asText() + "\",\"property\":\"no-dma-fault\",\"steps\":"
                + stepsOf(trace) + "}"));
        SchemaConsumersTest.valid("explore", run);
        SchemaConsumersTest.valid("check", check);
        com.fasterxml.jackson.databind.node.ObjectNode cut = run.deepCopy();
        cut.remove("terminal");
        assertFalse(SchemaConsumersTest.schema("explore").validate(cut).isEmpty(), "the schema refuses a path answer without terminal");
        assertEquals(trace.get("steps"), run.get("trace").get("steps"), "the run of its steps is the counterexample, change by change");
        assertEquals(trace.get("witness"), run.get("trace").get("witness"));
        assertEquals(trace.get("explanation"), run.get("trace").get("explanation"));
        assertTrue(run.get("violated").toString().contains("no-dma-fault"));
        assertTrue(run.get("trace").get("initial").size() > 10, "the initial state's fields, for the register view");
    }

    @Test
    void stepsTakenOnDemandAreExportedAsATraceReplayAccepts(@TempDir Path dir) throws Exception {
        String id = failingCell().get("id").asText();
        StringBuilder steps = new StringBuilder();
        JsonNode run = json(post("/api/path", "{\"cell\":\"" + id + "\",\"steps\":[]}"));
        // always take the last enabled action: a run no search order produces first
        for (int n = 0; n < 40 && run.get("enabled").size() > 0; n++) {
            JsonNode a = run.get("enabled").get(run.get("enabled").size() - 1);
            steps.append(steps.length() > 0 ? "," : "").append("{\"actor\":").append(a.get("actor")).append(",\"action\":").append(a.get("action")).append('}');
            run = json(post("/api/path", "{\"cell\":\"" + id + "\",\"steps\":[" + steps + "]}"));
        }
        assertTrue(run.get("terminal").asBoolean(), "the run ends: every actor finishes or a failure latches");
        Path f = dir.resolve("mine.json");
        Files.writeString(f, RunReport.JSON.writeValueAsString(run.get("trace")));
        TraceJson.read(f);
        CliTest.Run replay = CliTest.run("replay", f.toString());
        boolean violated = run.get("violated").size() > 0;
        assertEquals(violated ? ExitCode.SAFETY_VIOLATED : ExitCode.HOLDS, replay.code() == ExitCode.DEADLOCK ? ExitCode.SAFETY_VIOLATED
                : replay.code(), replay.out() + replay.err());
        assertTrue(replay.out().contains(violated ? "reproduces the violation of " + run.get("trace").get("property").asText() : "valid run"),
                replay.out());
    }

    @Test
    void resolveAnswersRouteAndOutcomeAtAStep() throws Exception {
        String id = failingCell().get("id").asText();
        String fw = "[{\"actor\":\"firmware\",\"action\":\"program-smmu\"}]";
        JsonNode before = json(post("/api/resolve", "{\"cell\":\"" + id + "\",\"steps\":" + fw + ",\"at\":0,\"sid\":\"0x880\",\"iova\":\"0x40000000\"}"));
        JsonNode after = json(post("/api/resolve", "{\"cell\":\"" + id + "\",\"steps\":" + fw + ",\"at\":1,\"sid\":\"0x880\",\"iova\":\"0x40000000\"}"));
        SchemaConsumersTest.valid("explore", before);
        assertEquals("sCR0.CLIENTPD=1", before.get("routes").get(0).get("route").asText(), "out of reset: the SMMU is bypassed");
        assertEquals("0x40000000", before.get("routes").get(0).get("pa").asText(), "bypass: PA = IOVA");
        assertTrue(after.get("routes").get(0).get("route").asText().startsWith("SMR[0] -> S2CR[0]"), after.toString());
        assertTrue(after.get("master").asText().startsWith("the display"), after.toString());
    }

    @Test
    void badRequestsAreNamedAndRefused() throws Exception {
        String id = failingCell().get("id").asText();
        HttpResponse<String> r = post("/api/path", "{\"cell\":\"" + id + "\",\"steps\":[{\"actor\":\"kernel\",\"action\":\"nope\"}]}");
        assertEquals(400, r.statusCode());
        assertEquals("steps: step 1 (kernel: nope): this scenario's model has no such action", json(r).get("error").asText());
        SchemaConsumersTest.valid("explore", json(r));
        r = post("/api/path", "{\"cell\":\"" + id + "\",\"steps\":[{\"actor\":\"firmware\",\"action\":\"handoff\"}]}");
        assertEquals(400, r.statusCode());
        assertTrue(json(r).get("error").asText().contains("not enabled"), r.body());
        assertEquals(404, post("/api/path", "{\"cell\":\"nope\"}").statusCode());
        // a name from the request is echoed escaped: the error stays one line (Jazzer found the newline)
        HttpResponse<String> newline = post("/api/path", "{\"cell\":\"" + id + "\",\"steps\":[{\"actor\":\"firmware\",\"action\":\"start-sc\\nout\"}]}");
        assertEquals(400, newline.statusCode());
        assertEquals("steps: step 1 (firmware: start-sc\\u000aout): this scenario's model has no such action", json(newline).get("error").asText());
        HttpResponse<String> notJson = post("/api/path", "{bad");
        assertEquals(400, notJson.statusCode());
        assertTrue(json(notJson).get("error").asText().matches("the request body is not JSON: [^\\[]*\\(line 1, column \\d+\\)"),
                "one line, with no parser internals: " + notJson.body());
        assertEquals(400, post("/api/resolve", "{\"cell\":\"" + id + "\",\"sid\":\"0xzz\",\"iova\":\"0\"}").statusCode());
        assertEquals(400, post("/api/path", "{\"cell\":\"" + id + "\",\"property\":\"fast\"}").statusCode());
        assertEquals(405, get("/api/path").statusCode());
        assertEquals(405, post("/api/session", "{}").statusCode());
        assertEquals(404, get("/etc/passwd").statusCode());
        assertEquals(413, post("/api/path", "[" + "0,".repeat(600_000) + "0]").statusCode());
        // a page elsewhere reaching this port through its own DNS name
        // Host: a page elsewhere reaching this port through a DNS name of its own is refused; an IP
        // literal or localhost, with this port, is what a browser sends here
        int port = server.port();
        assertEquals("HTTP/1.1 403 Forbidden", raw("GET /api/session HTTP/1.1\r\nHost: attacker.example:" + port + "\r\nConnection: close\r\n\r\n"));
        assertEquals("HTTP/1.1 403 Forbidden", raw("GET /api/session HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n"));
        assertEquals("HTTP/1.1 200 OK", raw("GET /api/session HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n"));
        assertEquals("HTTP/1.1 200 OK", raw("GET / HTTP/1.1\r\nHost: [::1]:" + port + "\r\nConnection: close\r\n\r\n"));
        // a POST that a form or a no-cors fetch from another page could send is refused before any work
        String body = "{\"cell\":\"" + id + "\",\"steps\":[]}";
        assertEquals("HTTP/1.1 415 Unsupported Media Type", raw("POST /api/path HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body));
        assertEquals("HTTP/1.1 403 Forbidden", raw("POST /api/path HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: application/json\r\nSec-Fetch-Site: cross-site\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body));
        assertEquals("HTTP/1.1 400 Bad Request", raw("GET /api/cell?id=%zz HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n"));
        // numbers: step, stream ID and IOVA
        String fw = "\"steps\":[{\"actor\":\"firmware\",\"action\":\"program-smmu\"}]";
        HttpResponse<String> at = post("/api/resolve", "{\"cell\":\"" + id + "\"," + fw + ",\"at\":\"1\",\"sid\":\"0x880\",\"iova\":\"0\"}");
        assertEquals(400, at.statusCode());
        assertTrue(json(at).get("error").asText().startsWith("at: \"1\" is not a step number"), at.body());
        assertEquals(400, post("/api/resolve", "{\"cell\":\"" + id + "\"," + fw + ",\"at\":2,\"sid\":\"0x880\",\"iova\":\"0\"}").statusCode());
        HttpResponse<String> wide = post("/api/resolve", "{\"cell\":\"" + id + "\"," + fw + ",\"sid\":\"0x8880\",\"iova\":\"0\"}");
        assertEquals(400, wide.statusCode());
        assertTrue(json(wide).get("error").asText().contains("15-bit stream IDs"), wide.body());
        HttpResponse<String> negative = post("/api/resolve", "{\"cell\":\"" + id + "\"," + fw + ",\"sid\":-5,\"iova\":\"0\"}");
        assertTrue(json(negative).get("error").asText().startsWith("sid: -5 is out of range"), negative.body());
        HttpResponse<String> huge = post("/api/resolve", "{\"cell\":\"" + id + "\"," + fw + ",\"sid\":\"0x880\",\"iova\":18446744073709551616}");
        assertTrue(json(huge).get("error").asText().startsWith("iova: 18446744073709551616 is out of range"), huge.body());
        HttpResponse<String> fraction = post("/api/resolve", "{\"cell\":\"" + id + "\"," + fw + ",\"sid\":1.5,\"iova\":\"0\"}");
        assertTrue(json(fraction).get("error").asText().startsWith("sid: 1.5 is not an integer"), fraction.body());
    }

    /** Another master's stream: the route and the page it reaches, but no right-page judgement (that is the display's). */
    @Test
    void anotherMastersStreamIsNotJudgedAgainstTheDisplaysFramebuffer() throws Exception {
        String id = failingCell().get("id").asText();
        JsonNode r = json(post("/api/resolve", "{\"cell\":\"" + id + "\",\"steps\":[],\"sid\":\"0x100\",\"iova\":\"0x1000\"}"));
        assertFalse(r.get("display").asBoolean());
        assertEquals("ufs@1d84000", r.get("master").asText());
        assertEquals("sCR0.CLIENTPD=1", r.get("routes").get(0).get("route").asText());
        assertEquals("0x1000", r.get("routes").get(0).get("pa").asText());
        assertEquals(0, r.get("routes").get(0).get("outcomes").size(), "untranslated, but no framebuffer to be wrong about");
        assertEquals("bypass", r.get("routes").get(0).get("kind").asText(), "what isolation is about: untranslated");
        JsonNode d = json(post("/api/resolve", "{\"cell\":\"" + id + "\",\"steps\":[],\"sid\":\"0x880\",\"iova\":\"0x1000\"}"));
        assertTrue(d.get("display").asBoolean());
        assertEquals("[\"wrong-page\"]", d.get("routes").get(0).get("outcomes").toString(), "the display's fetch at 0x1000 is not its framebuffer");
    }

    @Test
    void thePageAndItsAssetsComeFromTheJarWithNoExternalReference() throws Exception {
        for (String p : List.of("/", "/explorer.js", "/explorer.css", "/data.js")) {
            HttpResponse<String> r = get(p);
            assertEquals(200, r.statusCode(), p);
            // the SVG namespace is a name, not a fetch; any other absolute URL would be an external reference
            assertFalse(r.body().replace("http://www.w3.org/2000/svg", "").matches("(?s).*(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}.*"),
                    p + " references nothing outside this server");
        }
        assertTrue(get("/data.js").body().contains("HANDOFF_STATIC = null"), "served: the page asks the API");
        assertTrue(get("/").headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
    }

    @Test
    void exportWritesTheViewsAndEveryCounterexamplesRun(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("site");
        CliTest.Run r = CliTest.run("explore", "--policy", "stock", "--export", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Set.of("index.html", "explorer.js", "explorer.css", "data.js"),
                Set.copyOf(Files.list(out).map(p -> p.getFileName().toString()).toList()));
        String data = Files.readString(out.resolve("data.js"));
        JsonNode d = RunReport.JSON.readTree(data.substring(data.indexOf('=') + 1, data.lastIndexOf(';')));
        assertEquals("handoff.explore/1", d.get("session").get("schema").asText());
        int traces = 0;
        for (JsonNode cell : d.get("cells")) {
            for (JsonNode p : cell.get("properties")) {
                traces += p.get("trace").isNull() ? 0 : 1 + p.get("moreTraces").size();
            }
        }
        assertTrue(traces > 0);
        assertEquals(traces, d.get("paths").size(), "one run per counterexample");
        try (var left = Files.list(dir)) {
            assertEquals(List.of(out), left.toList(), "no temporary directory is left beside it");
        }
        CliTest.Run again = CliTest.run("explore", "--policy", "stock", "--export", out.toString());
        assertEquals(ExitCode.BAD_INPUT, again.code());
        assertTrue(again.err().contains("the directory is not empty"), again.err());
    }

    @Test
    void aTraceFileOpensOnItsRunAndATamperedOneIsBadInput(@TempDir Path dir) throws Exception {
        CliTest.Run check = CliTest.run("check", "--policy", "stock", "--property", "no-dma-fault", "--trace-out", dir.resolve("t.json").toString());
        assertEquals(ExitCode.SAFETY_VIOLATED, check.code(), check.err());
        Path file = dir.resolve("t.no-dma-fault.json");
        ExplorerSession s = load("explore", "--trace", file.toString());
        JsonNode root = s.session();
        SchemaConsumersTest.valid("explore", root);
        assertEquals("trace", root.get("kind").asText());
        assertEquals(0, root.get("matrices").size());
        JsonNode opened = root.get("opened").get(0);
        assertEquals("no-dma-fault", opened.get("property").asText());
        com.fasterxml.jackson.databind.node.ObjectNode request = RunReport.JSON.createObjectNode();
        request.put("cell", opened.get("cell").asText()).put("property", opened.get("property").asText()).set("steps", opened.get("steps"));
        JsonNode run = s.path(request);
        JsonNode written = RunReport.JSON.readTree(Files.readString(file));
        assertEquals(written.get("steps"), run.get("trace").get("steps"), "the page shows the file's run as the model replays it");
        assertEquals(written.get("initial"), run.get("trace").get("initial"));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(file).replaceFirst("\"action\" : \"program-smmu\"", "\"action\" : \"start-scanout\""));
        CliTest.Run tampered = CliTest.run("explore", "--trace", bad.toString(), "--export", dir.resolve("site").toString());
        assertEquals(ExitCode.BAD_INPUT, tampered.code(), tampered.err());
        assertTrue(tampered.err().contains("replay diverges at step 1"), tampered.err());
        assertFalse(Files.exists(dir.resolve("site")), "nothing exported for bad input");
    }

    @Test
    void aBoardWithoutAModellableDisplayShowsItsFactsAndWhyThereIsNoMatrix(@TempDir Path dir) throws Exception {
        dev.handoff.model.board.FdtWriter w = new dev.handoff.model.board.FdtWriter();
        w.root.cells("#address-cells", 2).cells("#size-cells", 2).str("model", "no display").cells("interrupt-parent", 1);
        w.root.child("interrupt-controller@17a00000").cells("#interrupt-cells", 3).cells("phandle", 1).flag("interrupt-controller");
        dev.handoff.model.board.FdtWriter.Node soc = w.root.child("soc@0").cells("#address-cells", 2).cells("#size-cells", 2);
        soc.child("iommu@15000000").str("compatible", "qcom,sdm845-smmu-500", "arm,mmu-500").cells("#iommu-cells", 2)
                .cells("#global-interrupts", 1).cells("interrupts", 0, 65, 4, 0, 96, 4).cells("phandle", 2);
        soc.child("ufshc@1d84000").str("compatible", "qcom,sdm845-ufshc").cells("iommus", 2, 0x100, 0xf);
        Path f = dir.resolve("nodisplay.dtb");
        Files.write(f, w.build());
        JsonNode root = load("explore", "--board", f.toString()).session();
        assertEquals(0, root.get("matrices").size());
        assertEquals("no display", root.get("board").get("model").asText());
        assertFalse(root.get("noMatrix").asText().isEmpty(), root.toString());
        SchemaConsumersTest.valid("explore", root);
    }

    @Test
    void usageErrors(@TempDir Path dir) throws Exception {
        assertEquals(ExitCode.USAGE, CliTest.run("explore", "--port", "70000").code());
        CliTest.Run both = CliTest.run("explore", "--trace", "a.json", "--board", "b.dtb");
        assertEquals(ExitCode.USAGE, both.code());
        assertTrue(both.err().contains("give one of --board, --acpi and --trace"), both.err());
        Path never = dir.resolve("never");
        CliTest.Run missing = CliTest.run("explore", "--trace", dir.resolve("none.json").toString(), "--export", never.toString());
        assertEquals(ExitCode.BAD_INPUT, missing.code(), missing.err());
        assertFalse(Files.exists(never));
        CliTest.Run traceAndSet = CliTest.run("explore", "--trace", "t.json", "--set", "fw.mapping=identity");
        assertEquals(ExitCode.USAGE, traceAndSet.code());
        assertTrue(traceAndSet.err().contains("--set does not apply to --trace"), traceAndSet.err());
        CliTest.Run emptyExport = CliTest.run("explore", "--export", "");
        assertEquals(ExitCode.USAGE, emptyExport.code());
        assertTrue(emptyExport.err().contains("--export: give a directory"), emptyExport.err());
        CliTest.Run exportAndPort = CliTest.run("explore", "--export", never.toString(), "--port", "0");
        assertEquals(ExitCode.USAGE, exportAndPort.code());
        assertTrue(exportAndPort.err().contains("--port does not apply to --export"), exportAndPort.err());
        // the address and port are taken before any check runs
        CliTest.Run busy = CliTest.run("explore", "--port", Integer.toString(server.port()));
        assertEquals(ExitCode.USAGE, busy.code());
        assertTrue(busy.err().contains("cannot serve on 127.0.0.1:" + server.port()), busy.err());
        CliTest.Run host = CliTest.run("explore", "--bind", "no-such-host.invalid");
        assertEquals(ExitCode.USAGE, host.code());
        assertTrue(host.err().contains("--bind: \"no-such-host.invalid\" is not an address of this machine"), host.err());
    }

    @Test
    void anExportThatCannotBeWrittenIsExit74AndLeavesNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plain");
        Files.writeString(file, "not a directory");
        CliTest.Run r = CliTest.run("explore", "--policy", "stock", "--vary", "fw.mapping", "--export", file.resolve("site").toString());
        assertEquals(ExitCode.CANNOT_WRITE, r.code(), r.err());
        assertTrue(r.err().startsWith("handoff: --export " + file.resolve("site")), r.err());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList());
        }
    }

    /** An existing empty directory (perhaps the working one) is filled in place, not replaced. */
    @Test
    void anEmptyDirectoryIsFilledInPlace(@TempDir Path dir) throws Exception {
        Path site = Files.createDirectory(dir.resolve("site"));
        Object key = Files.readAttributes(site, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        CliTest.Run r = CliTest.run("explore", "--policy", "fw-quiesce", "--export", site.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(key, Files.readAttributes(site, java.nio.file.attribute.BasicFileAttributes.class).fileKey(), "the same directory");
        assertTrue(Files.exists(site.resolve("index.html")) && Files.exists(site.resolve("data.js")));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(site), left.toList(), "no temporary file or directory is left");
        }
        try (var inside = Files.list(site)) {
            assertEquals(4, inside.count(), "index.html, explorer.js, explorer.css, data.js and nothing else");
        }
    }
}
