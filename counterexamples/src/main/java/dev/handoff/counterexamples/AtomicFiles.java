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
 * {@link Files#createTempFile}, which makes it private).
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
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
