package dev.handoff.model.handoff;

import dev.handoff.model.display.DisplayDriver;
import dev.handoff.model.display.DisplayDriverStep;
import dev.handoff.model.display.Scanout;
import dev.handoff.model.firmware.Firmware;
import dev.handoff.model.firmware.FirmwareStep;
import dev.handoff.engine.formalism.Footprint;
import dev.handoff.model.kernel.ArmSmmuDriver;
import dev.handoff.model.kernel.CoreStep;
import dev.handoff.model.kernel.DriverStep;
import dev.handoff.model.kernel.IommuCore;
import dev.handoff.model.memory.MemoryAction;
import dev.handoff.model.memory.PageState;
import dev.handoff.model.smmu.FetchOutcome;
import dev.handoff.model.smmu.Resolver;
import dev.handoff.model.smmu.Witness;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The handoff's processes, and {@link #of the one list} that says which a board runs: firmware,
 * (Tegra) memory controller, arm-smmu's probe, the kernel's late init, the IOMMU core, the display
 * driver, the page allocator, the firmware framebuffer driver and the display engine. Each step's
 * guard is the kernel's ordering (a driver binds after its device's IOMMU probe, the IOMMU core
 * probes once arm-smmu has bound, ...), its effect the actor's own {@code apply}. Nothing here
 * knows what a policy is supposed to achieve.
 *
 * <p>Footprints are over these abstract variables ({@code V_*}); visible, with the handoff's
 * properties ({@code HandoffProperties}) in mind: every kernel step, the page writes (they set
 * {@code corrupted}) and the fetch (it latches a failure). The rest (the page allocator taking the
 * firmware's pages, the firmware framebuffer driver binding) change no property and no terminal
 * state, and touch nothing a kernel step reads.
 */
public final class Processes {
    private Processes() {
    }

    /** The failure latch: every action's guard reads it (a latched state has no successor). */
    public static final int V_FAILURE = 0;
    /** The firmware's program counter: the handoff. */
    public static final int V_FIRMWARE = 1;
    /**
     * Everything the kernel actors and the display engine hold: SMMU registers and STEs, the
     * driver's shadow, every program counter but the firmware's, devices, the display driver,
     * scanout, the Tegra SID. One variable: each kernel step is visible anyway (it moves a program
     * counter that "handoff completes" reads, or a register a property reads).
     */
    public static final int V_KERNEL = 2;
    /** The firmware tables' pages have been handed to the page allocator (state not FIRMWARE). */
    public static final int V_TABLES_ALLOCATED = 3;
    /** Those pages have been rewritten (state WRITTEN): what a walk through them reads. */
    public static final int V_TABLES_WRITTEN = 4;
    public static final int V_FB_ALLOCATED = 5;
    public static final int V_FB_WRITTEN = 6;
    /** The firmware framebuffer driver's state: read only by its own bind. */
    public static final int V_FBDRV = 7;
    public static final int V_CORRUPTED = 8;

    private static final int[] NONE = new int[0];
    private static final int[] KERNEL_GUARD = {V_FAILURE, V_FIRMWARE, V_KERNEL};

    /** A kernel step: reads the handoff and the kernel's state, writes the kernel's (and {@code more}). */
    private static Footprint kernel(int... more) {
        int[] writes = new int[more.length + 1];
        writes[0] = V_KERNEL;
        System.arraycopy(more, 0, writes, 1, more.length);
        return Footprint.of(KERNEL_GUARD, NONE, writes, true, false);
    }

    /** What one step of a program does at program counter {@code pc}: its successor, or null. */
    @FunctionalInterface
    private interface ProgramStep<T> {
        HandoffState next(HandoffState s, int pc, T step);
    }

    /**
     * A program's steps behind a program counter: step {@code pc} may run (as {@code run} decides)
     * only while the counter has not passed it, and is retired once it has.
     */
    private static <T> List<Process.Step> program(List<T> program, java.util.function.Function<T, String> name,
                                                  java.util.function.Function<T, String> citation, java.util.function.Function<T, Footprint> footprint,
                                                  java.util.function.ToIntFunction<HandoffState> counter, ProgramStep<T> run) {
        List<Process.Step> steps = new ArrayList<>();
        for (int i = 0; i < program.size(); i++) {
            int pc = i;
            T step = program.get(i);
            steps.add(new Process.Step(name.apply(step), citation.apply(step), s -> run.next(s, pc, step),
                    footprint.apply(step), s -> counter.applyAsInt(s) > pc));
        }
        return steps;
    }

    /** The processes a board runs, in the order their steps are numbered. */
    public static List<Process> of(Queries q, DisplayEngine engine) {
        return List.of(firmware(q), memoryController(q), armSmmu(q), kernelInit(q), iommuCore(q), displayDriver(q),
                pageAllocator(q), framebufferDriver(q), engine);
    }

    /** The boot firmware's program: program the SMMU, start the scanout, maybe quiesce, hand off. */
    static Process firmware(Queries q) {
        Footprint f = Footprint.of(new int[]{V_FAILURE, V_FIRMWARE}, new int[]{V_KERNEL}, new int[]{V_FIRMWARE, V_KERNEL}, true, false);
        return Process.of("firmware", program(q.firmware(), step -> step.name().toLowerCase().replace('_', '-'),
                FirmwareStep::citation, step -> f, HandoffState::fwPc,
                (s, pc, step) -> s.fwPc() == pc ? Firmware.apply(step, s, q.config()).withFwPc(pc + 1) : null));
    }

    /** Tegra's memory controller before v5.14: its probe sets the display client's SID override. */
    static Process memoryController(Queries q) {
        HandoffConfig c = q.config();
        if (!(c.tegra() && !c.lateSid() && !c.acpi())) {
            return Process.of("memory-controller", List.of());
        }
        return Process.of("memory-controller", List.of(new Process.Step("program_sid_override",
                "tegra186_mc_program_sid (MC probe, before v5.14; the MC driver matches only device trees):"
                        + " the display client's SID override := kernel SID",
                s -> q.firmwareDone(s) && s.mcPc() == 0
                        ? (c.mcSidLocked() ? s : s.withMcSid(c.displayKernelSid())).withMcPc(1) : null,
                kernel(), s -> s.mcPc() > 0)));
    }

    /** arm-smmu's probe: cfg_probe, the vendor hooks, the RMR install, the reset. */
    static Process armSmmu(Queries q) {
        return Process.of("arm-smmu", program(q.driver(), DriverStep::name, DriverStep::citation, step -> kernel(),
                HandoffState::driverPc, (s, pc, step) -> q.firmwareDone(s) && q.driverNext(s) == pc
                        ? ArmSmmuDriver.apply(step, s, q.config()).withDriverPc(pc + 1) : null));
    }

    /**
     * late_initcall_sync, once arm-smmu has bound: with a modular display driver before it binds
     * (and before its device's IOMMU probe), with a built-in one after it has run.
     */
    static Process kernelInit(Queries q) {
        HandoffConfig c = q.config();
        return Process.of("kernel-init", List.of(new Process.Step("late_initcall_sync",
                "clk_disable_unused, genpd_power_off_unused: gate clocks and power domains nobody claimed",
                s -> q.firmwareDone(s) && q.driverDone(s) && !s.lateInit()
                        && (c.displayModule() ? s.ddrvPc() == 0 && !q.displayProbing(s) : q.ddrvDone(s)) ? lateInit(c, s) : null,
                kernel(), HandoffState::lateInit)));
    }

    /**
     * late_initcall_sync: clk_disable_unused and genpd_power_off_unused gate what no driver has
     * claimed; a display the firmware left running, with its driver still to load, stops.
     */
    private static HandoffState lateInit(HandoffConfig config, HandoffState s) {
        HandoffState t = s.withLateInit(true);
        if (config.unusedClocksGated() && config.displayModule()) {
            t = (t.scanout() == Scanout.FIRMWARE_BUFFER ? t.withScanout(Scanout.STOPPED) : t).withExtraPipe(false);
        }
        return t;
    }

    /**
     * The IOMMU core: each client's probe program, in {@link HandoffConfig#probeOrder()}, once
     * arm-smmu has bound and the device exists, under the probe lock ({@link Queries#mayStart}).
     */
    static Process iommuCore(Queries q) {
        List<Process.Step> steps = new ArrayList<>();
        for (int client : q.config().probeOrder()) {
            steps.addAll(program(q.probes().get(client), CoreStep::name, CoreStep::citation, step -> kernel(),
                    s -> s.probePc(client), (s, pc, step) -> s.probePc(client) <= pc && q.clientNext(s, client) == pc
                            && q.firmwareDone(s) && q.clientsMayProbe(s)
                            && q.deviceExists(s, step) && (pc > 0 || q.mayStart(s, client))
                            ? IommuCore.apply(step, s, q.config()).withProbePc(client, pc + 1) : null));
        }
        return Process.of("iommu-core", steps);
    }

    /**
     * The display driver: it binds once its device's IOMMU probe has run (really_probe:
     * dma_configure first), a module only after late init; Tegra's hub reset comes first.
     */
    static Process displayDriver(Queries q) {
        HandoffConfig c = q.config();
        return Process.of("display-driver", program(q.ddrv(), DisplayDriverStep::name, DisplayDriverStep::citation,
                step -> step instanceof DisplayDriverStep.RemoveFirmwareFb ? kernel(V_FBDRV) : kernel(), HandoffState::ddrvPc,
                (s, pc, step) -> (step instanceof DisplayDriverStep.HubReset ? q.driverDone(s) : q.clientDone(s, 0) && q.driverDone(s))
                        && q.firmwareDone(s) && q.ddrvNext(s) == pc && (!c.displayModule() || s.lateInit())
                        ? DisplayDriver.apply(step, s, c).withDdrvPc(pc + 1) : null));
    }

    /**
     * The page allocator. A write to pages that the engine (framebuffer) or the SMMU's walker
     * (firmware tables on a live route) still reads is recorded as a corruption; the run goes on,
     * so what the engine meets next (a walk through rewritten tables) is explored too.
     */
    static Process pageAllocator(Queries q) {
        List<Process.Step> steps = new ArrayList<>();
        for (MemoryAction m : MemoryAction.values()) {
            Footprint f = switch (m) {
                case ALLOC_TABLES -> Footprint.of(new int[]{V_FAILURE, V_FIRMWARE, V_TABLES_ALLOCATED}, NONE,
                        new int[]{V_TABLES_ALLOCATED}, false, false);
                case WRITE_TABLES -> Footprint.of(new int[]{V_FAILURE, V_FIRMWARE, V_TABLES_ALLOCATED, V_TABLES_WRITTEN},
                        new int[]{V_KERNEL, V_CORRUPTED}, new int[]{V_TABLES_WRITTEN, V_CORRUPTED}, true, false);
                case ALLOC_FRAMEBUFFER -> Footprint.of(new int[]{V_FAILURE, V_FIRMWARE, V_FB_ALLOCATED}, NONE,
                        new int[]{V_FB_ALLOCATED}, false, false);
                case WRITE_FRAMEBUFFER -> Footprint.of(new int[]{V_FAILURE, V_FIRMWARE, V_FB_ALLOCATED, V_FB_WRITTEN},
                        new int[]{V_KERNEL, V_CORRUPTED}, new int[]{V_FB_WRITTEN, V_CORRUPTED}, true, false);
            };
            java.util.function.Predicate<HandoffState> retired = switch (m) {
                case ALLOC_TABLES -> s -> s.tables() != PageState.FIRMWARE;
                case WRITE_TABLES -> s -> s.tables() == PageState.WRITTEN;
                case ALLOC_FRAMEBUFFER -> s -> s.framebuffer() != PageState.FIRMWARE;
                case WRITE_FRAMEBUFFER -> s -> s.framebuffer() == PageState.WRITTEN;
            };
            steps.add(new Process.Step(m.label(), m.citation(), s -> q.firmwareDone(s) ? memory(q, m, s) : null, f, retired));
        }
        return Process.of("page-allocator", steps);
    }

    /**
     * The page allocator. A write to pages that the engine (framebuffer) or the SMMU's walker
     * (firmware tables on a live route) still reads is recorded as a corruption; the run goes on,
     * so what the engine meets next (a walk through rewritten tables) is explored too.
     */
    private static HandoffState memory(Queries q, MemoryAction a, HandoffState s) {
        return switch (a) {
            case ALLOC_TABLES -> !q.config().fwTablesReserved() && q.config().fwTranslated() && s.tables() == PageState.FIRMWARE
                    ? s.withTables(PageState.ALLOCATED) : null;
            case WRITE_TABLES -> {
                if (s.tables() != PageState.ALLOCATED) {
                    yield null;
                }
                HandoffState t = s.withTables(PageState.WRITTEN);
                yield q.inWindow(s) && q.walksFirmwareTables(s)
                        ? t.withCorrupted(t.corrupted() | HandoffState.CORRUPTED_TABLES) : t;
            }
            case ALLOC_FRAMEBUFFER -> !q.config().fwFramebufferReserved() && s.framebuffer() == PageState.FIRMWARE
                    ? s.withFramebuffer(PageState.ALLOCATED) : null;
            case WRITE_FRAMEBUFFER -> {
                if (s.framebuffer() != PageState.ALLOCATED) {
                    yield null;
                }
                HandoffState t = s.withFramebuffer(PageState.WRITTEN);
                yield q.inWindow(s) ? t.withCorrupted(t.corrupted() | HandoffState.CORRUPTED_FRAMEBUFFER) : t;
            }
        };
    }

    /** efifb or simpledrm binds to the firmware's framebuffer (CPU writes only); the display driver removes it. */
    static Process framebufferDriver(Queries q) {
        return Process.of("fw-framebuffer-driver", List.of(new Process.Step("bind", "efifb_probe / simpledrm_probe (CPU writes only)",
                s -> q.firmwareDone(s) && s.fbdrv() == HandoffState.FBDRV_ABSENT ? s.withFbdrv(HandoffState.FBDRV_BOUND) : null,
                Footprint.of(new int[]{V_FAILURE, V_FIRMWARE, V_FBDRV}, NONE, new int[]{V_FBDRV}, false, false),
                s -> s.fbdrv() != HandoffState.FBDRV_ABSENT)));
    }

    /**
     * The display engine's fetch: one step per failure outcome, enabled when some live stream ID ×
     * framebuffer page fails that way, decided by {@link Resolver#fetch} through the constraint
     * adapter (pruning), or, with pruning off, one step per (stream ID, page, outcome), decided by
     * {@link Resolver#naive}. A failing fetch latches its witness and ends the path ({@link Failure}).
     */
    public static final class DisplayEngine implements Process {
        /** Above this many (stream ID, page) pairs per fetch, the saved-state count is not computed. */
        static final long COUNT_LIMIT = 1 << 20;

        private final Queries q;
        private final boolean countSaved;
        private final List<Integer> naiveSids;
        private final List<Process.Step> steps = new ArrayList<>();
        private final LongAdder fetchEvaluations = new LongAdder();
        private final LongAdder statesSaved = new LongAdder();
        private volatile boolean statesSavedExact = true;

        DisplayEngine(Queries q, boolean pruning, boolean countSaved) {
            this.q = q;
            this.countSaved = countSaved;
            HandoffConfig config = q.config();
            List<Integer> sids = new ArrayList<>(config.liveSids());
            for (int e : q.litEntries()) {
                for (int sid : Resolver.enumerate(List.of(e))) {
                    if (!sids.contains(sid)) {
                        sids.add(sid);
                    }
                }
            }
            if (config.tegra()) {
                sids = new ArrayList<>(List.of(config.tegraPassthroughSid(), config.displayKernelSid()));
            }
            this.naiveSids = List.copyOf(sids);
            Footprint f = Footprint.of(new int[]{V_FAILURE, V_FIRMWARE, V_KERNEL, V_TABLES_WRITTEN}, NONE,
                    new int[]{V_FAILURE}, true, true);
            for (FetchOutcome o : FetchOutcome.values()) {
                if (pruning) {
                    steps.add(new Process.Step("fetch(" + o.label() + ")",
                            "scanout read of every live stream ID and framebuffer page (decided by constraints)",
                            s -> q.inWindow(s) ? fetch(s, o) : null, f, s -> false));
                } else {
                    for (int sid : naiveSids) {
                        for (long p = 0; p < config.fbPages(); p++) {
                            NaiveFetch nf = new NaiveFetch(sid, p, o);
                            steps.add(new Process.Step(String.format("fetch(sid=0x%x,page=%d,%s)", sid, p, o.label()),
                                    "scanout read of one page", s -> q.inWindow(s) ? naiveFetch(s, nf) : null, f, s -> false));
                        }
                    }
                }
            }
        }

        private record NaiveFetch(int sid, long page, FetchOutcome outcome) {
        }

        @Override
        public String actor() {
            return "display-engine";
        }

        @Override
        public List<Process.Step> steps() {
            return steps;
        }

        /** Fetch evaluations decided by constraints so far. */
        long fetchEvaluations() {
            return fetchEvaluations.sum();
        }

        /** How many naive (stream ID, page) branches one pruned fetch evaluation stands for, per outcome. */
        long naiveBranchesPerFetch() {
            return (long) naiveSids.size() * q.config().fbPages();
        }

        private HandoffState fetch(HandoffState s, FetchOutcome o) {
            fetchEvaluations.increment();
            Witness w = q.fetchOutcomes(s).get(o);
            if (w == null) {
                return null;
            }
            countNaiveFailures(s, o);
            return s.withFailure(new Failure(kind(o), w));
        }

        /**
         * Naive enumeration would latch one failure state per failing (stream ID, page) where pruning
         * latches one: the difference, summed, is the states pruning saved. Counted by the naive
         * evaluator, on failing fetches only, and only while the pairs stay under {@link #COUNT_LIMIT}.
         */
        private void countNaiveFailures(HandoffState s, FetchOutcome o) {
            if (!countSaved || naiveBranchesPerFetch() > COUNT_LIMIT) {
                statesSavedExact = false;
                return;
            }
            long failing = 0;
            Resolver.Window win = q.window(s);
            List<Integer> sids = Resolver.enumerate(win.streams());
            for (int sid : sids) {
                for (long p = 0; p < q.config().fbPages(); p++) {
                    long iova = q.config().fwIovaPage() + p;
                    EnumSet<FetchOutcome> out = q.passesAroundSmmu(s)
                            ? Resolver.naive(new Resolver.Route.Bypass("passthrough"), iova, win, q.tables(s))
                            : q.config().v3() ? Resolver.naive(s.v3(), q.v3Client(sid), iova, win, q.tables(s))
                            : Resolver.naive(s.v2(), sid, iova, win, q.tables(s));
                    if (out.contains(o)) {
                        failing++;
                    }
                }
            }
            statesSaved.add(Math.max(0, failing - 1));
        }

        /**
         * Distinct states a run without pruning would have stored on top of this one, summed over the
         * failing fetches this model evaluated; -1 when not counted ({@link #statesSavedNote}).
         */
        public long statesSaved() {
            return countSaved && statesSavedExact ? statesSaved.sum() : -1;
        }

        /** Why {@link #statesSaved} is -1, or null when it was counted. */
        public String statesSavedNote() {
            if (!countSaved) {
                return "not counted (--count-saved counts it)";
            }
            return statesSavedExact ? null : "not counted: more than " + COUNT_LIMIT + " (stream ID, page) pairs per fetch";
        }

        private Failure.Kind kind(FetchOutcome o) {
            return switch (o) {
                case FATAL -> Failure.Kind.FETCH_FATAL;
                case FAULT -> Failure.Kind.FETCH_FAULT;
                case HANG -> Failure.Kind.FETCH_HANG;
                case WRONG_PAGE -> q.config().writer() ? Failure.Kind.WRITE_WRONG_PAGE : Failure.Kind.FETCH_WRONG_PAGE;
            };
        }

        private HandoffState naiveFetch(HandoffState s, NaiveFetch f) {
            if (!q.window(s).streams().stream().anyMatch(e -> Resolver.enumerate(List.of(e)).contains(f.sid()))) {
                return null;
            }
            long iova = q.config().fwIovaPage() + f.page();
            EnumSet<FetchOutcome> out = q.passesAroundSmmu(s)
                    ? Resolver.naive(new Resolver.Route.Bypass("passthrough"), iova, q.window(s), q.tables(s))
                    : q.config().v3() ? Resolver.naive(s.v3(), q.v3Client(f.sid()), iova, q.window(s), q.tables(s))
                    : Resolver.naive(s.v2(), f.sid(), iova, q.window(s), q.tables(s));
            if (!out.contains(f.outcome())) {
                return null;
            }
            return s.withFailure(new Failure(kind(f.outcome()), new Witness(f.outcome(), f.sid(), iova, -1, "naive")));
        }
    }
}
