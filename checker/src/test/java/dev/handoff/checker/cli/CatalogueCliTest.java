package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.handoff.checker.cli.BoardCliTest.sharedDtb;
import static dev.handoff.checker.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code handoff catalogue}: every board of a directory of DTBs in one run, the unreadable ones counted by reason. */
class CatalogueCliTest {
    /**
     * The shared DTBs and a junk file: every real board is checked (a display each, Tegra186's
     * three heads), each display's cells are the policies times the varied firmware facts, the
     * junk is counted as unreadable, and the per-policy counts add up to the checked displays.
     */
    @Test
    void everyBoardOfADirectoryOrCountedByReason(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.dtb");
        Files.write(junk, new byte[] {1, 2, 3, 4});
        Path boards = sharedDtb("sdm850-lenovo-yoga-c630.dtb").getParent();
        CliTest.Run r = run("catalogue", boards.toString(), junk.toString(), "--policy", "qcom-bypass", "--policy", "fw-quiesce",
                "--format", "json");
        assertEquals(ExitCode.HOLDS, r.code(), r.err());
        JsonNode root = RunReport.JSON.readTree(r.out());
        SchemaConsumersTest.valid("catalogue", root);
        long dtbs;
        try (var files = Files.list(boards)) {
            dtbs = files.filter(f -> f.toString().endsWith(".dtb")).count();
        }
        assertEquals(dtbs + 1, root.get("boards").size());
        assertEquals(dtbs, root.get("summary").get("checked").asLong());
        assertEquals(1, root.get("summary").get("notChecked").get("unreadable").asInt());
        int displays = 0;
        for (JsonNode b : root.get("boards")) {
            if (b.get("file").asText().endsWith("junk.dtb")) {
                assertEquals("unreadable", b.get("reasonKind").asText());
                assertTrue(!b.get("checked").asBoolean() && b.get("displays").isEmpty());
                continue;
            }
            for (JsonNode d : b.get("displays")) {
                displays++;
                if (b.get("file").asText().endsWith("sdm850-lenovo-yoga-c630.dtb")) {
                    assertEquals(2 * 2 * 3, d.get("cells").size(), "2 policies x fw.mapping x fw.smr");
                }
            }
        }
        assertTrue(displays >= dtbs, "every checked board has a display");
        for (JsonNode p : root.get("summary").get("perPolicy")) {
            assertEquals(displays, p.get("safe").asInt() + p.get("unsafe").asInt());
            // each display's worst outcome, counted once: the counts add up, and "safe" is the safe count
            int worst = 0;
            for (JsonNode n : p.get("worst")) {
                worst += n.asInt();
            }
            assertEquals(displays, worst, p.toString());
            assertEquals(p.get("safe").asInt(), p.get("worst").path("safe").asInt(0), p.toString());
        }
        CliTest.Run text = run("catalogue", boards.toString(), "--policy", "fw-quiesce", "--vary", "fw.mapping");
        assertTrue(text.out().matches("(?s).*\\n  fw-quiesce  safe on \\d+ display\\(s\\), unsafe on \\d+ \\(worst: [a-z-]+ \\d+.*"), text.out());
        CliTest.Run md = run("catalogue", boards.toString(), "--policy", "fw-quiesce", "--format", "markdown");
        assertTrue(md.out().contains("| fw-quiesce | "), md.out());
        assertTrue(md.out().contains("| policy | safe on | unsafe on | worst outcome on each display |"), md.out());
        assertTrue(md.out().contains("| sdm850-lenovo-yoga-c630.dtb | `/soc@0/display-subsystem@ae00000` | "), md.out());
    }

    @Test
    void noBoardsIsAnError(@TempDir Path dir) throws Exception {
        assertEquals(ExitCode.USAGE, run("catalogue").code());
        assertEquals(ExitCode.BAD_INPUT, run("catalogue", dir.resolve("nope").toString()).code(), "a missing input, as the help says");
        CliTest.Run empty = run("catalogue", dir.toString());
        assertEquals(ExitCode.BAD_INPUT, empty.code());
        assertTrue(empty.err().contains("no *.dtb under"), empty.err());
        Path junk = dir.resolve("junk.dtb");
        Files.write(junk, new byte[] {1, 2, 3, 4});
        CliTest.Run unreadable = run("catalogue", junk.toString());
        assertEquals(ExitCode.BAD_INPUT, unreadable.code());
        assertEquals("handoff: no readable DTB among 1 file(s)", unreadable.err().trim());
    }
}
