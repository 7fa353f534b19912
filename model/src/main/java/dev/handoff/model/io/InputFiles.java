package dev.handoff.model.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an input file whole, but never more than a bound: a file's size is not to be trusted
 * ({@code /dev/zero} and a FIFO say 0 and never end; a file may grow while read), so the bytes
 * are counted as they come.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /** The file's bytes, or null when it holds more than {@code max}. */
    public static byte[] read(Path file, int max) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(max);
            return in.read() < 0 ? b : null;
        }
    }
}
