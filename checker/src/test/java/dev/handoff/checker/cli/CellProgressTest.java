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

    /**
     * A cell whose progress line blocks in the write (standard error a pipe nobody drains) must not
     * keep a signal's report from reading what was decided: it answers at once.
     */
    @Test
    void whatWasDecidedIsReadableWhileAWriteBlocks() throws Exception {
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.io.Writer blocking = new java.io.Writer() {
            public void write(char[] b, int off, int len) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            public void flush() {
            }

            public void close() {
            }
        };
        CellProgress p = new CellProgress(new PrintWriter(blocking), false, true);
        p.start(2);
        Thread cell = new Thread(() -> p.finished("stock", "fw.mapping=identity", CELL));
        cell.start();
        try {
            assertTrue(writing.await(10, java.util.concurrent.TimeUnit.SECONDS), "the cell reached its write");
            List<String> decided = java.util.concurrent.CompletableFuture.supplyAsync(p::decided)
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(1, decided.size());
            assertTrue(decided.get(0).startsWith("stock fw.mapping=identity: "), decided.toString());
            assertEquals(2, p.total());
        } finally {
            release.countDown();
            cell.join();
        }
    }

    @Test
    void nothingOffATerminalWithoutTheOption() {
        assertEquals("", drive(false, false));
    }
}
