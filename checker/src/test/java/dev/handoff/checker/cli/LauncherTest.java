package dev.handoff.checker.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real {@code ./handoff} script, run through symbolic links (one relative, one to a link),
 * finds its own directory: a copy of the script and its JDK picker in a fresh tree, a jar newer
 * than every source (so nothing is built) and a stand-in {@code java} that prints its arguments.
 */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void aSymlinkedLauncherFindsItsJar() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path root = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(repo.resolve("handoff"), root.resolve("handoff"));
        Files.createDirectories(root.resolve(".mvn"));
        Files.copy(repo.resolve(".mvn/jdk.sh"), root.resolve(".mvn/jdk.sh"));
        Path jar = Files.createDirectories(root.resolve("checker/target")).resolve("handoff.jar");
        Files.writeString(jar, "not really a jar");
        Path jdk = Files.createDirectories(dir.resolve("jdk/bin")).getParent();
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"21.0.1\"\n");
        for (String tool : new String[] {"java", "javac"}) {
            Path t = jdk.resolve("bin").resolve(tool);
            Files.writeString(t, "#!/bin/sh\necho \"" + tool + " $*\"\n");
            Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path bin = Files.createDirectories(dir.resolve("home/bin"));
        Files.createSymbolicLink(bin.resolve("handoff"), Path.of("../../checkout/handoff"));
        Files.createSymbolicLink(bin.resolve("h"), bin.resolve("handoff"));
        for (String name : new String[] {"handoff", "h"}) {
            ProcessBuilder pb = new ProcessBuilder("sh", bin.resolve(name).toString(), "--version").redirectErrorStream(true);
            pb.environment().put("JAVA_HOME", jdk.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertEquals("java -jar " + jar.toRealPath() + " --version\n", out.replace(root.toString(), root.toRealPath().toString()));
        }
    }
}
