package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.Reduction;
import dev.handoff.engine.SearchListener;
import dev.handoff.engine.Verdict;
import dev.handoff.model.board.BoardFacts;
import dev.handoff.model.board.BoardPlatforms;
import dev.handoff.model.display.DisplayDriverStep;
import dev.handoff.model.log.KernelLog;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Policies;
import dev.handoff.model.scenario.Policy;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.ScenarioException;
import dev.handoff.model.smmu.FetchOutcome;
import dev.handoff.properties.HandoffProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code handoff diagnose LOG --board FILE.dtb}: from a kernel log to the counterexample that
 * explains it. The log's SMMU faults are decoded ({@link KernelLog}), mapped onto the board (whose
 * stream, whether inside the firmware framebuffer, before or after the display driver came up),
 * and, for a fault on a display's stream, the model is run with what the log implies (the
 * kernel's mainline policy for the SMMU's hooks, the firmware's mapping from the faulting IOVA)
 * to find the violations whose observable failure matches: same display, same kind of fault.
 */
@Command(name = "diagnose",
        header = "Explains a kernel log's SMMU faults with the handoff counterexample that matches them.",
        mixinStandardHelpOptions = true,
        description = {
            "Reads a kernel log (dmesg, journalctl -k or a serial console; '-' for standard input), decodes the "
                + "lines that bear on the handoff (arm-smmu context and global faults, probe, RMR install, IOMMU "
                + "groups, efifb, DRM initialisation, SMMUv3 reset and events), maps each fault's stream ID onto the "
                + "board (--board FILE.dtb or --acpi IORT.bin), and for a fault on a display's stream runs the model "
                + "as the log implies (the kernel as its version ships, from the banner or --kernel; efifb's framebuffer; "
                + "the firmware's mapping from the faulting IOVA; every fw.smr) to find the counterexamples whose failure "
                + "matches: the hazard, the "
                + "step that caused it, its severity, and the policies safe in every variant the log cannot tell apart.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the log shows no handoff fault (or no board was given to map it)",
            "10:a fault on a display's stream matches a handoff violation of the model",
            "20:inconclusive: a display fault the model cannot explain, or faults the log does not say enough of (no stream ID, lines not decoded)",
            ExitCode.ROW_USAGE,
            "65:the log, the DTB or the IORT table cannot be read",
            ExitCode.ROW_INTERNAL, ExitCode.ROW_CANNOT_WRITE, ExitCode.ROW_INTERRUPTED,
        })
