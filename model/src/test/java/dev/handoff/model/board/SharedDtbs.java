package dev.handoff.model.board;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code shared/dtb} beside the repository (CI clones main with shared/ beside it). Tests
 * that need it are skipped where it is absent, except under CI, where its absence is a failure.
 */
final class SharedDtbs {
    private SharedDtbs() {
    }

    static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("shared").resolve("dtb");
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        if (System.getenv("CI") != null) {
            throw new AssertionError("shared/dtb not found beside the repository");
        }
        Assumptions.abort("shared/dtb not found beside the repository");
        return null;
    }

    static Path file(String name) {
        return dir().resolve(name);
    }
}
