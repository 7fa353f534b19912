package dev.handoff.counterexamples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Output files are never half-written: the text goes to a hidden sibling, which is then renamed
 * over the target. The sibling is created like any other file (the user's umask applies, unlike
 * {@link Files#createTempFile}, which makes it private). The sibling is named
 * {@code .NAME.PID-RANDOM.tmp}; it is deleted if the process ends (SIGINT, SIGTERM) before the
 * rename, and a sibling left by a process that no longer runs (SIGKILL, a power cut) is deleted by
 * the next write of the same file.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path path, String text) throws IOException {
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            if (Files.isDirectory(path)) {
                throw new IOException("is a directory");
            }
            // a device, a FIFO, /dev/stdout: written in place (renaming over it would replace it)
            try (var out = Files.newOutputStream(path, StandardOpenOption.WRITE)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        // a symbolic link to a file: its target is replaced, the link stays
        Path target = (Files.isSymbolicLink(path) && Files.exists(path) ? path.toRealPath() : path).toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        String prefix = "." + target.getFileName() + ".";
        removeStale(dir, prefix);
        Path tmp = target.resolveSibling(prefix + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        // A write holds the read side of GATE from before its temporary file exists until after it
        // is renamed or deleted; the shutdown hook takes the write side, so it waits for writes in
        // progress and no write starts after it (the process's other threads keep running while
        // the hooks do, and a file created after the hook looked would stay behind).
        if (!GATE.readLock().tryLock()) {
            throw new IOException("the process is ending");
        }
        PENDING.add(tmp);
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
            PENDING.remove(tmp);
            GATE.readLock().unlock();
        }
    }

    private static final java.util.concurrent.locks.ReentrantReadWriteLock GATE = new java.util.concurrent.locks.ReentrantReadWriteLock();

    /** Temporary siblings being written now; a shutdown hook deletes what is left of them. */
    private static final java.util.Set<Path> PENDING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                // writes in progress finish (one file each); none starts after; a stuck one is not waited for
                GATE.writeLock().tryLock(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Path p : PENDING) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // nothing more can be done while the process ends
                }
            }
        }, "handoff-temp-cleanup"));
    }

    /** Deletes {@code dir}'s {@code PREFIX.PID-RANDOM.tmp} files whose process is gone. */
    private static void removeStale(Path dir, String prefix) {
        if (dir == null) {
            return;
        }
        try (var entries = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
        })) {
            for (Path p : entries) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                if (dash <= 0) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(rest.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).isEmpty()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // cleaning up after someone else is best effort; the write itself reports its own failure
        }
    }
}
