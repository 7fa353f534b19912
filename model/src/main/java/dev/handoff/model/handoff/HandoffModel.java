package dev.handoff.model.handoff;

import dev.handoff.model.constraints.ConstraintAdapter;
import dev.handoff.model.display.DisplayDriverState;
import dev.handoff.model.display.Scanout;
import dev.handoff.engine.formalism.Action;
import dev.handoff.engine.formalism.Footprint;
import dev.handoff.engine.formalism.Model;
import dev.handoff.engine.formalism.Property;
import dev.handoff.engine.formalism.StateCodec;
import dev.handoff.model.kernel.DeviceState;
import dev.handoff.model.kernel.DriverState;
import dev.handoff.model.memory.PageState;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.smmu.FetchOutcome;
import dev.handoff.model.smmu.Resolver;
import dev.handoff.model.smmu.SmmuV2;
import dev.handoff.model.smmu.SmmuV3;
import dev.handoff.model.smmu.TableView;
import dev.handoff.model.smmu.Witness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The handoff as communicating state machines, scheduled: the processes {@link Processes#of}
 * lists (firmware, Tegra memory controller, arm-smmu driver, kernel init, IOMMU core, display
 * driver, page allocator, firmware framebuffer driver, display engine) each contribute their
 * steps, numbered in list order, and any enabled step may run next; a latched failure ends the
 * path. The scheduler knows no actor: what a step does and when it may run is its process's, and
 * what a state says is {@link Queries}'s. Nothing here knows what a policy is supposed to
 * achieve: a fetch fails only when the registers and tables it meets make it fail.
 *
 * <p>The model is acyclic: every action advances a program counter, a page state or the
 * failure latch, so "every run reaches the first modeset" is the same as "no run stops short
 * of it", which the engine's deadlock check decides.
 */
public final class HandoffModel implements Model<HandoffState> {
    private final HandoffConfig config;
    private final boolean pruning;
    private final ConstraintAdapter constraints;
    private final Queries queries;
    private final Processes.DisplayEngine engine;
    private final List<Process.Step> steps = new ArrayList<>();
    private final List<Action> actions = new ArrayList<>();
    private final List<Footprint> footprints = new ArrayList<>();
    private final HandoffCodec codec;
    /** Interchangeable clients, or null. */
    private final ClientSymmetry symmetry;

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
        this.constraints = constraints;
        this.queries = new Queries(config, constraints);
        this.engine = new Processes.DisplayEngine(queries, pruning, countSaved);
        for (Process p : Processes.of(queries, engine)) {
            for (Process.Step s : p.steps()) {
                steps.add(s);
                actions.add(new Action(s.name(), p.actor()));
                footprints.add(s.footprint());
            }
        }
        this.symmetry = ClientSymmetry.of(config);
        this.codec = new HandoffCodec(config, queries.firmware().size(), queries.driver().size(),
                queries.probes().stream().mapToInt(List::size).toArray(), queries.ddrv().size());
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

    /** The questions a state answers: where each actor is, the window, the fetch, routes. */
    public Queries queries() {
        return queries;
    }

    // ---- the scheduler

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

    @Override
    public HandoffState next(HandoffState s, int action) {
        return s.failure() != null ? null : steps.get(action).next(s);
    }

    @Override
    public List<Footprint> footprints() {
        return footprints;
    }

    /** A program counter, page state or driver state has passed the action, or a failure is latched. */
    @Override
    public boolean retired(HandoffState s, int action) {
        return s.failure() != null || steps.get(action).retired().test(s);
    }

    /** Every action advances a program counter, a page or driver state, or the failure latch (see the class comment). */
    @Override
    public boolean acyclic() {
        return true;
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
        return s.failure() != null || queries.kernelDone(s);
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

    /** The kernel function, register or spec field action {@code i} stands for. */
    public String citation(int i) {
        return steps.get(i).citation();
    }

    /** Fetch evaluations decided by constraints so far (each stands for sids × pages naive branches per outcome). */
    public long fetchEvaluations() {
        return engine.fetchEvaluations();
    }

    /** How many naive (stream ID, page) branches one pruned fetch evaluation stands for, per outcome. */
    public long naiveBranchesPerFetch() {
        return engine.naiveBranchesPerFetch();
    }

    /**
     * Distinct states a run without pruning would have stored on top of this one, summed over the
     * failing fetches this model evaluated; -1 when not counted ({@link #statesSavedNote}).
     */
    public long statesSaved() {
        return engine.statesSaved();
    }

    /** Why {@link #statesSaved} is -1, or null when it was counted. */
    public String statesSavedNote() {
        return engine.statesSavedNote();
    }

    // ---- what a state says ({@link Queries}), for the properties, the explainer and the charts

    /** The firmware, the arm-smmu driver, the IOMMU core and the display driver have all finished. */
    public boolean kernelDone(HandoffState s) {
        return queries.kernelDone(s);
    }

    /** The display driver's first modeset has run: the kernel drives the display. */
    public boolean modesetDone(HandoffState s) {
        return queries.modesetDone(s);
    }

    /** The firmware has handed off: the kernel runs and the window is open. */
    public boolean firmwareDone(HandoffState s) {
        return queries.firmwareDone(s);
    }

    public boolean driverDone(HandoffState s) {
        return queries.driverDone(s);
    }

    /** Client {@code client}'s IOMMU probe has run to its end (or was never to run). */
    public boolean clientDone(HandoffState s, int client) {
        return queries.clientDone(s, client);
    }

    /** The properties' window: after the handoff, while a pipe the firmware started still scans its buffer. */
    public boolean inWindow(HandoffState s) {
        return queries.inWindow(s);
    }

    /** The display fetch's window in this state. */
    public Resolver.Window window(HandoffState s) {
        return queries.window(s);
    }

    /** Every failure a display fetch can meet in this state, with a witness each. */
    public Map<FetchOutcome, Witness> fetchOutcomes(HandoffState s) {
        return queries.fetchOutcomes(s);
    }

    /** What each translation table holds in this state. */
    public IntFunction<TableView> tables(HandoffState s) {
        return queries.tables(s);
    }

    /** Whether some live display stream is translated through the firmware's tables right now. */
    public boolean walksFirmwareTables(HandoffState s) {
        return queries.walksFirmwareTables(s);
    }

    /** A live display stream ID that two or more valid SMRs match, or -1. */
    public int conflictingStream(HandoffState s) {
        return queries.conflictingStream(s);
    }

    /** A stream ID of another master left untranslated as a side effect ({@link Queries#untranslatedOtherStream}), or -1. */
    public int untranslatedOtherStream(HandoffState s) {
        return queries.untranslatedOtherStream(s);
    }

    /** Where stream {@code sid} at IOVA page {@code iovaPage} goes in this state, route by route ({@link Queries#resolve}). */
    public List<dev.handoff.model.smmu.Resolver.PageRoute> resolve(HandoffState s, int sid, long iovaPage) {
        return queries.resolve(s, sid, iovaPage);
    }

    /** How a transaction of stream {@code sid} resolves in this state, for people. */
    public String resolution(HandoffState s, int sid) {
        return queries.resolution(s, sid);
    }

    /** Who stream {@code sid} belongs to, for witnesses. */
    public String masterOf(int sid) {
        return queries.masterOf(sid);
    }
}
