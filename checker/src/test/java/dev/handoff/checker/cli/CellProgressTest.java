package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.SearchListener;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cell progress: a line per cell for logs, one line rewritten in place on a terminal, nothing otherwise. */
class CellProgressTest {
    private static final HandoffCheck.Outcome CELL = HandoffCheck.run(Scenario.of(Platforms.C630, "stock", Map.of()), List.of(),
            true, ExplorationSettings.defaults(), SearchListener.NONE);

    private static String drive(boolean terminal, boolean lines) {
        StringWriter w = new StringWriter();
        CellProgress p = new CellProgress(new PrintWriter(w), terminal, lines);
        p.start(2);
        p.finished("stock", "fw.mapping=identity", CELL);
        p.finished("stock", "fw.mapping=translated", CELL);
        p.end();
        return w.toString();
    }

    @Test
    void linesForLogs() {
        String out = drive(false, true);
        assertEquals(List.of("[1/2] stock fw.mapping=identity: ", "[2/2] stock fw.mapping=translated: "),
                out.lines().map(l -> l.substring(0, l.indexOf(": ") + 2)).toList());
        assertTrue(out.lines().allMatch(l -> l.contains("no-dma-fault:fatal isolation (")), out);
    }

    @Test
    void oneLiveLineOnATerminalClearedAtTheEnd() {
        String out = drive(true, false);
        assertEquals(0, out.chars().filter(c -> c == '\n').count(), "never a new line: " + out);
        assertTrue(out.startsWith("\r[1/2] stock") && out.contains("\r[2/2] stock"), out);
        assertTrue(out.endsWith("\r\u001b[K"), "cleared at the end");
    }

    @Test
    void nothingOffATerminalWithoutTheOption() {
        assertEquals("", drive(false, false));
    }
}
