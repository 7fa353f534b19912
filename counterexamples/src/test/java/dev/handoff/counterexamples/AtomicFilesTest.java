package dev.handoff.counterexamples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Output files are whole or absent, and a dead run's temporary files do not pile up. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aDeadRunsTemporaryFileIsRemovedByTheNextWrite() throws Exception {
        Path target = dir.resolve("t.json");
        long dead = deadPid();
        Path stale = dir.resolve(".t.json." + dead + "-1f2e3d.tmp");
        Path alive = dir.resolve(".t.json." + ProcessHandle.current().pid() + "-abc.tmp");
        Path other = dir.resolve(".u.json." + dead + "-1f2e3d.tmp");
        for (Path p : List.of(stale, alive, other)) {
            Files.writeString(p, "half");
        }
        AtomicFiles.write(target, "whole\n");
        assertEquals("whole\n", Files.readString(target));
        assertFalse(Files.exists(stale), "a temporary sibling of a process that is gone is deleted");
        assertTrue(Files.exists(alive), "a running process's temporary file is left to it");
        assertTrue(Files.exists(other), "another file's temporary siblings are not this write's business");
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "the write leaves no temporary file of its own");
        }
    }

    @Test
    void neutraliseReplacesOnlyWhatCanDriveATerminal() {
        assertEquals("plain text\twith tab\n", Printable.neutralise("plain text\twith tab\n"));
        assertEquals("a\u241b[2Jb\u240dc\u2421d\ufffde\ufffdf", Printable.neutralise("a\u001b[2Jb\rc\u007fd\u009be\u202ef"));
        assertEquals("ünïcödé ✓", Printable.neutralise("ünïcödé ✓"));
    }

    /** A process ID no process has now. */
    static long deadPid() {
        for (long pid = 4_000_000; ; pid++) {
            if (ProcessHandle.of(pid).isEmpty()) {
                return pid;
            }
        }
    }
}
