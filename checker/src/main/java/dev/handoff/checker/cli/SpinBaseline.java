package dev.handoff.checker.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a Promela model with SPIN the way shared/bench/spin-baseline.sh does: {@code spin -a},
 * {@code gcc -O2 -DBFS -DSAFETY -DNOREDUCE}, {@code ./pan}, in a temporary folder removed
 * afterwards; reads "states, stored", "transitions (= stored+matched)" and "elapsed time" (the
 * search alone, as handoff's seconds are).
 */
final class SpinBaseline {
    record Result(long states, long transitions, double seconds) {
        double transitionsPerSecond() {
            return transitions / Math.max(seconds, 1e-3);
        }
    }

    private static final Pattern STORED = Pattern.compile("(\\d+) states, stored");
    private static final Pattern TRANSITIONS = Pattern.compile("(\\d+) transitions \\(= stored\\+matched\\)");
    private static final Pattern ELAPSED = Pattern.compile("elapsed time ([0-9.e+-]+) seconds");

    private SpinBaseline() {
    }

    /** @throws InputException when spin or gcc is missing or a step fails (with its output's last line) */
    static Result run(String promela, long memoryBytes) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("handoff-spin");
        try {
            Files.writeString(dir.resolve("model.pml"), promela);
            step(dir, List.of("spin", "-a", "model.pml"), "spin -a");
            long mb = Math.max(64, memoryBytes >> 20);
            step(dir, List.of("gcc", "-O2", "-DBFS", "-DSAFETY", "-DNOREDUCE", "-DMEMLIM=" + mb, "-o", "pan", "pan.c"), "gcc");
            // -m: no depth limit to speak of (pan stops at depth 10,000 by default, which cuts a chain short)
            String out = step(dir, List.of("./pan", "-w26", "-m2000000000"), "pan");
            if (!out.contains("errors: 0")) {
                throw new InputException("--spin: pan reported errors: " + lastLine(out));
            }
            return new Result(number(STORED, out), number(TRANSITIONS, out), Double.parseDouble(find(ELAPSED, out)));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String step(Path dir, List<String> command, String what) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new InputException("--spin: cannot run " + command.get(0) + " (install it: apt-get install -y spin gcc)");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0) {
            throw new InputException("--spin: " + what + " failed (exit " + p.exitValue() + "): " + lastLine(out));
        }
        return out;
    }

    private static long number(Pattern p, String out) {
        return Long.parseLong(find(p, out));
    }

    private static String find(Pattern p, String out) {
        Matcher m = p.matcher(out);
        if (!m.find()) {
            throw new InputException("--spin: pan's output has no '" + p.pattern() + "': " + lastLine(out));
        }
        return m.group(1);
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines.length == 0 ? "(no output)" : lines[lines.length - 1];
    }
}