final class DiagnoseCommand implements Callable<Integer> {
    static final String SCHEMA = "handoff.diagnose/1";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "LOG", description = "The kernel log: dmesg, journalctl -k or serial console text; '-' reads standard input.")
    String log;

    @Option(names = "--board", paramLabel = "FILE.dtb", description = "The board's device tree blob (or source).")
    Path dtb;

    @Option(names = "--acpi", paramLabel = "IORT.bin", description = "The board's ACPI IORT table instead of a DTB.")
    Path iort;

    @Option(names = "--kernel", paramLabel = "VERSION", completionCandidates = Names.KernelNames.class,
            description = "The kernel version that printed the log, with or without a patch level (default: the log's"
                    + " 'Linux version' banner, else 6.12).")
    String kernel;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json. Default: ${DEFAULT-VALUE}.")
    String format;

    /** A fault the log shows, mapped onto the board. */
    record Fault(KernelLog.Event event, String kind, String smmu, long sid, long iova, long cb, String owner,
                 boolean display, Boolean inFramebuffer, String phase, List<String> others, String note) {
    }

    /** A device path, marked when the DT disables it (the firmware may still have lit it). */
    private static String named(BoardFacts.Device d) {
        return d.enabled() ? d.path() : d.path() + " (disabled in the DT)";
    }

    /**
     * A model violation of the display's fetch, in one variant: it matches the fault when the kind
     * (context or global) and the severity agree.
     */
    record Match(String policy, Map<String, String> variant, String property, String severity, String kind, boolean logged,
                 Integer bank, String witnessSid, String phase, String rootCause, String explanation,
                 dev.handoff.counterexamples.TraceFile file) {
    }

    /** Where in the handoff a failure falls, in the terms a log can show. */
    static final String DURING_SMMU_PROBE = "while arm-smmu probes (or the clients before the display)";
    static final String DURING_DISPLAY_PROBE = "after the display's IOMMU probe, before its driver binds";
    static final String DURING_DRIVER_BIND = "while the display driver binds, before its DRM device is registered";
    static final String AFTER_DRIVER = "after the display driver is up";

    /**
     * Whether a model failure's phase agrees with the log's: the same, or the display driver's
     * binding where the log saw only the display's IOMMU group (a bind need print nothing).
     */
    static boolean agrees(String logPhase, String modelPhase) {
        return logPhase == null || logPhase.equals(modelPhase)
                || logPhase.equals(DURING_DISPLAY_PROBE) && modelPhase.equals(DURING_DRIVER_BIND);
    }

    /**
     * The phase of the model's failure: the actor of the step before the failing fetch. A fault the
     * firmware's own state raises is reported once arm-smmu's interrupts are requested, in its probe.
     */
    static String modelPhase(dev.handoff.counterexamples.Trace t) {
        return modelPhase(t, null);
    }

    /**
     * As {@link #modelPhase(dev.handoff.counterexamples.Trace)} for a kernel version: msm_mdss_reset
     * runs in mdss_probe (msm_mdss_init), before the DPU exists to bind, like Tegra's hub reset;
     * the firmware framebuffer's removal is msm_drm_kms_init's (drm_aperture_remove_framebuffers)
     * in 6.12, but msm_fbdev_init's, after drm_dev_register, in 6.1 and before.
     */
    static String modelPhase(dev.handoff.counterexamples.Trace t, String version) {
        List<dev.handoff.counterexamples.Trace.Step> steps = t.steps();
        if (steps.size() < 2) {
            return DURING_SMMU_PROBE;
        }
        dev.handoff.counterexamples.Trace.Step before = steps.get(steps.size() - 2);
        return switch (before.actor()) {
            // msm_drm_init: resets, the firmware framebuffer's removal and the driver's own domain come
            // before drm_dev_register prints "Initialized"; the fbdev buffer and first modeset after it
            case "display-driver" -> is(before, new DisplayDriverStep.EngineReset()) || is(before, new DisplayDriverStep.HubReset())
                    ? DURING_DISPLAY_PROBE
                    : is(before, new DisplayDriverStep.PinNewBuffer()) || is(before, new DisplayDriverStep.FirstModeset())
                    || is(before, new DisplayDriverStep.RemoveFirmwareFb()) && version != null && nearestOrder(version) <= nearestOrder("6.1")
                    ? AFTER_DRIVER : DURING_DRIVER_BIND;
            case "iommu-core" -> before.action().startsWith("display.") ? DURING_DISPLAY_PROBE : DURING_SMMU_PROBE;
            case "kernel-init" -> DURING_DISPLAY_PROBE;
            default -> DURING_SMMU_PROBE;
        };
    }

    /**
     * The phase of the log's fault: after the display driver's DRM initialisation, after the
     * display's "Adding to iommu group", or after arm-smmu's probe; null when the log has none of these.
     */
    static String logPhase(Fault f, List<KernelLog.Event> events, BoardFacts facts, String display) {
        int line = f.event().line();
        boolean drm = false;
        boolean bound = false;
        boolean group = false;
        boolean probe = false;
        for (KernelLog.Event e : events) {
            if (e.line() > line) {
                break;
            }
            drm |= e.kind() == KernelLog.Kind.DRM_INIT && !FIRMWARE_DRM.contains(e.detail());
            group |= e.kind() == KernelLog.Kind.IOMMU_GROUP && facts != null && e.device() != null
                    && display.equals(nodeOf(facts, e.device()));
            probe |= e.kind() == KernelLog.Kind.SMMU_PROBE;
            // component_bind prints on the aggregate device (msm's MDP/DPU, the display's child) and
            // dpu_kms_hw_init prints its revision just before the own domain's attach
            String node = facts == null || e.device() == null ? null : nodeOf(facts, e.device());
            bound |= (e.kind() == KernelLog.Kind.COMPONENT_BOUND || e.kind() == KernelLog.Kind.DPU_REVISION)
                    && (node == null || node.equals(display));
        }
        return drm ? AFTER_DRIVER : bound ? DURING_DRIVER_BIND : group ? DURING_DISPLAY_PROBE : probe ? DURING_SMMU_PROBE : null;
    }

    @Option(names = "--stopped", description = "The board hung or reset where the log ends (a serial console's last"
            + " lines): explain the stop with the fatal faults and hangs of the model. Without it, a console log whose"
            + " previous boot ended during the handoff with no reboot or panic message is read so.")
    boolean stopped;

    /**
     * The boot whose end is the symptom, or null: the log itself with --stopped; else a console's
     * boot before the last that ended during the handoff (arm-smmu probed, the display driver never
     * came up) without a reboot or panic message.
     */
    static List<KernelLog.Event> stoppedBoot(KernelLog.Log log, boolean stopped) {
        if (stopped) {
            return log.events();
        }
        List<KernelLog.Event> prev = log.previous();
        boolean ended = prev.stream().anyMatch(e -> e.kind() == KernelLog.Kind.REBOOT || e.kind() == KernelLog.Kind.PANIC);
        boolean probed = prev.stream().anyMatch(e -> e.kind() == KernelLog.Kind.SMMU_PROBE);
        boolean up = prev.stream().anyMatch(e -> e.kind() == KernelLog.Kind.DRM_INIT && !FIRMWARE_DRM.contains(e.detail()));
        return !prev.isEmpty() && !ended && probed && !up ? prev : null;
    }

    @Option(names = "--trace-out", paramLabel = "FILE", description = "Write the best matching violation's trace to FILE (JSON, as 'check --trace-out').")
    Path traceOut;

    @Override
    public Integer call() throws IOException {
        CheckOptions.requireFormat(spec, format, "text", "json");
        if (dtb != null && iort != null) {
            throw new ParameterException(spec.commandLine(), "give --board FILE.dtb or --acpi IORT.bin, not both");
        }
        if (dtb == null && iort == null && (stopped || traceOut != null)) {
            // without a board nothing is matched against the model: these would do nothing
            throw new ParameterException(spec.commandLine(), (stopped ? "--stopped" : "--trace-out")
                    + " needs a board (--board FILE.dtb or --acpi IORT.bin): without one the faults are only listed");
        }
        String version = null;
        List<String> read = new ArrayList<>(); // what the log itself said about the kernel
        if (kernel != null) {
            version = supported(kernel);
            if (version == null && nearest(kernel) != null) {
                version = nearest(kernel);
                read.add(between(kernel, version));
            }
            if (version == null && !kernel.matches("\\d+\\.\\d+.*")) {
                throw new ParameterException(spec.commandLine(), "--kernel " + kernel + " is not a kernel version (allowed: "
                        + String.join(", ", dev.handoff.model.scenario.KernelVersions.VERSIONS) + " and later ones, with or without a patch level)");
            }
            if (version == null) {
                throw new ParameterException(spec.commandLine(), "--kernel " + kernel + " is older than every version the model knows (allowed: "
                        + String.join(", ", dev.handoff.model.scenario.KernelVersions.VERSIONS) + " and later ones, with or without a patch level)");
            }
        }
        if (traceOut != null && (Files.isDirectory(traceOut) || traceOut.getParent() != null && !Files.isDirectory(traceOut.getParent()))) {
            throw new ParameterException(spec.commandLine(), "--trace-out " + traceOut + ": "
                    + (Files.isDirectory(traceOut) ? "is a directory" : "its directory does not exist"));
        }
        KernelLog.Log logRead = readLog();
        List<KernelLog.Event> events = logRead.events();
        PrintWriter verbose = Verbosity.verbose(spec) && !Verbosity.quiet(spec) ? spec.commandLine().getErr() : null;
        if (verbose != null) {
            // what was decoded, line by line, as the reader understood it
            for (KernelLog.Event e : events) {
                StringBuilder fields = new StringBuilder();
                e.fields().forEach((k, v) -> fields.append(' ').append(k).append('=').append(
                        Set.of("cb", "banks", "groups", "mappings", "group", "minor", "count", "write", "smmu", "cmdline").contains(k) ? Long.toString(v) : hex(v)));
                verbose.printf(Locale.ROOT, "handoff: line %d: %s%s%s%s%n", e.line(), e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                        e.device() == null ? "" : " [" + e.device() + "]", fields, e.detail() == null ? "" : " " + e.detail());
            }
            verbose.flush();
        }
        long dropped = logRead.dropped();
        if (dropped > 0) {
            read.add(dropped + " earlier handoff line(s) left out: the log holds several boots (the last is read) or more than "
                    + KernelLog.MAX_EVENTS + " such lines");
        }
        for (KernelLog.Event e : events) {
            if (e.kind() == KernelLog.Kind.LINUX_VERSION && version == null) {
                version = supported(e.detail());
                if (version == null && nearest(e.detail()) != null) {
                    version = nearest(e.detail());
                    read.add(between(e.detail(), version) + " (from the banner)");
                } else {
                    read.add(version == null ? "Linux " + e.detail() + " is older than every version the model knows; 6.12 assumed (--kernel to choose)"
                            : "kernel.version=" + version + " from the banner (Linux " + e.detail() + ")");
                }
            }
        }
        BoardFacts facts = dtb == null && iort == null ? null : BoardCommand.readFacts(dtb, iort);
        List<BoardPlatforms.Target> targets = List.of();
        if (facts != null) {
            try {
                targets = BoardPlatforms.targets(facts);
            } catch (BoardPlatforms.NoMatrixException e) {
                targets = List.of();
            }
        }
        long[] fb = framebuffer(events, targets);
        List<Fault> faults = faults(events, facts, targets, fb);
        List<Fault> display = faults.stream().filter(Fault::display).toList();
        List<KernelLog.Event> phaseEvents = events;
        if (display.isEmpty() && !targets.isEmpty()) {
            List<KernelLog.Event> boot = stoppedBoot(logRead, stopped);
            if (boot != null && !boot.isEmpty()) {
                // the board hung or reset: a fault that prints nothing, where the log (or the boot before the last) ends
                KernelLog.Event last = boot.get(boot.size() - 1);
                BoardPlatforms.Target t = targets.get(0);
                read.add(stopped ? "--stopped: the board hung or reset after line " + last.line()
                        : "the boot before the last ended after line " + last.line() + " during the handoff (arm-smmu probed,"
                        + " the display driver never came up) with no reboot or panic message: the board hung or reset");
                Fault stop = new Fault(last, STOP, t.smmu().path(), -1, -1, -1, t.display().path(), true, null,
                        "the log stops after line " + last.line(), List.of(), null);
                faults = new ArrayList<>(faults);
                faults.add(stop);
                display = List.of(stop);
                phaseEvents = boot;
            }
        }
        List<Match> matches = new ArrayList<>();
        List<Match> predicted = List.of();
        List<Explainer> explainers = List.of();
        Set<String> undecided = new java.util.TreeSet<>();
        List<String> safe = List.of();
        String policy = null;
        Map<String, String> inferred = new LinkedHashMap<>();
        BoardPlatforms.Target target = null;
        if (!display.isEmpty()) {
            Fault first = display.get(0);
            target = targets.stream().filter(t -> t.display().path().equals(first.owner())).findFirst().orElse(targets.get(0));
            Platform platform = target.platform();
            if (efifb(events) != null) {
                // the log says where the firmware's scanout is: the model's framebuffer is there
                long[] e = efifb(events);
                platform = platform.withFramebuffer(e[0], e[1]);
                read.add(String.format(Locale.ROOT, "the firmware framebuffer at %s (%d KiB) from efifb, simplefb or its removal", hex(e[0]), e[1] / 1024));
            }
            // the kernel as it ships: the version's own settings and the knobs' defaults, no what-if preset
            policy = null;
            inferred.put(Knobs.KERNEL_VERSION, version != null ? version : Knobs.get(Knobs.KERNEL_VERSION, "").defaultValue());
            for (KernelLog.Event e : phaseEvents) {
                if (e.kind() == KernelLog.Kind.COMMAND_LINE) {
                    commandLine(e.detail(), inferred, read);
                }
                if (e.kind() == KernelLog.Kind.DISPLAY_MODULE && !inferred.containsKey(Knobs.KERNEL_DISPLAY_DRIVER)) {
                    inferred.put(Knobs.KERNEL_DISPLAY_DRIVER, "module");
                    read.add(Knobs.KERNEL_DISPLAY_DRIVER + "=module: the log's DRM lines carry the module's tag [" + e.detail() + "]");
                }
                if (e.kind() == KernelLog.Kind.DEFAULT_DOMAIN) {
                    // iommu_subsys_init prints the global default (iommu.passthrough or the Kconfig default)
                    String type = e.detail().equals("Passthrough") ? "identity" : e.detail().startsWith("Translated") ? "dma" : null;
                    if (type != null) {
                        inferred.put(Knobs.KERNEL_DEFAULT_DOMAIN, type);
                        read.add(Knobs.KERNEL_DEFAULT_DOMAIN + "=" + type + " from the IOMMU core's \"Default domain type: " + e.detail() + "\"");
                    }
                }
            }
            if (display.stream().anyMatch(f -> f.iova() >= 0) && fb != null) {
                // an IOVA inside the firmware framebuffer is its own PA: identity; a scanout may run past
                // the size a log prints (efifb's visible part), so any one inside decides
                inferred.put(Knobs.FW_MAPPING, display.stream().anyMatch(f -> Boolean.TRUE.equals(f.inFramebuffer())) ? "identity" : "translated");
            }
            if (events.stream().anyMatch(x -> x.kind() == KernelLog.Kind.BLOCKED_STREAM || x.kind() == KernelLog.Kind.GLOBAL_FAULT)) {
                // arm_smmu_global_fault printed: the firmware let Linux see a global fault instead of resetting
                inferred.put(Knobs.FW_GLOBAL_FAULT, "reported");
                read.add("fw.global-fault=reported: Linux printed a global fault, so the firmware did not reset on it");
            }
            if ("absent".equals(platform.knobDefaults().get(Knobs.DISPLAY_RESET))) {
                read.add("from the board: the display node has no 'resets', so its driver cannot stop the firmware's scanout when it"
                        + " binds (display.reset=absent): the engine fetches through whatever domain it attaches");
            }
            if (stopped && !first.kind().equals(STOP)) {
                read.add("--stopped ignored: the log shows a fault on the display's stream, which is diagnosed instead");
            }
            predicted = violations(platform, policy, inferred, verbose);
            matches = new ArrayList<>(predicted.stream().filter(m -> shows(m, first)).toList());
            String sid = hex(first.sid());
            long cb = first.cb();
            // a stalled context fault sets FSR.SS (bit 30): the bus waits for a RESUME
            boolean stalled = first.event().get("fsr") >= 0 && (first.event().get("fsr") & 1L << 30) != 0;
            String phase = logPhase(first, phaseEvents, facts, target.display().path());
            // the log's phase first, then its own stream, its bank, a stall or not as FSR says; then what
            // Linux's steps caused before what the firmware left
            matches.sort(java.util.Comparator.comparing((Match m) -> !agrees(phase, m.phase()))
                    .thenComparing(m -> first.sid() >= 0 && !m.witnessSid().equals(sid))
                    .thenComparing(m -> cb >= 0 && (m.bank() == null || m.bank() != cb))
                    .thenComparing(m -> first.kind().equals("context") && stalled != m.severity().equals(FetchOutcome.HANG.label()))
                    .thenComparing(m -> m.rootCause().startsWith("firmware")));
            safe = safePolicies(platform, inferred, verbose);
            if (matches.isEmpty()) {
                // what the log cannot show that would make the model show it
                explainers = new ArrayList<>(explainers(platform, inferred, first, undecided, verbose));
                explainers.sort(java.util.Comparator.comparing((Explainer x) -> !agrees(phase, x.match().phase())));
                undecided.removeAll(explainers.stream().map(x -> x.knob() + "=" + x.value()).toList());
            }
        }
        if (logRead.undecoded() > 0) {
            read.add(logRead.undecoded() + " line(s) speak of an SMMU fault in a form not decoded (a vendor tree's printer, or a"
                    + " mangled copy), the first at line " + logRead.undecodedSamples().get(0));
        }
        // a fault whose stream the log does not show, or fault lines not decoded: the log cannot say it is not the display's
        boolean cannotTell = display.isEmpty() && facts != null
                && (faults.stream().anyMatch(f -> f.sid() < 0 && !f.kind().equals("any")) || logRead.undecoded() > 0
                || faults.stream().anyMatch(f -> f.note() != null && f.note().endsWith("not modelled")));
        String verdict = facts == null ? (faults.isEmpty() ? "no-handoff-fault" : "no-board")
                : display.isEmpty() ? (cannotTell ? "undetermined" : "no-handoff-fault") : matches.isEmpty() ? "unexplained" : "handoff-fault";
        PrintWriter out = spec.commandLine().getOut();
        if (traceOut != null && !matches.isEmpty()) {
            ReportFiles.trace(matches.get(0).file(), traceOut);
            Verbosity.info(spec).println("handoff: wrote " + traceOut);
        } else if (traceOut != null) {
            Verbosity.info(spec).println("handoff: " + traceOut + " not written: no modelled violation matches the log (" + verdict + ")");
        }
        if (format.equals("json")) {
            out.println(RunReport.JSON.writeValueAsString(json(read, phaseEvents, facts, faults, verdict, policy, inferred, matches, predicted, explainers, undecided, safe, target)));
        } else {
            read.forEach(x -> out.println("from the log: " + x));
            text(out, phaseEvents, faults, verdict, policy, inferred, matches, predicted, explainers, undecided, safe, target, fb);
        }
        out.flush();
        return switch (verdict) {
            case "handoff-fault" -> ExitCode.SAFETY_VIOLATED;
            case "unexplained", "undetermined" -> ExitCode.INCONCLUSIVE;
            default -> ExitCode.HOLDS;
        };
    }

    private KernelLog.Log readLog() throws IOException {
        java.io.InputStream raw = null;
        try {
            raw = new java.io.BufferedInputStream(log.equals("-") ? System.in : Files.newInputStream(Path.of(log)), 1 << 16);
            raw.mark(4096);
            byte[] head = raw.readNBytes(4096);
            raw.reset();
            String what = notText(head);
            if (what != null) {
                throw new InputException((log.equals("-") ? "standard input" : log) + ": " + what);
            }
            Reader r = new InputStreamReader(raw, StandardCharsets.ISO_8859_1);
            return KernelLog.read(r);
        } catch (NoSuchFileException e) {
            throw new InputException(log + " does not exist");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new InputException(log + ": permission denied");
        } catch (java.io.IOException e) {
            throw new InputException(log + ": " + (Files.isDirectory(Path.of(log)) ? "is a directory" : e.getMessage()));
        } catch (java.io.UncheckedIOException e) {
            throw new InputException(log + ": " + e.getCause().getMessage());
        } finally {
            if (raw != null && !log.equals("-")) {
                raw.close();
            }
        }
    }

    /**
     * Why a log's first bytes are no kernel log text, or null: empty; gzip, xz, zstd or bzip2
     * (decompress it first); UTF-16 (iconv it to UTF-8); mostly control bytes (a binary).
     */
    static String notText(byte[] head) {
        if (head.length == 0) {
            return "the log is empty";
        }
        int b0 = head[0] & 0xff;
        int b1 = head.length > 1 ? head[1] & 0xff : -1;
        if (b0 == 0x1f && b1 == 0x8b) {
            return "gzip-compressed, not a text log (zcat it first)";
        }
        if (b0 == 0xfd && b1 == '7' || b0 == 0x28 && b1 == 0xb5 || b0 == 'B' && b1 == 'Z' && head.length > 2 && head[2] == 'h') {
            return "compressed (xz, zstd or bzip2), not a text log (decompress it first)";
        }
        if (b0 == 0xff && b1 == 0xfe || b0 == 0xfe && b1 == 0xff) {
            return "UTF-16 text (convert it: iconv -f UTF-16 -t UTF-8)";
        }
        int control = 0;
        for (byte b : head) {
            int c = b & 0xff;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x1b) {
                control++;
            }
        }
        return control * 10 > head.length ? "mostly control bytes: a binary file, not a text log" : null;
    }

    /**
     * What the kernel command line fixes: clk_ignore_unused, and arm-smmu.disable_bypass (a
     * module parameter, bool: kstrtobool's y/n/1/0/on/off).
     */
    static void commandLine(String cmdline, Map<String, String> inferred, List<String> read) {
        for (String word : cmdline.split("\\s+")) {
            if (word.equals("clk_ignore_unused")) {
                inferred.put(Knobs.KERNEL_CLK_IGNORE_UNUSED, "yes");
                read.add("kernel.clk-ignore-unused=yes from the command line");
            } else if (word.startsWith("arm-smmu.disable_bypass=") || word.startsWith("arm_smmu.disable_bypass=")) {
                String v = word.substring(word.indexOf('=') + 1).toLowerCase(Locale.ROOT);
                String value = v.matches("y|yes|1|on|true") ? "yes" : v.matches("n|no|0|off|false") ? "no" : null;
                if (value != null) {
                    inferred.put(Knobs.KERNEL_DISABLE_BYPASS, value);
                    read.add(Knobs.KERNEL_DISABLE_BYPASS + "=" + value + " from the command line (" + word + ")");
                }
            }
        }
    }

    /** efifb's framebuffer (base, bytes) when the log has a plausible one, else null. */
    static long[] efifb(List<KernelLog.Event> events) {
        for (KernelLog.Event e : events) {
            if ((e.kind() == KernelLog.Kind.EFIFB || e.kind() == KernelLog.Kind.SIMPLEFB || e.kind() == KernelLog.Kind.FB_GENERIC) && e.get("base") > 0 && e.get("bytes") > 0 && e.get("bytes") <= 1L << 30
                    && e.get("base") < 1L << 52) {
                return new long[] {e.get("base"), e.get("bytes")};
            }
        }
        return null;
    }

    /** The firmware framebuffer: efifb's line, else the display's scanout the board describes; null when neither. */
    static long[] framebuffer(List<KernelLog.Event> events, List<BoardPlatforms.Target> targets) {
        if (efifb(events) != null) {
            return efifb(events);
        }
        if (!targets.isEmpty() && !targets.get(0).notes().stream().anyMatch(n -> n.startsWith("framebuffer not described"))) {
            Platform p = targets.get(0).platform();
            return new long[] {p.framebufferPa(), p.framebufferPages() * Platform.PAGE};
        }
        return null;
    }

    /** One line of the handoff's timeline: when, what, and the board node it concerns (when known). */
    record Moment(int line, double time, String what, String node) {
    }

    /** The handoff's lines in order, each said in a few words, devices named by their board node. */
    static List<Moment> timeline(List<KernelLog.Event> events, BoardFacts facts) {
        List<Moment> out = new ArrayList<>();
        for (KernelLog.Event e : events) {
            String node = facts == null || e.device() == null ? null : nodeOf(facts, e.device());
            String what = switch (e.kind()) {
                case EFIFB -> String.format(Locale.ROOT, "efifb takes the firmware framebuffer at %s (%d KiB)", hex(e.get("base")), e.get("bytes") / 1024);
                case SMMU_PROBE -> "arm-smmu probes " + e.device();
                case SMMU_BANKS -> e.get("banks") + " context banks";
                case SMMU_GROUPS -> e.get("groups") + " stream-match groups";
                case RMR_PRESERVED -> "the RMR install preserved " + e.get("mappings") + " boot mapping(s)";
                case QCOM_CLAMP -> "qcom clamps the stream-match groups to " + e.get("groups") + " (entries above are never seen or reset)";
                case DIRECT_MAP_FAILED -> "the IOMMU core could not set up a firmware-requested direct mapping";
                case V3_RESET -> "arm-smmu-v3 found the SMMU enabled by the firmware and resets it";
                case IOMMU_GROUP -> e.device() + " joins IOMMU group " + e.get("group") + " (its default domain is attached)";
                case DRM_INIT -> (FIRMWARE_DRM.contains(e.detail()) ? "the firmware framebuffer's DRM driver " : "the display driver ")
                        + e.detail() + " is up on " + e.device();
                case CONTEXT_FAULT -> "context fault, stream " + hex(e.get("sid")) + ", iova " + hex(e.get("iova")) + ", cb " + e.get("cb");
                case BLOCKED_STREAM -> "global fault: unknown stream " + hex(e.get("sid")) + " blocked";
                case GLOBAL_FAULT -> "unexpected global fault";
                case V3_EVENT -> String.format(Locale.ROOT, "SMMUv3 event 0x%02x", e.get("event"));
                case MC_ERROR -> String.format(Locale.ROOT, "memory controller: %s %s %s%s", e.detail(),
                        e.get("write") == 1 ? "write to" : "read of", hex(e.get("address")), e.get("smmu") == 1 ? " (SMMU translation error)" : "");
                case LINUX_VERSION -> "Linux " + e.detail();
                case REBOOT -> "the kernel ends the boot: " + e.detail();
                case COMPONENT_BOUND -> e.device() + " binds " + e.detail() + " (the display driver is binding)";
                case DPU_REVISION -> "msm's DPU reads its revision (" + hex(e.get("revision")) + "): its own domain is attached next";
                case SIMPLEFB -> String.format(Locale.ROOT, "simplefb takes the firmware framebuffer at %s (%d KiB)", hex(e.get("base")), e.get("bytes") / 1024);
                case TLB_SYNC_TIMEOUT -> "arm-smmu: a TLB sync timed out (the SMMU may be deadlocked)";
                case V3_EVENT_NAMED -> "SMMUv3 event " + e.detail() + ", stream " + hex(e.get("sid")) + ", iova " + hex(e.get("iova"));
                case DISPLAY_MODULE -> null;
                case FB_GENERIC -> String.format(Locale.ROOT, "the display driver removes the firmware framebuffer at %s (%d KiB)",
                        hex(e.get("base")), e.get("bytes") / 1024);
                case SUPPRESSED -> e.get("count") + " more line(s) of " + e.detail() + " not printed (rate limit)";
                case DEFAULT_DOMAIN -> "the IOMMU core's default domain type: " + e.detail() + (e.get("cmdline") == 1 ? " (from the command line)" : "");
                case QCOM_SOFT_WALK -> e.get("phys") == 0 ? "qcom's software walk of the faulting IOVA finds no entry in the kernel's table"
                        : "qcom's software walk maps the faulting IOVA to " + hex(e.get("phys"));
                case RESV_NOT_DIRECT -> "a DT reserved region at another IOVA (" + hex(e.get("start")) + "-" + hex(e.get("end"))
                        + ") is reserved, not direct-mapped";
                case PANIC -> "kernel panic: " + e.detail();
                case COMMAND_LINE -> null;
                case CONTEXT_FAULT_SID, GLOBAL_SYNDROME, V3_EVENT_WORD -> null;
            };
            if (what != null) {
                out.add(new Moment(e.line(), e.time(), what, node));
            }
        }
        return out;
    }

    /** The board node a dev_printk device name ({@code ae00000.display-subsystem}) stands for, or null. */
    static String nodeOf(BoardFacts facts, String device) {
        String smmu = smmuOf(facts, device);
        if (smmu != null) {
            return smmu;
        }
        for (BoardFacts.Device d : facts.devices()) {
            if (names(device, d.path())) {
                return d.path();
            }
        }
        List<String> byUnit = facts.devices().stream().map(BoardFacts.Device::path).filter(p -> sameUnit(device, p)).toList();
        return byUnit.size() == 1 ? byUnit.get(0) : null;
    }

    /**
     * Whether a platform device name ({@code ae00000.display-subsystem}: unit address, then node
     * name, as of_device_make_bus_id builds it) is the DT node at {@code path}.
     */
    static boolean names(String device, String path) {
        int dot = device.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String unit = device.substring(0, dot).replaceFirst("^0+(?=.)", "");
        String last = path.substring(path.lastIndexOf('/') + 1);
        int at = last.indexOf('@');
        return at > 0 && last.substring(0, at).equals(device.substring(dot + 1))
                && last.substring(at + 1).replaceFirst("^0+(?=.)", "").equalsIgnoreCase(unit);
    }

    /** The model's version for a release ({@code 6.6.15}, {@code 6.12.38-arm64}, {@code 6.12}), or null when it has none. */
    static String supported(String release) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+\\.\\d+)").matcher(release);
        if (!m.find()) {
            return null;
        }
        return dev.handoff.model.scenario.KernelVersions.VERSIONS.contains(m.group(1)) ? m.group(1) : null;
    }

    /** Whether a trace step is the display driver's {@code step}. */
    private static boolean is(dev.handoff.counterexamples.Trace.Step s, DisplayDriverStep step) {
        return s.action().equals(step.name());
    }

    /** A version's order (major × 1000 + minor). */
    static int nearestOrder(String version) {
        String[] x = version.split("\\.");
        return Integer.parseInt(x[0]) * 1000 + Integer.parseInt(x[1].replaceAll("\\D.*", ""));
    }

    /** The model's latest version not after a release ({@code 5.13.4} is read as 5.10), or null when it predates them all. */
    static String nearest(String release) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
        if (!m.find()) {
            return null;
        }
        int given = Integer.parseInt(m.group(1)) * 1000 + Integer.parseInt(m.group(2));
        String best = null;
        for (String v : dev.handoff.model.scenario.KernelVersions.VERSIONS) {
            String[] x = v.split("\\.");
            if (Integer.parseInt(x[0]) * 1000 + Integer.parseInt(x[1]) <= given) {
                best = v;
            }
        }
        return best;
    }

    /**
     * What reading a release as the model's nearest earlier version leaves open: the mechanisms
     * whose value changed between that version and the next the model knows.
     */
    static String between(String release, String version) {
        List<String> versions = dev.handoff.model.scenario.KernelVersions.VERSIONS;
        int i = versions.indexOf(version);
        String next = i + 1 < versions.size() ? versions.get(i + 1) : null;
        List<String> open = next == null ? List.of() : dev.handoff.model.scenario.KernelVersions.mechanisms().stream()
                .filter(mech -> !mech.values().get(version).equals(mech.values().get(next)))
                .map(mech -> mech.knob() != null ? mech.knob() : mech.what()).distinct().toList();
        return "kernel.version=" + version + ": Linux " + release + " read as the model's nearest earlier version" + (next == null
                ? "" : open.isEmpty() ? " (no mechanism the model knows changed before " + next + ")"
                : "; these changed by " + next + " and may differ: " + String.join(", ", open));
    }

    /** DRM drivers of the firmware's framebuffer: their initialisation is not the display driver's. */
    static final Set<String> FIRMWARE_DRM = Set.of("simpledrm", "ofdrm", "efidrm", "vesadrm");

    /** SMMUv3 event IDs (arm-smmu-v3.h EVT_ID_*) that report a translation in a context: faults of a walk. */
    static final Set<Long> V3_WALK_EVENTS = Set.of(0x10L, 0x11L, 0x12L, 0x13L);

    /** Every fault line with a stream ID, mapped onto the board (when there is one). */
    static List<Fault> faults(List<KernelLog.Event> events, BoardFacts facts, List<BoardPlatforms.Target> targets, long[] fb) {
        List<Fault> out = new ArrayList<>();
        double drmAt = Double.NaN;
        int drmLine = Integer.MAX_VALUE;
        for (KernelLog.Event e : events) {
            // the display's own driver, not the firmware framebuffer's (simpledrm, ofdrm, efidrm)
            if (e.kind() == KernelLog.Kind.DRM_INIT && drmLine == Integer.MAX_VALUE && !FIRMWARE_DRM.contains(e.detail())) {
                drmLine = e.line();
                drmAt = e.time();
            }
        }
        for (int i = 0; i < events.size(); i++) {
            KernelLog.Event e = events.get(i);
            long sid = e.get("sid");
            String kind;
            switch (e.kind()) {
                case CONTEXT_FAULT -> {
                    kind = "context";
                    // 6.12's FSR line, or a vendor tree's "SID=" line, follows within the fault's own lines
                    for (int k = i + 1; sid < 0 && k < events.size() && k <= i + 8; k++) {
                        KernelLog.Kind next = events.get(k).kind();
                        if (next == KernelLog.Kind.CONTEXT_FAULT_SID) {
                            sid = events.get(k).get("sid");
                        } else if (next != KernelLog.Kind.QCOM_SOFT_WALK) {
                            break;
                        }
                    }
                }
                case BLOCKED_STREAM -> kind = "global";
                case MC_ERROR -> {
                    // Tegra's memory controller names the client, not the stream: a display client's
                    // SMMU translation error is a fault of the display's fetch, its other errors are not SMMU faults
                    if (e.get("smmu") != 1) {
                        continue;
                    }
                    out.add(mcFault(e, facts, targets, fb, drmLine, drmAt));
                    continue;
                }
                case V3_EVENT -> {
                    // arm_smmu_evtq_thread prints the event's four words: the stream ID in word 0's top
                    // half (EVTQ_0_SID), the input address in word 2 (EVTQ_2_ADDR) for the walk faults
                    List<Long> words = new ArrayList<>();
                    for (int k = i + 1; k < events.size() && k <= i + 4 && events.get(k).kind() == KernelLog.Kind.V3_EVENT_WORD; k++) {
                        words.add(events.get(k).get("word"));
                    }
                    if (words.isEmpty()) {
                        continue;
                    }
                    sid = words.get(0) >>> 32;
                    // a translation event of a walk, or a configuration error (C_BAD_STE and kin)
                    kind = V3_WALK_EVENTS.contains(e.get("event")) ? "event" : "event-config";
                    long iova3 = V3_WALK_EVENTS.contains(e.get("event")) && words.size() > 2 ? words.get(2) : -1;
                    out.add(mapped(e, kind, sid, iova3, facts, targets, fb, drmLine, drmAt));
                    continue;
                }
                case V3_EVENT_NAMED -> {
                    // 6.13's decoded line follows the four words: one fault, said twice
                    boolean words = false;
                    for (int k = Math.max(0, i - 6); k < i; k++) {
                        words |= events.get(k).kind() == KernelLog.Kind.V3_EVENT;
                    }
                    if (words) {
                        continue;
                    }
                    kind = Set.of("F_TRANSLATION", "F_ADDR_SIZE", "F_ACCESS", "F_PERMISSION").contains(e.detail()) ? "event" : "event-config";
                }
                case GLOBAL_FAULT -> {
                    if (i + 1 < events.size() && events.get(i + 1).kind() == KernelLog.Kind.GLOBAL_SYNDROME) {
                        sid = events.get(i + 1).get("sid");
                    }
                    kind = "global";
                }
                default -> {
                    continue;
                }
            }
            out.add(mapped(e, kind, sid, e.get("iova"), facts, targets, fb, drmLine, drmAt));
        }
        return out;
    }

    /** Where a fault falls against the display driver's DRM initialisation, when the log has one. */
    static String phase(KernelLog.Event e, int drmLine, double drmAt) {
        if (drmLine == Integer.MAX_VALUE) {
            return "the log shows no display driver coming up";
        }
        String phase = e.line() < drmLine ? "before the display driver came up" : "after the display driver came up";
        if (!Double.isNaN(drmAt) && e.timed()) {
            phase += String.format(Locale.ROOT, " (%+.3f s)", e.time() - drmAt);
        }
        return phase;
    }

    /** Tegra's display memory clients behind an ARM SMMU (tegra186.c and later: nvdisplayr, nvdisplayr1). */
    static boolean displayClient(String client) {
        return client != null && client.startsWith("nvdisplay");
    }

    /** A Tegra memory-controller SMMU translation error, owned by the display when its client is one. */
    private static Fault mcFault(KernelLog.Event e, BoardFacts facts, List<BoardPlatforms.Target> targets, long[] fb, int drmLine, double drmAt) {
        // Tegra186 and later name their display clients nvdisplay*, behind an ARM SMMU; Tegra30 to
        // Tegra210's display0a and kin sit behind tegra-smmu, which is no ARM SMMU and not modelled
        boolean older = e.detail() != null && e.detail().startsWith("display");
        BoardPlatforms.Target t = displayClient(e.detail()) && !targets.isEmpty() ? targets.get(0) : null;
        long iova = e.get("address");
        Boolean inFb = fb == null ? null : iova >= fb[0] && iova < fb[0] + fb[1];
        String phase = phase(e, drmLine, drmAt);
        // the memory controller does not say which SMMU fault it saw: a context or a global one
        return new Fault(e, "any", t == null ? null : t.smmu().path(), -1, iova, -1,
                t == null ? "memory client " + e.detail() : t.display().path(), t != null, inFb, phase, List.of(),
                older ? "memory client " + e.detail() + " is a Tegra30 to Tegra210 one, behind tegra-smmu (no ARM SMMU): not modelled" : null);
    }

    /** A fault line's stream mapped onto the board: the SMMU, the owner, the framebuffer, the phase. */
    private static Fault mapped(KernelLog.Event e, String kind, long sid, long iova, BoardFacts facts,
                            List<BoardPlatforms.Target> targets, long[] fb, int drmLine, double drmAt) {
        String smmu = null;
        String owner = null;
        boolean display = false;
        List<String> owners = new ArrayList<>();
        String note = null;
        if (facts != null && e.device() == null && sid >= 0) {
            // a line copied without its "arm-smmu DEVICE:" prefix: the SMMU whose clients use the stream ID
            List<String> using = facts.smmus().stream().map(BoardFacts.Smmu::path).filter(p -> facts.devices().stream()
                    .anyMatch(d -> d.streams().stream().anyMatch(st -> st.smmu().equals(p) && ((sid ^ st.sid()) & ~st.mask() & 0xffff) == 0)))
                    .toList();
            List<String> withDisplay = using.stream().filter(p -> targets.stream().anyMatch(t -> t.smmu().path().equals(p))).toList();
            if (using.size() == 1 || withDisplay.size() == 1) {
                smmu = using.size() == 1 ? using.get(0) : withDisplay.get(0);
                note = "the line names no SMMU: taken as " + smmu + (using.size() == 1 ? ", the only one with a client of this stream ID"
                        : ", the display's, one of " + using.size() + " whose clients use this stream ID");
            }
        }
        if (facts != null && (e.device() != null || smmu != null)) {
            smmu = smmu != null ? smmu : smmuOf(facts, e.device());
            if (smmu != null && sid >= 0) {
                for (BoardFacts.Device d : facts.devices()) {
                    for (BoardFacts.Stream s : d.streams()) {
                        if (s.smmu().equals(smmu) && ((sid ^ s.sid()) & ~s.mask() & 0xffff) == 0 && !owners.contains(named(d))) {
                            owners.add(named(d));
                            String path = d.path();
                            if (d.enabled() && !display && targets.stream().anyMatch(t -> t.display().path().equals(path))) {
                                owner = named(d);
                                display = true;
                            }
                        }
                    }
                }
            }
        }
        if (owner == null && !owners.isEmpty()) {
            owner = owners.stream().filter(o -> !o.endsWith("(disabled in the DT)")).findFirst().orElse(owners.get(0));
        }
        String primary = owner;
        List<String> others = owners.stream().filter(o -> !o.equals(primary)).toList();
        Boolean inFb = iova < 0 || fb == null ? null : iova >= fb[0] && iova < fb[0] + fb[1];
        return new Fault(e, kind, smmu, sid, iova, e.get("cb"), owner, display, inFb, phase(e, drmLine, drmAt), others, note);
    }

    /** The SMMU node a dev_printk device name ({@code 15000000.iommu}) stands for: its unit address and name. */
    static String smmuOf(BoardFacts facts, String device) {
        int dot = device.indexOf('.');
        if (dot <= 0 || !Character.isLetterOrDigit(device.charAt(0)) || device.startsWith("arm-smmu")) {
            // an ACPI platform device (arm-smmu-v3.0.auto) names no node: the board's only SMMU, if one
            return facts.smmus().size() == 1 ? facts.smmus().get(0).path() : null;
        }
        for (BoardFacts.Smmu s : facts.smmus()) {
            if (names(device, s.path())) {
                return s.path();
            }
        }
        // another kernel's node name for the same unit (15000000.apps-smmu, ae00000.mdss): by its address, when only one has it
        List<String> byUnit = facts.smmus().stream().map(BoardFacts.Smmu::path).filter(p -> sameUnit(device, p)).toList();
        return byUnit.size() == 1 && facts.devices().stream().noneMatch(d -> sameUnit(device, d.path())) ? byUnit.get(0) : null;
    }

    /** Whether a platform device name's unit address ({@code ae00000} of {@code ae00000.mdss}) is the node's. */
    static boolean sameUnit(String device, String path) {
        int dot = device.indexOf('.');
        String last = path.substring(path.lastIndexOf('/') + 1);
        int at = last.indexOf('@');
        return dot > 0 && at > 0 && last.substring(at + 1).replaceFirst("^0+(?=.)", "")
                .equalsIgnoreCase(device.substring(0, dot).replaceFirst("^0+(?=.)", ""));
    }

    /** Runs the model on every (policy, variant) side by side on all cores; null where the model refuses the scenario. */
    static List<HandoffCheck.Outcome> runAll(Platform p, List<String> policies, List<Map<String, String>> variants, PrintWriter verbose) {
        return runAll(p, policies, variants, List.of(), ExplorationSettings.defaults().withWorkers(1), verbose);
    }

    /** As {@link #runAll(Platform, List, List, PrintWriter)} with the given settings for each run. */
    static List<HandoffCheck.Outcome> runAll(Platform p, List<String> policies, List<Map<String, String>> variants,
                                             List<String> properties, ExplorationSettings settings, PrintWriter verbose) {
        List<java.util.concurrent.Callable<HandoffCheck.Outcome>> cells = new ArrayList<>();
        for (String policy : policies) {
            for (Map<String, String> variant : variants) {
                cells.add(() -> {
                    try {
                        return HandoffCheck.run(Scenario.of(p, policy, variant), properties, true, settings, SearchListener.NONE);
                    } catch (ScenarioException e) {
                        return null;
                    }
                });
            }
        }
        if (verbose != null) {
            verbose.printf(Locale.ROOT, "handoff: running the model: %d scenario(s) (%s × %d variant(s))%n", cells.size(),
                    policies.size() == 1 ? (policies.get(0) == null ? "mainline" : policies.get(0)) : policies.size() + " policies", variants.size());
            verbose.flush();
        }
        return SweepRunner.runAll(cells, Runtime.getRuntime().availableProcessors());
    }

    /** A single change to what the log cannot show under which the model shows the log's fault. */
    record Explainer(String knob, String value, String knobKind, Match match) {
    }

    /** The states an explainer's run may reach before it is left undecided. */
    static final long EXPLAINER_STATES = 50_000;

    /** Knobs no explainer changes: the board says them (interface, SMMU version), or they are already varied or fixed by the log. */
    static final Set<String> FIXED = Set.of(Knobs.KERNEL_VERSION, Knobs.FW_MAPPING, Knobs.FW_SMR, Knobs.FW_INTERFACE, Knobs.SMMU_VERSION);

    /**
     * For a fault no variant explains: each single knob change (firmware, hardware, the kernel's
     * configuration and command line, a mechanism as another version or a vendor tree has it)
     * under which some variant's violation shows as the fault. The firmware is taken to program
     * the display's streams (fw.smr=match); fw.mapping as the log says, else both.
     */
    static List<Explainer> explainers(Platform p, Map<String, String> inferred, Fault fault, Set<String> undecided, PrintWriter verbose) {
        List<Map<String, String>> variants = new ArrayList<>();
        for (Map<String, String> v : variants(inferred)) {
            if (v.get(Knobs.FW_SMR).equals("match")) {
                variants.add(v);
            }
        }
        // each variant's own knob values, once: a change is a value other than the variant's
        List<Scenario> base = new ArrayList<>();
        for (Map<String, String> v : variants) {
            try {
                base.add(Scenario.of(p, null, v));
            } catch (ScenarioException e) {
                base.add(null);
            }
        }
        List<Map<String, String>> changed = new ArrayList<>();
        List<String[]> changes = new ArrayList<>();
        for (dev.handoff.model.scenario.Knob k : Knobs.all()) {
            if (FIXED.contains(k.name()) || inferred.containsKey(k.name())) {
                continue;
            }
            for (String value : k.values()) {
                for (int i = 0; i < variants.size(); i++) {
                    Map<String, String> v = variants.get(i);
                    if (base.get(i) != null && !value.equals(base.get(i).knob(k.name()))) {
                        Map<String, String> c = new LinkedHashMap<>(v);
                        c.put(k.name(), value);
                        changed.add(c);
                        changes.add(new String[] {k.name(), value, k.kind().name().toLowerCase(Locale.ROOT)});
                    }
                }
            }
        }
        // a change may grow the model far past the log's own (every client live): each run is bounded,
        // by states (deterministic, unlike time), and partial-order reduced (same verdicts)
        List<HandoffCheck.Outcome> outcomes = runAll(p, java.util.Collections.singletonList(null), changed, List.of(),
                ExplorationSettings.defaults().withWorkers(1).withMaxStates(EXPLAINER_STATES).withReduction(Reduction.POR), verbose);
        Map<String, Explainer> out = new LinkedHashMap<>();
        for (int i = 0; i < changed.size(); i++) {
            String[] c = changes.get(i);
            if (outcomes.get(i) == null || out.containsKey(c[0] + "=" + c[1])) {
                continue;
            }
            if (outcomes.get(i).verdict() == Verdict.INCONCLUSIVE && matches(outcomes.get(i), null, changed.get(i)).isEmpty()) {
                undecided.add(c[0] + "=" + c[1]);
                continue;
            }
            for (Match m : matches(outcomes.get(i), null, changed.get(i))) {
                if (shows(m, fault)) {
                    out.put(c[0] + "=" + c[1], new Explainer(c[0], c[1], c[2], m));
                    break;
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    /** The model's violations of a display fetch, in every variant the log leaves open, each with its kind. */
    private static List<Match> violations(Platform p, String policy, Map<String, String> inferred, PrintWriter verbose) {
        List<Map<String, String>> variants = variants(inferred);
        java.util.Iterator<HandoffCheck.Outcome> outcomes = runAll(p, java.util.Collections.singletonList(policy), variants, verbose).iterator();
        List<Match> out = new ArrayList<>();
        for (Map<String, String> variant : variants) {
            HandoffCheck.Outcome o = outcomes.next();
            if (o != null) {
                out.addAll(matches(o, policy, variant));
            }
        }
        return out;
    }

    /** One run's violations of a display fetch. */
    static List<Match> matches(HandoffCheck.Outcome o, String policy, Map<String, String> variant) {
        List<Match> out = new ArrayList<>();
        for (HandoffCheck.PropertyOutcome po : o.properties()) {
            if (po.verdict() != Verdict.VIOLATED) {
                continue;
            }
            // the shortest trace, and the shortest of the worst severity when that one is milder
            for (dev.handoff.counterexamples.TraceFile f : po.files()) {
                dev.handoff.counterexamples.Trace.WitnessInfo w = f.trace().witness();
                FetchOutcome outcome = w == null ? null : FetchOutcome.ofLabel(w.outcome());
                if (outcome == null) {
                    continue; // not a display fetch (an untranslated other master, corrupted pages)
                }
                // how the SMMU records the failing fetch (global, context, event, none), and whether Linux prints it then
                out.add(new Match(policy == null ? "mainline" : policy, variant, po.name(), outcome.label(),
                        w.report() == null ? "none" : w.report(), Boolean.TRUE.equals(w.logged()), w.bank(), w.sid(),
                        modelPhase(f.trace(), variant.get(Knobs.KERNEL_VERSION)), f.rootCause(), f.explanation(), f));
            }
        }
        return out;
    }

    /** Why a violation does not show as the fault. */
    static String whyNot(Match m, Fault f) {
        boolean stops = m.severity().equals(FetchOutcome.FATAL.label()) || m.severity().equals(FetchOutcome.HANG.label());
        if (f.kind().equals(STOP)) {
            return "a " + m.severity() + " failure does not stop the machine";
        }
        if (m.severity().equals(FetchOutcome.FATAL.label())) {
            return "the firmware resets the machine on this global fault before Linux can print it";
        }
        if (m.kind().equals("none")) {
            return m.severity().equals(FetchOutcome.WRONG_PAGE.label()) ? "a read of the wrong page does not fault"
                    : "the " + m.severity() + " records nothing (no fault register, no event)";
        }
        if (!f.kind().equals("any") && !m.kind().equals(f.kind())) {
            return "a " + m.kind() + " fault, the log's is a " + f.kind() + " one";
        }
        if (!m.logged()) {
            return m.kind().equals("context")
                    ? "a context fault on bank " + m.bank() + ", whose interrupt Linux has not requested (no domain of its own"
                    + " there): it stays latched in the bank's FSR, unprinted"
                    : "Linux does not print it then";
        }
        return "a " + m.severity() + " " + m.kind() + " fault" + (stops ? " after which the machine stops" : "");
    }

    /** The kind of a log's fault that is the log ending: the board hung or reset. */
    static final String STOP = "stop";

    /**
     * Whether a violation shows as the fault. A printed fault is one Linux prints when it happens
     * (the witness's {@code logged}) of the same kind: a context fault (reported, or stalled: FSR
     * records it before the bus waits), a global fault, an SMMUv3 event; a Tegra memory-controller
     * error does not say which; a log that stops is a fatal global fault or a hang.
     */
    static boolean shows(Match m, Fault f) {
        String sev = m.severity();
        return switch (f.kind()) {
            case STOP -> sev.equals(FetchOutcome.FATAL.label()) || sev.equals(FetchOutcome.HANG.label());
            case "any" -> !m.kind().equals("none") && (sev.equals(FetchOutcome.FAULT.label()) || sev.equals(FetchOutcome.FATAL.label()));
            default -> m.kind().equals(f.kind()) && m.logged();
        };
    }

    /** Each fw.smr the firmware may have programmed (and each fw.mapping, unless the log fixed it), on top of what the log implies. */
    private static List<Map<String, String>> variants(Map<String, String> inferred) {
        List<Map<String, String>> out = new ArrayList<>();
        List<String> mappings = inferred.containsKey(Knobs.FW_MAPPING) ? List.of(inferred.get(Knobs.FW_MAPPING))
                : Knobs.get(Knobs.FW_MAPPING, "").values();
        for (String mapping : mappings) {
            for (String smr : Knobs.get(Knobs.FW_SMR, "").values()) {
                Map<String, String> v = new LinkedHashMap<>(inferred);
                v.put(Knobs.FW_MAPPING, mapping);
                v.put(Knobs.FW_SMR, smr);
                out.add(v);
            }
        }
        return out;
    }

    /** What a display fault can break: the display's own safety properties (isolation is about other masters). */
    static final List<String> DISPLAY_PROPERTIES = List.of(HandoffProperties.NO_DMA_FAULT, HandoffProperties.RIGHT_PAGE,
            HandoffProperties.NO_CORRUPTION, HandoffProperties.NO_STREAM_MATCH_CONFLICT);

    /** The policies under which none of the display's safety properties is violated in any variant the log leaves open. */
    private static List<String> safePolicies(Platform p, Map<String, String> inferred, PrintWriter verbose) {
        // a board boots the way it is described (as 'handoff board' skips the others)
        List<String> candidates = Policies.applying(p.knobDefaults().getOrDefault(Knobs.FW_INTERFACE, "dt")).stream().map(Policy::name).toList();
        List<Map<String, String>> variants = variants(inferred);
        // verdicts only: the display's properties, each run stopped at its first violation
        java.util.Iterator<HandoffCheck.Outcome> outcomes = runAll(p, candidates, variants, DISPLAY_PROPERTIES,
                ExplorationSettings.defaults().withWorkers(1).withStopAtFirstViolation(true), verbose).iterator();
        List<String> out = new ArrayList<>();
        for (String policy : candidates) {
            boolean safe = true;
            for (int v = 0; v < variants.size(); v++) {
                HandoffCheck.Outcome o = outcomes.next();
                safe &= o != null && o.properties().stream().noneMatch(x -> x.verdict() == Verdict.VIOLATED && DISPLAY_PROPERTIES.contains(x.name()));
            }
            if (safe) {
                out.add(policy);
            }
        }
        return out;
    }

    private static void violations(ArrayNode into, List<Match> list) {
        list.forEach(m -> violation(into.addObject(), m));
    }

    /** One violation as the schema's $defs/violation. */
    private static void violation(ObjectNode o, Match m) {
        o.put("policy", m.policy());
        ObjectNode v = o.putObject("variant");
        m.variant().forEach(v::put);
        o.put("property", m.property());
        o.put("severity", m.severity());
        o.put("kind", m.kind());
        o.put("logged", m.logged());
        o.put("bank", m.bank());
        o.put("sid", m.witnessSid());
        o.put("phase", m.phase());
        o.put("rootCause", m.rootCause());
        o.put("explanation", m.explanation());
    }

    private static String hex(long v) {
        return v < 0 ? "?" : dev.handoff.counterexamples.TraceJson.hex(v);
    }

    private static void text(PrintWriter out, List<KernelLog.Event> events, List<Fault> faults, String verdict, String policy,
                             Map<String, String> inferred, List<Match> matches, List<Match> predicted, List<Explainer> explainers,
                             Set<String> undecided, List<String> safe,
                             BoardPlatforms.Target target, long[] fb) {
        out.printf(Locale.ROOT, "read: %d handoff line(s), %d fault(s)%n", events.size(), faults.size());
        List<Moment> tl = timeline(events, null);
        if (!tl.isEmpty()) {
            out.println("timeline:");
            // a run of faults alike (the same words but for the address) is said once, with its count and last line
            for (int i = 0; i < tl.size(); i++) {
                Moment m = tl.get(i);
                String key = m.what().replaceAll("iova 0x[0-9a-f]+", "");
                int j = i;
                while (j + 1 < tl.size() && m.what().contains("fault") && tl.get(j + 1).what().replaceAll("iova 0x[0-9a-f]+", "").equals(key)) {
                    j++;
                }
                out.printf(Locale.ROOT, "  %s line %d: %s%s%n", Double.isNaN(m.time()) ? "          " : String.format(Locale.ROOT, "[%8.3f]", m.time()),
                        m.line(), m.what(), j > i ? String.format(Locale.ROOT, " (and %d more alike, to line %d)", j - i, tl.get(j).line()) : "");
                i = j;
            }
        }
        if (fb != null) {
            out.printf(Locale.ROOT, "firmware framebuffer: %s + %s%n", hex(fb[0]), hex(fb[1]));
        }
        // faults alike (kind, stream, owner, framebuffer, phase) are said once, with how many and where
        Map<String, List<Fault>> alike = new LinkedHashMap<>();
        for (Fault f : faults) {
            alike.computeIfAbsent(f.kind() + "|" + f.sid() + "|" + f.smmu() + "|" + f.owner() + "|" + f.inFramebuffer() + "|"
                    + f.phase().replaceFirst(" \\(.*", ""), k -> new ArrayList<>()).add(f);
        }
        for (List<Fault> group : alike.values()) {
            Fault f = group.get(0);
            if (f.kind().equals(STOP)) {
                out.printf(Locale.ROOT, "  %s: the board hung or reset; %s prints nothing more%n", f.phase(), f.owner());
                continue;
            }
            if (group.size() > 1) {
                out.printf(Locale.ROOT, "  %d faults alike, lines %d to %d; the first:%n", group.size(), f.event().line(),
                        group.get(group.size() - 1).event().line());
            }
            if (f.note() != null) {
                out.println("  note: " + f.note());
            }
            out.printf(Locale.ROOT, "  line %d: %s fault, stream %s%s%s: %s%s, %s%n", f.event().line(), f.kind(), hex(f.sid()),
                    f.iova() < 0 ? "" : ", iova " + hex(f.iova()), f.cb() >= 0 ? ", cb " + f.cb() : "",
                    (f.owner() == null ? (f.smmu() == null ? "printed by an SMMU the board does not describe" : f.sid() < 0
                            ? "the line does not say which stream" : "no described device on " + f.smmu())
                            : f.owner()) + (f.others().isEmpty() ? "" : " (the stream ID also matches " + String.join(", ", f.others()) + ")"),
                    f.inFramebuffer() == null || !f.display() ? "" : Boolean.TRUE.equals(f.inFramebuffer()) ? " (inside the framebuffer)" : " (outside the framebuffer)",
                    f.phase());
        }
        switch (verdict) {
            case "no-board" -> out.println("diagnosis: give --board FILE.dtb (or --acpi IORT.bin) to map the stream IDs onto devices");
            case "undetermined" -> out.println("diagnosis: undetermined: no decoded fault is on a display's stream, but the log does not"
                    + " say enough to rule it out (a fault without its stream ID, or fault lines not decoded: see above)");
            case "no-handoff-fault" -> {
                out.println("diagnosis: no handoff fault: " + (faults.isEmpty()
                        ? "the log has no SMMU fault" : "no fault is on the stream of a display the board enables"));
                for (Fault f : faults) {
                    if (f.owner() != null && f.owner().endsWith("(disabled in the DT)") && f.owner().contains("display")) {
                        out.printf(Locale.ROOT, "  note: stream %s is %s: the firmware may have lit a display Linux never probes,"
                                + " whose stream the reset leaves unmatched (see fw.programmed=displays)%n", hex(f.sid()), f.owner());
                    }
                }
            }
            case "unexplained" -> {
                out.println("diagnosis: a fault on the display's stream that no behaviour of the model of mainline " + inferred
                        + " (every fw.smr) matches: the model is missing something, or the kernel is not mainline");
                out.println(predicted.isEmpty() ? "  the model predicts no failure of the display's fetch there"
                        : "  the model predicts instead:");
                for (Match m : predicted) {
                    out.printf(Locale.ROOT, "    %s (%s on stream %s) in %s: %s%n      not this log's: %s%n", m.property(), m.severity(),
                            m.witnessSid(), m.variant(), m.rootCause(), whyNot(m, faults.stream().filter(Fault::display).findFirst().orElseThrow()));
                }
                out.println(explainers.isEmpty() ? "  no single change to what the log does not show (firmware, hardware, the kernel's"
                        + " configuration, a mechanism as another kernel has it) makes the model show this fault"
                        : "  the model shows this fault if one of these, which the log does not show, is so:");
                for (Explainer x : explainers) {
                    Match m = x.match();
                    out.printf(Locale.ROOT, "    %s=%s (%s): %s (%s, %s%s, %s) in %s: %s%n", x.knob(), x.value(), x.knobKind(), m.property(),
                            m.severity(), m.kind(), m.logged() ? " printed" : "", m.phase(), m.variant(), m.rootCause());
                }
                if (!undecided.isEmpty()) {
                    out.printf(Locale.ROOT, "  left undecided (the model outgrew %,d states): %s%n", EXPLAINER_STATES, String.join(", ", undecided));
                }
            }
            default -> {
                out.printf(Locale.ROOT, "diagnosis: handoff fault on %s, explained by the model of mainline %s (every fw.smr)%n",
                        target.display().path(), inferred);
                Set<String> seen = new LinkedHashSet<>();
                for (Match m : matches) {
                    if (seen.add(m.rootCause())) {
                        out.printf(Locale.ROOT, "  %s (%s, %s%s, %s) in %s: %s%n", m.property(), m.severity(), m.kind(),
                                m.logged() ? " printed" : " unprinted", m.phase(), m.variant(), m.rootCause());
                        out.println("    " + m.explanation());
                    }
                }
            }
        }
        if (target != null) {
            out.println("policies that keep the display safe (" + String.join(", ", DISPLAY_PROPERTIES) + ") in every variant the log"
                    + " leaves open: " + (safe.isEmpty() ? "none" : String.join(", ", safe)));
        }
    }

    private static ObjectNode json(List<String> read, List<KernelLog.Event> events, BoardFacts facts, List<Fault> faults, String verdict, String policy,
                                   Map<String, String> inferred, List<Match> matches, List<Match> predicted, List<Explainer> explainers,
                                   Set<String> undecided, List<String> safe, BoardPlatforms.Target target) {
        ObjectNode root = RunReport.JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("lines", events.size());
        ArrayNode tl = root.putArray("timeline");
        for (Moment m : timeline(events, facts)) {
            ObjectNode o = tl.addObject();
            o.put("line", m.line());
            if (Double.isNaN(m.time())) {
                o.putNull("time");
            } else {
                o.put("time", m.time());
            }
            o.put("what", m.what());
            o.put("node", m.node());
        }
        ArrayNode fs = root.putArray("faults");
        for (Fault f : faults) {
            ObjectNode o = fs.addObject();
            o.put("line", f.event().line());
            if (f.event().timed()) {
                o.put("time", f.event().time());
            } else {
                o.putNull("time");
            }
            o.put("kind", f.kind());
            o.put("smmu", f.smmu());
            o.put("sid", f.sid() < 0 ? null : hex(f.sid()));
            o.put("iova", f.iova() < 0 ? null : hex(f.iova()));
            o.put("owner", f.owner());
            ArrayNode also = o.putArray("alsoMatches");
            f.others().forEach(also::add);
            o.put("display", f.display());
            if (f.inFramebuffer() == null) {
                o.putNull("inFramebuffer");
            } else {
                o.put("inFramebuffer", f.inFramebuffer());
            }
            o.put("phase", f.phase());
            o.put("note", f.note());
        }
        root.put("verdict", verdict);
        root.put("display", target == null ? null : target.display().path());
        root.put("policy", policy);
        ObjectNode inf = root.putObject("inferred");
        inferred.forEach(inf::put);
        violations(root.putArray("matches"), matches);
        violations(root.putArray("predicted"), predicted);
        ArrayNode ex = root.putArray("explainers");
        for (Explainer x : explainers) {
            ObjectNode o = ex.addObject();
            o.put("knob", x.knob());
            o.put("value", x.value());
            o.put("knobKind", x.knobKind());
            violation(o.putObject("violation"), x.match());
        }
        ArrayNode und = root.putArray("undecidedChanges");
        undecided.forEach(und::add);
        ArrayNode rd = root.putArray("fromTheLog");
        read.forEach(rd::add);
        ArrayNode sp = root.putArray("safePolicies");
        safe.forEach(sp::add);
        return root;
    }
}
