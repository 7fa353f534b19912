package dev.handoff.model.handoff;

import dev.handoff.model.constraints.ConstraintAdapter;
import dev.handoff.model.constraints.MappedRange;
import dev.handoff.model.constraints.MatchClass;
import dev.handoff.model.display.DisplayDriver;
import dev.handoff.model.display.DisplayDriverState;
import dev.handoff.model.display.DisplayDriverStep;
import dev.handoff.model.display.Scanout;
import dev.handoff.model.firmware.Firmware;
import dev.handoff.model.firmware.FirmwareStep;
import dev.handoff.model.formalism.Action;
import dev.handoff.model.formalism.Footprint;
import dev.handoff.model.formalism.Model;
import dev.handoff.model.formalism.Property;
import dev.handoff.model.formalism.StateCodec;
import dev.handoff.model.kernel.ArmSmmuDriver;
import dev.handoff.model.kernel.CoreStep;
import dev.handoff.model.kernel.DeviceState;
import dev.handoff.model.kernel.DriverState;
import dev.handoff.model.kernel.DriverStep;
import dev.handoff.model.kernel.IommuCore;
import dev.handoff.model.memory.MemoryAction;
import dev.handoff.model.memory.PageState;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.smmu.FetchOutcome;
import dev.handoff.model.smmu.Resolver;
import dev.handoff.model.smmu.SmmuV2;
import dev.handoff.model.smmu.SmmuV3;
import dev.handoff.model.smmu.TableView;
import dev.handoff.model.smmu.Tables;
import dev.handoff.model.smmu.Witness;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * The handoff as communicating state machines: firmware, (Tegra) memory controller, arm-smmu
 * driver, IOMMU core, display driver, page allocator, firmware framebuffer driver and display
 * engine. Each kernel actor runs its program (a list of steps built from the scenario) one
 * atomic step at a time; the page allocator, the framebuffer driver and the engine's fetches
 * interleave with them. Nothing here knows what a policy is supposed to achieve: a fetch fails
 * only when the registers and tables it meets make it fail.
 *
 * <p>The display engine's fetch is one action per failure outcome. It is enabled when some live
 * stream ID × framebuffer page fails that way, decided by
 * {@link Resolver#fetch} through the constraint adapter (pruning), or, with pruning off, one
 * action per (stream ID, page, outcome), decided by {@link Resolver#naive}. A failing fetch
 * latches its witness and ends the path ({@link Failure}).
 *
 * <p>The model is acyclic: every action advances a program counter, a page state or the
 * failure latch, so "every run reaches the first modeset" is the same as "no run stops short
 * of it", which the engine's deadlock check decides.
 */
public final class HandoffModel implements Model<HandoffState> {
    private final HandoffConfig config;
    private final boolean pruning;
    private final ConstraintAdapter constraints;
    private final List<FirmwareStep> firmware;
    private final List<DriverStep> driver;
    /** Each client's probe program, indexed as {@link HandoffConfig#clients()}. */
    private final List<List<CoreStep>> probes;
    private final List<DisplayDriverStep> ddrv;
    private final List<Slot> slots = new ArrayList<>();
    private final List<Action> actions = new ArrayList<>();
    private final List<String> citations = new ArrayList<>();
    private final List<Footprint> footprints = new ArrayList<>();
    private final List<Integer> naiveSids;
    private final HandoffCodec codec;
    /** Interchangeable clients, or null. */
    private final ClientSymmetry symmetry;
    /** The other displays the firmware lit, still scanning at handoff, and their entries (empty with a quiescing firmware). */
    private final List<Client> litDisplays;
    private final List<Integer> litEntries;
    /** The other masters whose default domain translates (not IDENTITY), and all their entries. */
    private final List<Client> translatedMasters;
    private final List<Integer> translatedEntries;
    private final LongAdder fetchEvaluations = new LongAdder();
    private final LongAdder statesSaved = new LongAdder();
    private final boolean countSaved;
    private volatile boolean statesSavedExact = true;

    /** Above this many (stream ID, page) pairs per fetch, the saved-state count is not computed. */
    static final long COUNT_LIMIT = 1 << 20;

    /** What an action index stands for. */
    private sealed interface Slot {
    }

    private record FwSlot(int pc) implements Slot {
    }

    private record McSlot() implements Slot {
    }

    private record LateInitSlot() implements Slot {
    }

    private record DriverSlot(int pc) implements Slot {
    }

    private record CoreSlot(int client, int pc) implements Slot {
    }

    private record DdrvSlot(int pc) implements Slot {
    }

    private record MemSlot(MemoryAction action) implements Slot {
    }

    private record FbdrvSlot() implements Slot {
    }

    private record FetchSlot(FetchOutcome outcome) implements Slot {
    }

    private record NaiveFetchSlot(int sid, long page, FetchOutcome outcome) implements Slot {
    }

    public HandoffModel(Scenario scenario, boolean pruning) {
        this(scenario, pruning, false);
    }

    /**
     * @param countSaved count the states naive enumeration would have added ({@link #statesSaved}):
     *                   it enumerates every (stream ID, page) of each failing fetch, most of a
     *                   check's time, so only on request
     */
    public HandoffModel(Scenario scenario, boolean pruning, boolean countSaved) {
        this(HandoffConfig.of(scenario), pruning, ConstraintAdapter.sharingProcessCaches(), countSaved);
    }

    public HandoffModel(HandoffConfig config, boolean pruning, ConstraintAdapter constraints) {
        this(config, pruning, constraints, false);
    }

    public HandoffModel(HandoffConfig config, boolean pruning, ConstraintAdapter constraints, boolean countSaved) {
        this.config = config;
        this.pruning = pruning;
        this.countSaved = countSaved;
        this.constraints = constraints;
        this.firmware = Firmware.program(config);
        this.driver = ArmSmmuDriver.program(config);
        this.probes = IommuCore.programs(config);
        this.ddrv = DisplayDriver.program(config);
        for (int i = 0; i < firmware.size(); i++) {
            add(new FwSlot(i), "firmware", firmware.get(i).name().toLowerCase().replace('_', '-'), firmware.get(i).citation());
        }
        if (config.tegra() && !config.lateSid() && !config.acpi()) {
            add(new McSlot(), "memory-controller", "program_sid_override",
                    "tegra186_mc_program_sid (MC probe, before v5.14; the MC driver matches only device trees):"
                            + " the display client's SID override := kernel SID");
        }
        for (int i = 0; i < driver.size(); i++) {
            add(new DriverSlot(i), "arm-smmu", driver.get(i).name(), driver.get(i).citation());
        }
        add(new LateInitSlot(), "kernel-init", "late_initcall_sync",
                "clk_disable_unused, genpd_power_off_unused: gate clocks and power domains nobody claimed");
        for (int client : config.probeOrder()) {
            List<CoreStep> p = probes.get(client);
            for (int i = 0; i < p.size(); i++) {
                add(new CoreSlot(client, i), "iommu-core", p.get(i).name(), p.get(i).citation());
            }
        }
        for (int i = 0; i < ddrv.size(); i++) {
            add(new DdrvSlot(i), "display-driver", ddrv.get(i).name(), ddrv.get(i).citation());
        }
        for (MemoryAction m : MemoryAction.values()) {
            add(new MemSlot(m), "page-allocator", m.label(), m.citation());
        }
        add(new FbdrvSlot(), "fw-framebuffer-driver", "bind", "efifb_probe / simpledrm_probe (CPU writes only)");
        // the firmware stops every engine it lit before it hands off (fw.quiesce)
        this.litDisplays = config.quiesce() ? List.of() : config.litDisplays();
        this.litEntries = litDisplays.stream().flatMap(k -> k.entries().stream()).toList();
        List<Integer> sids = new ArrayList<>(config.liveSids());
        for (int e : litEntries) {
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
        for (FetchOutcome o : FetchOutcome.values()) {
            if (pruning) {
                add(new FetchSlot(o), "display-engine", "fetch(" + o.label() + ")",
                        "scanout read of every live stream ID and framebuffer page (decided by constraints)");
            } else {
                for (int sid : naiveSids) {
                    for (long p = 0; p < config.fbPages(); p++) {
                        add(new NaiveFetchSlot(sid, p, o), "display-engine",
                                String.format("fetch(sid=0x%x,page=%d,%s)", sid, p, o.label()), "scanout read of one page");
                    }
                }
            }
        }
        this.symmetry = ClientSymmetry.of(config);
        // the displays the firmware lit are handed off like the display, not "other masters"
        this.translatedMasters = config.masters().stream().filter(m -> !config.handledAsDisplay(m.index()))
                .filter(m -> IommuCore.defaultDomainType(config, m.index()) != DeviceState.IDENTITY).toList();
        this.translatedEntries = translatedMasters.stream().flatMap(m -> m.entries().stream()).toList();
        this.codec = new HandoffCodec(config, firmware.size(), driver.size(), probes.stream().mapToInt(List::size).toArray(), ddrv.size());
        for (Slot slot : slots) {
            footprints.add(footprint(slot));
        }
    }

    // ---- footprints, for partial-order reduction: the state's parts as abstract variables

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

    /**
     * What each action touches ({@link Footprint}), from the guards and effects in {@link #next}.
     * Visible, with the handoff's properties ({@code HandoffProperties}) in mind: every kernel
     * step, the page writes (they set {@code corrupted}) and the fetch (it latches a failure). The
     * rest (the page allocator taking the firmware's pages, the firmware framebuffer driver
     * binding) change no property and no terminal state, and touch nothing a kernel step reads.
     */
    private Footprint footprint(Slot slot) {
        int[] kernelGuard = {V_FAILURE, V_FIRMWARE, V_KERNEL};
        return switch (slot) {
            case FwSlot f -> Footprint.of(new int[]{V_FAILURE, V_FIRMWARE}, new int[]{V_KERNEL},
                    new int[]{V_FIRMWARE, V_KERNEL}, true, false);
            case McSlot m -> Footprint.of(kernelGuard, new int[0], new int[]{V_KERNEL}, true, false);
            case DriverSlot d -> Footprint.of(kernelGuard, new int[0], new int[]{V_KERNEL}, true, false);
            case LateInitSlot l -> Footprint.of(kernelGuard, new int[0], new int[]{V_KERNEL}, true, false);
            case CoreSlot c -> Footprint.of(kernelGuard, new int[0], new int[]{V_KERNEL}, true, false);
            case DdrvSlot d -> Footprint.of(kernelGuard, new int[0], ddrv.get(d.pc()) instanceof DisplayDriverStep.RemoveFirmwareFb
                    ? new int[]{V_KERNEL, V_FBDRV} : new int[]{V_KERNEL}, true, false);
            case MemSlot m -> switch (m.action()) {
                case ALLOC_TABLES -> Footprint.of(new int[]{V_FAILURE, V_FIRMWARE, V_TABLES_ALLOCATED}, new int[0],
                        new int[]{V_TABLES_ALLOCATED}, false, false);
                case WRITE_TABLES -> Footprint.of(new int[]{V_FAILURE, V_FIRMWARE, V_TABLES_ALLOCATED, V_TABLES_WRITTEN},
                        new int[]{V_KERNEL, V_CORRUPTED}, new int[]{V_TABLES_WRITTEN, V_CORRUPTED}, true, false);
                case ALLOC_FRAMEBUFFER -> Footprint.of(new int[]{V_FAILURE, V_FIRMWARE, V_FB_ALLOCATED}, new int[0],
                        new int[]{V_FB_ALLOCATED}, false, false);
                case WRITE_FRAMEBUFFER -> Footprint.of(new int[]{V_FAILURE, V_FIRMWARE, V_FB_ALLOCATED, V_FB_WRITTEN},
                        new int[]{V_KERNEL, V_CORRUPTED}, new int[]{V_FB_WRITTEN, V_CORRUPTED}, true, false);
            };
            case FbdrvSlot f -> Footprint.of(new int[]{V_FAILURE, V_FIRMWARE, V_FBDRV}, new int[0], new int[]{V_FBDRV}, false, false);
            case FetchSlot f -> Footprint.of(new int[]{V_FAILURE, V_FIRMWARE, V_KERNEL, V_TABLES_WRITTEN}, new int[0],
                    new int[]{V_FAILURE}, true, true);
            case NaiveFetchSlot f -> Footprint.of(new int[]{V_FAILURE, V_FIRMWARE, V_KERNEL, V_TABLES_WRITTEN}, new int[0],
                    new int[]{V_FAILURE}, true, true);
        };
    }

    @Override
    public List<Footprint> footprints() {
        return footprints;
    }

    /** A program counter, page state or driver state has passed the action, or a failure is latched. */
    @Override
    public boolean retired(HandoffState s, int action) {
        if (s.failure() != null) {
            return true;
        }
        return switch (slots.get(action)) {
            case FwSlot f -> s.fwPc() > f.pc();
            case McSlot m -> s.mcPc() > 0;
            case DriverSlot d -> s.driverPc() > d.pc();
            case LateInitSlot l -> s.lateInit();
            case CoreSlot c -> s.probePc(c.client()) > c.pc();
            case DdrvSlot d -> s.ddrvPc() > d.pc();
            case MemSlot m -> switch (m.action()) {
                case ALLOC_TABLES -> s.tables() != PageState.FIRMWARE;
                case WRITE_TABLES -> s.tables() == PageState.WRITTEN;
                case ALLOC_FRAMEBUFFER -> s.framebuffer() != PageState.FIRMWARE;
                case WRITE_FRAMEBUFFER -> s.framebuffer() == PageState.WRITTEN;
            };
            case FbdrvSlot f -> s.fbdrv() != HandoffState.FBDRV_ABSENT;
            case FetchSlot f -> false;
            case NaiveFetchSlot f -> false;
        };
    }

    /** Every action advances a program counter, a page or driver state, or the failure latch (see the class comment). */
    @Override
    public boolean acyclic() {
        return true;
    }

    private void add(Slot slot, String actor, String name, String citation) {
        slots.add(slot);
        actions.add(new Action(name, actor));
        citations.add(citation);
    }

    public HandoffConfig config() {
        return config;
    }

    public Scenario scenario() {
        return config.scenario();
    }

    public boolean pruning() {
        return pruning;
    }

    public ConstraintAdapter constraints() {
        return constraints;
    }

    /** The index of the action {@code name} of {@code actor}, or -1 (names are unique within a model). */
    public int actionIndex(String actor, String name) {
        for (int i = 0; i < actions.size(); i++) {
            if (actions.get(i).name().equals(name) && actions.get(i).actor().equals(actor)) {
                return i;
            }
        }
        return -1;
    }

    /** True when some action is enabled. */
    public boolean hasSuccessor(HandoffState s) {
        for (int a = 0; a < actions.size(); a++) {
            if (next(s, a) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * How a transaction of stream {@code sid} resolves in this state, ignoring its address:
     * the routes the SMMU can take, joined with " | " where there are several.
     */
    public String resolution(HandoffState s, int sid) {
        List<Resolver.Route> routes;
        if (config.tegra() && config.passthroughBypassesSmmu() && sid == config.tegraPassthroughSid()) {
            return "memory controller passthrough: around the SMMU";
        } else if (config.v3()) {
            int client = 0;
            for (Client m : config.masters()) {
                if (m.owns(sid)) {
                    client = m.index();
                    break;
                }
            }
            routes = sid == config.undescribedSid() ? Resolver.routesV3Unknown(s.v3()) : Resolver.routesV3(s.v3(), client);
        } else {
            List<Integer> matching = new ArrayList<>();
            for (int n = 0; n < config.groups(); n++) {
                if (dev.handoff.model.smmu.Registers.smrMatches(s.v2().smr()[n], sid)) {
                    matching.add(n);
                }
            }
            routes = Resolver.routesV2(s.v2(), matching);
        }
        List<String> out = new ArrayList<>();
        for (Resolver.Route r : routes) {
            out.add(switch (r) {
                case Resolver.Route.Bypass b -> b.why();
                case Resolver.Route.Abort a -> a.why();
                case Resolver.Route.Walk w -> tables(s).apply(w.table()).garbage()
                        ? w.why() + Resolver.GARBAGE : w.why();
            });
        }
        return String.join(" | ", out);
    }

    /** The kernel function, register or spec field action {@code i} stands for. */
    public String citation(int i) {
        return citations.get(i);
    }

    /** Fetch evaluations decided by constraints so far (each stands for sids × pages naive branches per outcome). */
    public long fetchEvaluations() {
        return fetchEvaluations.sum();
    }

    /** How many naive (stream ID, page) branches one pruned fetch evaluation stands for, per outcome. */
    public long naiveBranchesPerFetch() {
        return (long) naiveSids.size() * config.fbPages();
    }

    @Override
    public List<HandoffState> initialStates() {
        int groups = config.groups();
        int banks = config.banks();
        List<DeviceState> devices = config.clients().stream().map(c -> DeviceState.initial(c.streams().size())).toList();
        List<Integer> pcs = java.util.Collections.nCopies(config.clients().size(), 0);
        return List.of(new HandoffState(0, 0, pcs, 0, 0, SmmuV2.reset(groups, banks),
                SmmuV3.reset(config.clients().size()), DriverState.empty(groups), devices, DisplayDriverState.INITIAL, PageState.FIRMWARE, PageState.FIRMWARE,
                HandoffState.FBDRV_ABSENT, Scanout.STOPPED, false, false, 0, null, 0));
    }

    @Override
    public List<Action> actions() {
        return actions;
    }

    /** Other masters are interchangeable ({@link ClientSymmetry}): the representative of the state's class. */
    @Override
    public HandoffState canonical(HandoffState s) {
        return symmetry == null ? s : symmetry.canonical(s);
    }

    /** The classes of interchangeable clients (client indices), empty when there is no symmetry. */
    public List<int[]> symmetryClasses() {
        return symmetry == null ? List.of() : symmetry.classes();
    }

    @Override
    public List<Property<HandoffState>> properties() {
        return List.of();
    }

    @Override
    public StateCodec<HandoffState> codec() {
        return codec;
    }

    /** Legitimately final: a failure is latched, or every actor has finished. */
    @Override
    public boolean isTerminal(HandoffState s) {
        return s.failure() != null || kernelDone(s);
    }


    /** The firmware, the arm-smmu driver, the IOMMU core and the display driver have all finished. */
    public boolean kernelDone(HandoffState s) {
        return firmwareDone(s) && driverDone(s) && coreDone(s) && ddrvDone(s) && s.lateInit();
    }

    /** The display driver's first modeset has run: the kernel drives the display. */
    public boolean modesetDone(HandoffState s) {
        return s.scanout() == Scanout.DRIVER_BUFFER;
    }

    // ---- program counters with lazy skipping of steps that do not apply

    private int driverNext(HandoffState s) {
        return firstApplicable(driver, s.driverPc(), step -> ArmSmmuDriver.applies(step, s, config));
    }

    private int clientNext(HandoffState s, int client) {
        return firstApplicable(probes.get(client), s.probePc(client), step -> IommuCore.applies(step, s, config));
    }

    /** Client {@code client}'s IOMMU probe has run to its end (or was never to run). */
    public boolean clientDone(HandoffState s, int client) {
        return clientNext(s, client) == probes.get(client).size();
    }

    /**
     * Whether client {@code client} may begin its IOMMU probe. {@code iommu_probe_device} holds
     * {@code iommu_probe_device_lock} over {@code __iommu_probe_device} and drops it before
     * {@code probe_finalize} (6.12 iommu.c:605-613): no other client is inside that section. With
     * {@code kernel.probe-order=display-last} the clients also keep {@link HandoffConfig#probeOrder()}.
     */
    private boolean mayStart(HandoffState s, int client) {
        for (int c : config.probeOrder()) {
            if (c == client) {
                if (!config.anyProbeOrder()) {
                    return true;
                }
                continue;
            }
            if (holdsLock(s, c)) {
                return false;
            }
            if (!config.anyProbeOrder() && s.probePc(c) == 0 && !clientDone(s, c)) {
                return false; // an earlier client in the fixed order has not started
            }
        }
        return true;
    }

    /** Client {@code c} is inside {@code __iommu_probe_device}: started, with a step before probe_finalize to go. */
    private boolean holdsLock(HandoffState s, int c) {
        if (s.probePc(c) == 0) {
            return false;
        }
        int next = clientNext(s, c);
        return next < probes.get(c).size() && !(probes.get(c).get(next) instanceof CoreStep.ProbeFinalize);
    }

    private int ddrvNext(HandoffState s) {
        return firstApplicable(ddrv, s.ddrvPc(), step -> DisplayDriver.applies(step, s, config));
    }

    /** The first step at or after {@code pc} that does something in the current state (others are passed over). */
    private static <T> int firstApplicable(List<T> program, int pc, java.util.function.Predicate<T> applies) {
        while (pc < program.size() && !applies.test(program.get(pc))) {
            pc++;
        }
        return pc;
    }

    /** The firmware has handed off: the kernel runs and the window is open. */
    public boolean firmwareDone(HandoffState s) {
        return s.fwPc() == firmware.size();
    }

    /**
     * Whether the IOMMU core may probe clients: once arm-smmu's probe has returned. v6.12 calls
     * {@code iommu_device_register} before the RMR install and the reset, but a client probing in
     * between finds no bound SMMU: {@code arm_smmu_probe_device} returns -EPROBE_DEFER ("smmu dev
     * has not bound yet", 229e6ee43d2a; before that fix, and its stable backports, the same race
     * dereferenced a NULL {@code smmu}, a crash rather than a handoff). A client's IOMMU probe
     * therefore never sees a half-reset SMMU with a live driver.
     */
    public boolean clientsMayProbe(HandoffState s) {
        return driverDone(s);
    }

    /**
     * Whether the device a core step probes exists yet: Tegra's display heads are created by the
     * display hub's probe ({@code devm_of_platform_populate} in tegra_display_hub_probe, after its
     * resets), so their IOMMU probe follows the hub's.
     */
    private boolean deviceExists(HandoffState s, CoreStep step) {
        if (config.handledAsDisplay(step.device()) && config.displayModule() && !s.lateInit()) {
            return false; // a module's driver (a lit display's is the display's) binds, and so probes its device's IOMMU, after init
        }
        return !(step.display() && config.tegra()) || s.ddrvPc() > 0;
    }

    /** The display device's IOMMU probe has begun. */
    private boolean displayProbing(HandoffState s) {
        return s.display().probe() != DeviceState.UNPROBED;
    }

    /**
     * late_initcall_sync: clk_disable_unused and genpd_power_off_unused gate what no driver has
     * claimed; a display the firmware left running, with its driver still to load, stops.
     */
    private HandoffState lateInit(HandoffState s) {
        HandoffState t = s.withLateInit(true);
        if (config.unusedClocksGated() && config.displayModule()) {
            t = (t.scanout() == Scanout.FIRMWARE_BUFFER ? t.withScanout(Scanout.STOPPED) : t).withExtraPipe(false);
        }
        return t;
    }

    public boolean driverDone(HandoffState s) {
        return driverNext(s) == driver.size();
    }

    /** Every client's IOMMU probe has run. */
    public boolean coreDone(HandoffState s) {
        for (int c = 0; c < probes.size(); c++) {
            if (!clientDone(s, c)) {
                return false;
            }
        }
        return true;
    }

    public boolean ddrvDone(HandoffState s) {
        return ddrvNext(s) == ddrv.size();
    }

    /**
     * The properties' window: after the handoff, while a pipe the firmware started still scans
     * the firmware's buffer (the one the driver takes over until its first modeset, or an extra one
     * nothing reprograms until the engine is reset).
     */
    public boolean inWindow(HandoffState s) {
        return firmwareDone(s) && (displayLive(s) || othersLive(s));
    }

    /** A pipe of the display the firmware started still scans its buffer. */
    private static boolean displayLive(HandoffState s) {
        return s.scanout() == Scanout.FIRMWARE_BUFFER || s.extraPipe();
    }

    /**
     * The other displays the firmware lit still scan its buffer: their drivers are not modelled, so
     * until the end of the run, unless late_initcall_sync gated their unclaimed clocks (their
     * drivers being modules, as the display's) or the firmware quiesced them.
     */
    private boolean othersLive(HandoffState s) {
        return !litEntries.isEmpty() && !(config.unusedClocksGated() && config.displayModule() && s.lateInit());
    }

    @Override
    public HandoffState next(HandoffState s, int action) {
        if (s.failure() != null) {
            return null;
        }
        Slot slot = slots.get(action);
        return switch (slot) {
            case FwSlot f -> s.fwPc() == f.pc()
                    ? Firmware.apply(firmware.get(f.pc()), s, config).withFwPc(f.pc() + 1) : null;
            case McSlot m -> firmwareDone(s) && s.mcPc() == 0
                    ? (config.mcSidLocked() ? s : s.withMcSid(config.displayKernelSid())).withMcPc(1) : null;
            case DriverSlot d -> firmwareDone(s) && driverNext(s) == d.pc()
                    ? ArmSmmuDriver.apply(driver.get(d.pc()), s, config).withDriverPc(d.pc() + 1) : null;
            case LateInitSlot l -> firmwareDone(s) && driverDone(s) && !s.lateInit()
                    && (config.displayModule() ? s.ddrvPc() == 0 && !displayProbing(s) : ddrvDone(s)) ? lateInit(s) : null;
            case CoreSlot c -> s.probePc(c.client()) <= c.pc() && clientNext(s, c.client()) == c.pc()
                    && firmwareDone(s) && clientsMayProbe(s)
                    && deviceExists(s, probes.get(c.client()).get(c.pc())) && (c.pc() > 0 || mayStart(s, c.client()))
                    ? IommuCore.apply(probes.get(c.client()).get(c.pc()), s, config).withProbePc(c.client(), c.pc() + 1) : null;
            // the display driver binds once its device's IOMMU probe has run (really_probe: dma_configure first)
            case DdrvSlot d -> (ddrv.get(d.pc()) instanceof DisplayDriverStep.HubReset ? driverDone(s) : clientDone(s, 0) && driverDone(s))
                    && firmwareDone(s) && ddrvNext(s) == d.pc() && (!config.displayModule() || s.lateInit())
                    ? DisplayDriver.apply(ddrv.get(d.pc()), s, config).withDdrvPc(d.pc() + 1) : null;
            case MemSlot m -> firmwareDone(s) ? memory(m.action(), s) : null;
            case FbdrvSlot f -> firmwareDone(s) && s.fbdrv() == HandoffState.FBDRV_ABSENT
                    ? s.withFbdrv(HandoffState.FBDRV_BOUND) : null;
            case FetchSlot f -> inWindow(s) ? fetch(s, f.outcome()) : null;
            case NaiveFetchSlot f -> inWindow(s) ? naiveFetch(s, f) : null;
        };
    }

    /**
     * The page allocator. A write to pages that the engine (framebuffer) or the SMMU's walker
     * (firmware tables on a live route) still reads is recorded as a corruption; the run goes on,
     * so what the engine meets next (a walk through rewritten tables) is explored too.
     */
    private HandoffState memory(MemoryAction a, HandoffState s) {
        return switch (a) {
            case ALLOC_TABLES -> !config.fwTablesReserved() && config.fwTranslated() && s.tables() == PageState.FIRMWARE
                    ? s.withTables(PageState.ALLOCATED) : null;
            case WRITE_TABLES -> {
                if (s.tables() != PageState.ALLOCATED) {
                    yield null;
                }
                HandoffState t = s.withTables(PageState.WRITTEN);
                yield inWindow(s) && walksFirmwareTables(s)
                        ? t.withCorrupted(t.corrupted() | HandoffState.CORRUPTED_TABLES) : t;
            }
            case ALLOC_FRAMEBUFFER -> !config.fwFramebufferReserved() && s.framebuffer() == PageState.FIRMWARE
                    ? s.withFramebuffer(PageState.ALLOCATED) : null;
            case WRITE_FRAMEBUFFER -> {
                if (s.framebuffer() != PageState.ALLOCATED) {
                    yield null;
                }
                HandoffState t = s.withFramebuffer(PageState.WRITTEN);
                yield inWindow(s) ? t.withCorrupted(t.corrupted() | HandoffState.CORRUPTED_FRAMEBUFFER) : t;
            }
        };
    }

    private HandoffState fetch(HandoffState s, FetchOutcome o) {
        fetchEvaluations.increment();
        Witness w = fetchOutcomes(s).get(o);
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
        Resolver.Window win = window(s);
        List<Integer> sids = Resolver.enumerate(win.streams());
        for (int sid : sids) {
            for (long p = 0; p < config.fbPages(); p++) {
                long iova = config.fwIovaPage() + p;
                EnumSet<FetchOutcome> out = passesAroundSmmu(s)
                        ? Resolver.naive(new Resolver.Route.Bypass("passthrough"), iova, win, tables(s))
                        : config.v3() ? Resolver.naive(s.v3(), v3Client(sid), iova, win, tables(s))
                        : Resolver.naive(s.v2(), sid, iova, win, tables(s));
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
            case WRONG_PAGE -> config.writer() ? Failure.Kind.WRITE_WRONG_PAGE : Failure.Kind.FETCH_WRONG_PAGE;
        };
    }

    private HandoffState naiveFetch(HandoffState s, NaiveFetchSlot f) {
        if (!window(s).streams().stream().anyMatch(e -> Resolver.enumerate(List.of(e)).contains(f.sid()))) {
            return null;
        }
        long iova = config.fwIovaPage() + f.page();
        EnumSet<FetchOutcome> out = passesAroundSmmu(s)
                ? Resolver.naive(new Resolver.Route.Bypass("passthrough"), iova, window(s), tables(s))
                : config.v3() ? Resolver.naive(s.v3(), v3Client(f.sid()), iova, window(s), tables(s))
                : Resolver.naive(s.v2(), f.sid(), iova, window(s), tables(s));
        if (!out.contains(f.outcome())) {
            return null;
        }
        return s.withFailure(new Failure(kind(f.outcome()), new Witness(f.outcome(), f.sid(), iova, -1, "naive")));
    }

    /** The live display whose STE a v3 fetch of {@code sid} meets: a lit other display's, else the display's. */
    private int v3Client(int sid) {
        for (Client k : litDisplays) {
            if (k.owns(sid) && !config.display().owns(sid)) {
                return k.index();
            }
        }
        return 0;
    }

    /** The display fetch's window in this state. */
    public Resolver.Window window(HandoffState s) {
        List<Integer> streams = config.tegra() ? List.of(s.mcSid()) : config.liveEntries();
        if (othersLive(s)) {
            List<Integer> all = new ArrayList<>(displayLive(s) ? streams : List.of());
            all.addAll(litEntries);
            streams = all;
        }
        return window(streams);
    }

    private Resolver.Window window(List<Integer> streams) {
        return new Resolver.Window(streams, config.fwIovaPage(), config.fbPages(), config.fbPage(),
                config.fbPage() + config.fbPages(), config.globalFaultFatal());
    }

    /** Every failure a display fetch can meet in this state, with a witness each. */
    public Map<FetchOutcome, Witness> fetchOutcomes(HandoffState s) {
        if (passesAroundSmmu(s)) {
            return Resolver.fetch(new Resolver.Route.Bypass("memory controller: passthrough SID 0x"
                    + Integer.toHexString(s.mcSid()) + " bypasses the SMMU"), window(s), constraints);
        }
        if (config.v3() && othersLive(s)) {
            // each client's streams meet its own STE
            Map<FetchOutcome, Witness> out = displayLive(s)
                    ? new java.util.EnumMap<>(Resolver.fetch(s.v3(), window(config.liveEntries()), tables(s), constraints))
                    : new java.util.EnumMap<>(FetchOutcome.class);
            for (Client k : litDisplays) {
                Resolver.fetch(s.v3(), k.index(), window(k.entries()), tables(s), constraints).forEach(out::putIfAbsent);
            }
            return out;
        }
        return config.v3() ? Resolver.fetch(s.v3(), window(s), tables(s), constraints)
                : Resolver.fetch(s.v2(), window(s), tables(s), constraints);
    }

    /** Tegra: the display's traffic still carries the passthrough SID, which goes around the SMMU. */
    private boolean passesAroundSmmu(HandoffState s) {
        return config.tegra() && config.passthroughBypassesSmmu() && s.mcSid() == config.tegraPassthroughSid();
    }

    /** What each translation table holds in this state. */
    public IntFunction<TableView> tables(HandoffState s) {
        // the display's default domain is its group's: another client's, when it joined that client's group
        int displayDomain = s.display().group() > 0 ? config.clients().get(s.display().group()).table() : Tables.DISPLAY_DEFAULT;
        return id -> switch (id == displayDomain ? Tables.DISPLAY_DEFAULT : id == Tables.DISPLAY_DEFAULT ? -1 : id) {
            case Tables.FIRMWARE -> config.fwTranslated()
                    ? new TableView(List.of(new MappedRange(config.fwIovaPage(), config.fbPage(), config.fbPages())),
                            s.tables() == PageState.WRITTEN)
                    : TableView.EMPTY;
            case Tables.DISPLAY_DEFAULT -> {
                List<MappedRange> r = new ArrayList<>();
                if (s.display().directMapped()) {
                    if (config.directRegion()) {
                        r.add(new MappedRange(config.fbPage(), config.fbPage(), config.fbPages()));
                    }
                    if (config.translatedRegion()) {
                        r.add(new MappedRange(config.fwIovaPage(), config.fbPage(), config.fbPages()));
                    }
                }
                if (!DisplayDriver.ownDomain(s, config) && s.ddrv().newBufferMapped()) {
                    r.add(new MappedRange(config.newIovaPage(), config.newPaPage(), config.fbPages()));
                }
                yield new TableView(r, false);
            }
            case Tables.DISPLAY_OWN -> {
                List<MappedRange> r = new ArrayList<>();
                if (s.ddrv().fwBufferMapped()) {
                    r.add(new MappedRange(config.fwIovaPage(), config.fbPage(), config.fbPages()));
                }
                if (s.ddrv().newBufferMapped()) {
                    r.add(new MappedRange(config.newIovaPage(), config.newPaPage(), config.fbPages()));
                }
                yield new TableView(r, false);
            }
            case Tables.FOREIGN -> new TableView(List.of(), true);
            default -> litView(s, id);
        };
    }

    /**
     * A lit display's own default domain: the firmware's regions mapped 1:1 (or translated) once
     * its IOMMU probe has mapped them, as the display's; empty otherwise, as every other client's.
     */
    private TableView litView(HandoffState s, int id) {
        for (Client k : config.litDisplays()) {
            DeviceState d = s.device(k.index());
            if (k.table() == id && d.group() == k.index() && d.directMapped()) {
                List<MappedRange> r = new ArrayList<>();
                if (config.directRegion()) {
                    r.add(new MappedRange(config.fbPage(), config.fbPage(), config.fbPages()));
                }
                if (config.translatedRegion()) {
                    r.add(new MappedRange(config.fwIovaPage(), config.fbPage(), config.fbPages()));
                }
                return new TableView(r, false);
            }
        }
        return TableView.EMPTY;
    }

    /** Whether some live display stream is translated through the firmware's tables right now. */
    public boolean walksFirmwareTables(HandoffState s) {
        if (config.v3()) {
            List<Integer> live = new ArrayList<>(List.of(0));
            if (othersLive(s)) {
                litDisplays.forEach(k -> live.add(k.index()));
            }
            return live.stream().anyMatch(k -> Resolver.routesV3(s.v3(), k).stream()
                    .anyMatch(r -> r instanceof Resolver.Route.Walk w && w.table() == Tables.FIRMWARE));
        }
        for (MatchClass mc : constraints.matchClasses(window(s).streams(), s.v2().smr())) {
            for (Resolver.Route r : Resolver.routesV2(s.v2(), mc.matching())) {
                if (r instanceof Resolver.Route.Walk w && w.table() == Tables.FIRMWARE) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A live display stream ID that two or more valid SMRs match, or -1. */
    public int conflictingStream(HandoffState s) {
        if (config.v3() || (s.v2().scr0() & dev.handoff.model.smmu.Registers.SCR0_CLIENTPD) != 0) {
            return -1;
        }
        for (MatchClass mc : constraints.matchClasses(window(s).streams(), s.v2().smr())) {
            if (mc.matching().size() > 1) {
                return mc.witness();
            }
        }
        return -1;
    }

    /**
     * A stream ID of another master that Linux's arm-smmu driver, once started, leaves untranslated
     * as a side effect, or -1. Another master is every master but the display (and the other
     * displays the firmware lit, handed off alike) whose traffic reaches this SMMU: each described one ({@link HandoffConfig#masters()}, from the DT or IORT) unless its
     * default domain is IDENTITY (bypass is then what was asked for), and a master no description
     * names ({@link HandoffConfig#undescribedSid()}), which Linux never gives a domain. Untranslated:
     * CLIENTPD=1, an unmatched stream with USFCFG=0, an S2CR of type BYPASS or a bank with
     * SCTLR.M=0 (v3: GBPA bypass, an STE of type bypass).
     */
    public int untranslatedOtherStream(HandoffState s) {
        if (!firmwareDone(s) || s.driverPc() == 0) {
            return -1;
        }
        if (config.v3()) {
            for (Client m : translatedMasters) {
                int sid = bypassing(s, m.entries(), m.index());
                if (sid >= 0) {
                    return sid;
                }
            }
        } else if (!translatedEntries.isEmpty()) {
            // one question for every master's entries: the SMRs split them into classes alike
            int sid = bypassing(s, translatedEntries, 0);
            if (sid >= 0) {
                return sid;
            }
        }
        return bypassing(s, List.of(config.undescribedSid()), -1);
    }

    /** A stream ID among {@code entries} of client {@code client} (-1: undescribed) that bypasses translation, or -1. */
    private int bypassing(HandoffState s, List<Integer> entries, int client) {
        if (config.v3()) {
            List<Resolver.Route> r = client < 0 ? Resolver.routesV3Unknown(s.v3()) : Resolver.routesV3(s.v3(), client);
            return r.stream().anyMatch(x -> x instanceof Resolver.Route.Bypass) ? entries.get(0) & 0xffff : -1;
        }
        for (MatchClass mc : constraints.matchClasses(entries,
                (s.v2().scr0() & dev.handoff.model.smmu.Registers.SCR0_CLIENTPD) != 0 ? new int[0] : s.v2().smr())) {
            for (Resolver.Route r : Resolver.routesV2(s.v2(), mc.matching())) {
                if (r instanceof Resolver.Route.Bypass) {
                    return mc.witness();
                }
            }
        }
        return -1;
    }

    /** Who stream {@code sid} belongs to, for witnesses. */
    public String masterOf(int sid) {
        if (sid == config.undescribedSid()) {
            return "a master no DT or IORT entry names";
        }
        for (Client m : config.masters()) {
            if (m.owns(sid)) {
                return m.name();
            }
        }
        return config.masters().isEmpty() ? "(none)" : config.masters().get(0).name();
    }
}
