package dev.handoff.checker.cli;

import dev.handoff.model.scenario.KernelVersions;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Platforms;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.ScenarioException;
import dev.handoff.model.scenario.ScenarioFile;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where a scenario comes from: a file, a platform, a policy and {@code --set} overrides (a picocli mixin). */
final class ScenarioOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "Scenario file (YAML: platform, policy, knobs; - reads standard input). Command-line settings"
                    + " override it.")
    Path scenarioFile;

    @Option(names = "--platform", paramLabel = "PLATFORM", completionCandidates = Names.PlatformNames.class,
            description = "Embedded platform (default: c630; see 'handoff list platforms').")
    String platform;

    @Option(names = "--kernel", paramLabel = "VERSION", completionCandidates = Names.KernelNames.class,
            description = "Linux version: 5.10, 5.15, 6.1, 6.6 or 6.12 (default 6.12). It sets every version-dependent"
                    + " mechanism ('handoff list kernels'); --set still overrides one.")
    String kernel;

    @Option(names = "--set", paramLabel = "KNOB=VALUE", completionCandidates = Names.KnobSettings.class,
            description = "Set a knob, overriding the platform and the policy; repeatable (see 'handoff list knobs').")
    List<String> sets = new ArrayList<>();

    private ScenarioFile.Parsed parsed;

    /** The file's contents (read once; {@code -} is standard input), or empty parts. */
    ScenarioFile.Parsed file() {
        if (parsed == null) {
            parsed = read();
        }
        return parsed;
    }

    private ScenarioFile.Parsed read() {
        if (scenarioFile == null) {
            return new ScenarioFile.Parsed(null, null, Map.of());
        }
        if (scenarioFile.toString().equals("-")) {
            try {
                byte[] bytes = System.in.readNBytes(1 << 20);
                if (System.in.read() >= 0) {
                    throw new InputException("scenario on standard input: larger than any scenario (1 MiB)");
                }
                return ScenarioFile.read("<stdin>", new java.io.StringReader(new String(bytes, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new InputException("scenario on standard input: " + e.getMessage());
            } catch (ScenarioException e) {
                throw new InputException(e.getMessage());
            }
        }
        if (Files.isDirectory(scenarioFile)) {
            throw new InputException("scenario file " + scenarioFile + " is a directory");
        }
        try {
            byte[] bytes = dev.handoff.model.io.InputFiles.read(scenarioFile, 1 << 20);
            if (bytes == null) {
                throw new InputException("scenario file " + scenarioFile + ": larger than any scenario (1 MiB)");
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new InputException("scenario file " + scenarioFile + ": not UTF-8 text (a scenario file is UTF-8 YAML;"
                        + " convert it: iconv -t UTF-8)");
            }
            return ScenarioFile.read(scenarioFile.toString(), new java.io.StringReader(text));
        } catch (NoSuchFileException e) {
            throw new InputException("scenario file " + scenarioFile + " does not exist");
        } catch (IOException e) {
            throw new InputException("scenario file " + scenarioFile + ": " + e.getMessage());
        } catch (ScenarioException e) {
            throw new InputException(e.getMessage());
        }
    }

    Platform platform(ScenarioFile.Parsed f) {
        String name = platform != null ? platform : f.platform() != null ? f.platform() : "c630";
        try {
            Platform p = Platforms.get(name, "");
            return f.masters() == null ? p : p.withMasters(f.masters());
        } catch (ScenarioException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** The {@code --set} pairs (and {@code --kernel} as {@code kernel.version}), checked. */
    Map<String, String> overrides() {
        Map<String, String> out = new LinkedHashMap<>();
        if (kernel != null) {
            try {
                out.put(Knobs.KERNEL_VERSION, KernelVersions.check(kernel, "--kernel: "));
            } catch (ScenarioException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        java.util.Set<String> given = new java.util.HashSet<>();
        for (String kv : sets) {
            int eq = kv.indexOf('=');
            if (eq <= 0 || eq == kv.length() - 1) {
                throw new ParameterException(spec.commandLine(),
                        "--set '" + kv + "' is not KNOB=VALUE (for example --set fw.mapping=translated)");
            }
            String k = kv.substring(0, eq).trim();
            String v = kv.substring(eq + 1).trim();
            if (k.equals(Knobs.KERNEL_VERSION) && kernel != null && !kernel.equals(v)) {
                throw new ParameterException(spec.commandLine(), "--kernel " + kernel + " and --set " + kv
                        + " name two versions; give one");
            }
            if (!given.add(k)) {
                throw new ParameterException(spec.commandLine(), "--set " + k + " is given twice (" + out.get(k) + " and " + v
                        + "); give it once");
            }
            out.put(k, v);
        }
        return out;
    }

    /** The knobs the user gives: the scenario file's, then {@code --kernel} and {@code --set}. */
    Map<String, String> givenKnobs() {
        Map<String, String> k = new LinkedHashMap<>(file().knobs());
        k.putAll(overrides());
        return k;
    }

    /** A scenario on a given platform (a board's): the file's knobs, then {@code extra}, then {@code --set}. */
    Scenario scenario(Platform platform, String policy, Map<String, String> extra) {
        ScenarioFile.Parsed f = file();
        Map<String, String> k = new LinkedHashMap<>(f.knobs());
        k.putAll(extra);
        k.putAll(overrides());
        try {
            return Scenario.of(platform, policy != null ? policy : f.policy(), k);
        } catch (ScenarioException e) {
            throw new InputException(e.getMessage());
        }
    }

    /**
     * For a command whose platform is a board's file and whose policies are {@code --policy}'s:
     * a scenario file may only set knobs; its platform, policy or masters would be ignored, so
     * they are refused (bad input, naming the file and what to do instead).
     */
    void requireOnlyKnobs(String command) {
        ScenarioFile.Parsed f = file();
        String where = scenarioFile + ": ";
        if (f.platform() != null) {
            throw new InputException(where + "platform \"" + f.platform() + "\" does not apply to " + command
                    + ": the board's file is its platform (a scenario file given to " + command + " may set knobs only)");
        }
        if (f.policy() != null) {
            throw new InputException(where + "policy \"" + f.policy() + "\" does not apply to " + command
                    + ": name policies with --policy (a scenario file given to " + command + " may set knobs only)");
        }
        if (f.masters() != null) {
            throw new InputException(where + "masters do not apply to " + command
                    + ": the board's file lists its masters (a scenario file given to " + command + " may set knobs only)");
        }
    }

    /** A scenario for {@code policy} (or the file's), the file's knobs, then {@code extra}, then {@code --set}. */
    Scenario scenario(String policy, Map<String, String> extra) {
        ScenarioFile.Parsed f = file();
        Map<String, String> k = new LinkedHashMap<>(f.knobs());
        k.putAll(extra);
        k.putAll(overrides());
        try {
            return Scenario.of(platform(f), policy != null ? policy : f.policy(), k);
        } catch (ScenarioException e) {
            throw new InputException(e.getMessage());
        }
    }
}
