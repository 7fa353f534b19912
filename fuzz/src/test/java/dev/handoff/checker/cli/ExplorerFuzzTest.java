package dev.handoff.checker.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The explorer's JSON API (POST /api/path and /api/resolve) fed arbitrary bodies: an answer or a
 * {@link ExplorerSession.RequestException} (HTTP 4xx with one line), never anything else (the
 * server would answer 500 and log an internal error). In this package to reach the session
 * without HTTP; the first byte of an input picks the endpoint, the rest is the body.
 */
class ExplorerFuzzTest {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static ExplorerSession session;

    private static synchronized ExplorerSession session() throws Exception {
        if (session == null) {
            CommandLine cl = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
            CommandLine.ParseResult parsed = cl.parseArgs("explore", "--policy", "stock", "--vary", "fw.mapping");
            session = ((ExploreCommand) parsed.subcommand().commandSpec().userObject()).load();
        }
        return session;
    }

    @FuzzTest(maxExecutions = 40000, maxDuration = "60s")
    void request(byte[] input) throws Exception {
        if (input.length < 1) {
            return;
        }
        JsonNode body;
        try {
            body = STRICT.readTree(java.util.Arrays.copyOfRange(input, 1, input.length));
        } catch (java.io.IOException notJson) {
            return; // the server answers 400 before the session sees it
        }
        try {
            JsonNode answer = (input[0] & 1) == 0 ? session().path(body) : session().resolve(body);
            if (!answer.path("schema").asText().equals(ExplorerSession.SCHEMA)) {
                throw new AssertionError("an answer without its schema: " + answer);
            }
        } catch (ExplorerSession.RequestException refused) {
            if (refused.status < 400 || refused.status > 499 || refused.getMessage().contains("\n")) {
                throw new AssertionError("a refusal must be a 4xx with one line: " + refused.status + " " + refused.getMessage());
            }
        }
    }
}
