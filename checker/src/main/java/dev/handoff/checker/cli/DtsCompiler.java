package dev.handoff.checker.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Device tree source for {@code handoff board FILE.dts}: compiled with the Device Tree Compiler
 * ({@code dtc}, Debian's device-tree-compiler) when it is installed; handoff itself reads only
 * blobs. A source that uses {@code #include} needs the C preprocessor first, as the kernel's
 * build does; dtc's message says so when it meets one.
 */
final class DtsCompiler {
    /** The dtc to run: the system property {@code handoff.dtc}, else {@code dtc} on PATH. */
    static String command() {
        return System.getProperty("handoff.dtc", "dtc");
    }

    private DtsCompiler() {
    }

    /** Whether {@code file} is device tree source: named .dts, or text starting with /dts-v1/. */
    static boolean isSource(Path file) {
        if (file.getFileName().toString().endsWith(".dts")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(64);
            String text = new String(head, StandardCharsets.US_ASCII).stripLeading();
            return text.startsWith("/dts-v1/");
        } catch (IOException e) {
            return false;
        }
    }

    /** Compiles {@code dts} to a blob in {@code dir}; every failure is bad input in one line. */
    static Path compile(Path dts, Path dir) {
        if (!Files.isRegularFile(dts)) {
            throw new InputException(dts + " does not exist");
        }
        Path out = dir.resolve("board.dtb");
        Process p;
        try {
            p = new ProcessBuilder(List.of(command(), "-q", "-I", "dts", "-O", "dtb", "-o", out.toString(), dts.toString()))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new InputException(dts + " is device tree source and dtc is not installed: install it"
                    + " (apt-get install device-tree-compiler) or compile it yourself: dtc -I dts -O dtb -o board.dtb " + dts);
        }
        try {
            p.getOutputStream().close();
            byte[] msg = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new InputException(dts + ": dtc did not finish within 60 s");
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(out)) {
                String first = new String(msg, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).findFirst().orElse("");
                String hint = first.contains("#include") || new String(msg, StandardCharsets.UTF_8).contains("syntax error")
                        ? " (a source with #include needs the C preprocessor first: cpp -nostdinc -I include -undef"
                        + " -x assembler-with-cpp, as the kernel's build does)" : "";
                throw new InputException(dts + ": dtc failed (exit " + p.exitValue() + "): " + first + hint);
            }
            return out;
        } catch (IOException e) {
            throw new InputException(dts + ": running dtc: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InputException(dts + ": interrupted while dtc ran");
        }
    }
}
