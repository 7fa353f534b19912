package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.model.scenario.Master;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Scenario;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A cell's identity: exactly what its verdict depends on, hashed. That is the scenario as the
 * model reads it (the platform's facts without its name and description, which no actor reads,
 * and the masters' compatibles only as what they mean to the model, {@code Master#traits}: node
 * names only label traces; every knob's value, the kernel version among them; the policy), the
 * properties, the search
 * settings that can change which violations are reported, and the code: handoff's version and a
 * digest of its own classes, so that a rebuilt model never reuses an older model's verdicts.
 */
final class CellKeys {
    private static volatile String code;

    private CellKeys() {
    }

    /** The code a verdict comes from: "VERSION+DIGEST" of handoff's own class files (dev/handoff/**). */
    static String codeVersion() {
        String c = code;
        if (c == null) {
            c = VersionProvider.version() + "+" + classDigest();
            code = c;
        }
        return c;
    }

    /** Stands in another build's identity (tests of the cache's invalidation). */
    static void override(String codeVersion) {
        code = codeVersion;
    }

    /** The text a cell's key hashes, one fact per line (also stored in the cache entry, for reading). */
    static String canonical(String codeVersion, Scenario s, List<String> properties, ExplorationSettings settings) {
        Platform p = s.platform();
        StringBuilder b = new StringBuilder();
        b.append("code ").append(codeVersion).append('\n');
        b.append("impl ").append(p.impl()).append('\n');
        b.append("smr-groups ").append(p.smrGroups()).append('\n');
        b.append("context-banks ").append(p.contextBanks()).append('\n');
        String version = s.knob(dev.handoff.model.scenario.Knobs.KERNEL_VERSION);
        b.append("display ").append(p.displayFlavour()).append(' ').append(p.displayStreams()).append(' ')
                .append(Master.traits(p.displayCompatible().isEmpty() ? List.of() : List.of(p.displayCompatible()), version)).append('\n');
        b.append("framebuffer ").append(Long.toHexString(p.framebufferPa())).append(' ').append(Long.toHexString(p.framebufferBytes()))
                .append(" iova ").append(Long.toHexString(p.translatedIova())).append('\n');
        // the other masters as the model reads them: their streams, in order, and what their
        // compatibles mean to it (Master#traits); their node names only label traces
        b.append("masters");
        for (Master m : p.masters()) {
            b.append(' ').append(m.streams()).append(' ').append(Master.traits(m.compatible(), version)).append(';');
        }
        b.append('\n');
        b.append("tegra-passthrough-sid ").append(p.tegraPassthroughSid()).append('\n');
        b.append("platform-knobs ").append(new TreeMap<>(p.knobDefaults())).append('\n');
        b.append("acpi ").append(p.acpi()).append('\n');
        b.append("policy ").append(s.policy()).append('\n');
        b.append("knobs ").append(new TreeMap<>(s.knobs())).append('\n');
        b.append("properties ").append(properties.isEmpty() ? "(every one)" : new TreeSet<>(properties)).append('\n');
        b.append("search ").append(settings.strategy()).append(' ').append(settings.store()).append(' ').append(settings.reduction())
                .append(" deadlock=").append(settings.checkDeadlock()).append(" stop-at-first=").append(settings.stopAtFirstViolation())
                // only when set, so that the keys of cells cached before it existed still match
                .append(settings.exhaustive() ? " exhaustive" : "").append('\n');
        return b.toString();
    }

    /** The key: SHA-256 of {@link #canonical}, in hex. */
    static String key(String canonical) {
        return HexFormat.of().formatHex(sha256().digest(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** SHA-256 (first 16 hex digits) over the names and bytes of every dev/handoff class file this JVM loads handoff from. */
    private static String classDigest() {
        TreeMap<String, byte[]> files = new TreeMap<>();
        List<Path> roots = new ArrayList<>();
        for (Class<?> c : List.of(Scenario.class, dev.handoff.properties.HandoffProperties.class,
                dev.handoff.counterexamples.AtomicFiles.class, CellKeys.class)) {
            try {
                Path root = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!roots.contains(root)) {
                    roots.add(root);
                }
            } catch (URISyntaxException | RuntimeException e) {
                return "unknown-" + System.nanoTime();   // no digest: never match another run's entries
            }
        }
        try {
            for (Path root : roots) {
                if (Files.isDirectory(root)) {
                    try (Stream<Path> walk = Files.walk(root.resolve("dev/handoff"))) {
                        for (Path f : walk.filter(Files::isRegularFile).toList()) {
                            files.put(root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                        }
                    }
                } else {
                    try (JarFile jar = new JarFile(root.toFile())) {
                        for (JarEntry e : java.util.Collections.list(jar.entries())) {
                            if (!e.isDirectory() && e.getName().startsWith("dev/handoff/")) {
                                try (InputStream in = jar.getInputStream(e)) {
                                    files.put(e.getName(), in.readAllBytes());
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            return "unknown-" + System.nanoTime();
        }
        MessageDigest d = sha256();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            d.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(e.getValue());
        }
        return HexFormat.of().formatHex(d.digest()).substring(0, 16);
    }
}
