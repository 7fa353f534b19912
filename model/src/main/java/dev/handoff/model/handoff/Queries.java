package dev.handoff.model.handoff;

import dev.handoff.model.constraints.ConstraintAdapter;
import dev.handoff.model.constraints.MappedRange;
import dev.handoff.model.constraints.MatchClass;
import dev.handoff.model.display.DisplayDriver;
import dev.handoff.model.display.DisplayDriverStep;
import dev.handoff.model.display.Scanout;
import dev.handoff.model.firmware.Firmware;
import dev.handoff.model.firmware.FirmwareStep;
import dev.handoff.model.kernel.ArmSmmuDriver;
import dev.handoff.model.kernel.CoreStep;
import dev.handoff.model.kernel.DeviceState;
import dev.handoff.model.kernel.DriverStep;
import dev.handoff.model.kernel.IommuCore;
import dev.handoff.model.memory.PageState;
import dev.handoff.model.smmu.FetchOutcome;
import dev.handoff.model.smmu.Resolver;
import dev.handoff.model.smmu.TableView;
import dev.handoff.model.smmu.Tables;
import dev.handoff.model.smmu.Witness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What a state says, in one place: where each actor is in its program, whether the window is
 * open, what the display's fetch meets, how a stream resolves, which other master bypasses. The
 * processes' guards ({@link Processes}), the properties, the explainer and the charts ask these
 * questions of a state; the answers are values (routes, witnesses, stream IDs), never prose to be
 * parsed, except {@link #resolution}, which is for people.
 */
public final class Queries {
    private final HandoffConfig config;
    private final ConstraintAdapter constraints;
    private final List<FirmwareStep> firmware;
    private final List<DriverStep> driver;
    /** Each client's probe program, indexed as {@link HandoffConfig#clients()}. */
    private final List<List<CoreStep>> probes;
    private final List<DisplayDriverStep> ddrv;
    /** The other displays the firmware lit, still scanning at handoff, and their entries (empty with a quiescing firmware). */
    private final List<Client> litDisplays;
    private final List<Integer> litEntries;
    /** The other masters whose default domain translates (not IDENTITY), and all their entries. */
    private final List<Client> translatedMasters;
    private final List<Integer> translatedEntries;

    Queries(HandoffConfig config, ConstraintAdapter constraints) {
        this.config = config;
        this.constraints = constraints;
        this.firmware = Firmware.program(config);
        this.driver = ArmSmmuDriver.program(config);
        this.probes = IommuCore.programs(config);
        this.ddrv = DisplayDriver.program(config);
        // the firmware stops every engine it lit before it hands off (fw.quiesce)
        this.litDisplays = config.quiesce() ? List.of() : config.litDisplays();
        this.litEntries = litDisplays.stream().flatMap(k -> k.entries().stream()).toList();
        // the displays the firmware lit are handed off like the display, not "other masters"
        this.translatedMasters = config.masters().stream().filter(m -> !config.handledAsDisplay(m.index()))
                .filter(m -> IommuCore.defaultDomainType(config, m.index()) != DeviceState.IDENTITY).toList();
        this.translatedEntries = translatedMasters.stream().flatMap(m -> m.entries().stream()).toList();
    }

    public HandoffConfig config() {
        return config;
    }

    ConstraintAdapter constraints() {
        return constraints;
    }

    List<FirmwareStep> firmware() {
        return firmware;
    }

    List<DriverStep> driver() {
        return driver;
    }

    List<List<CoreStep>> probes() {
        return probes;
    }

    List<DisplayDriverStep> ddrv() {
        return ddrv;
    }

    List<Integer> litEntries() {
        return litEntries;
    }

    /** The firmware, the arm-smmu driver, the IOMMU core and the display driver have all finished. */
    public boolean kernelDone(HandoffState s) {
        return firmwareDone(s) && driverDone(s) && coreDone(s) && ddrvDone(s) && s.lateInit();
    }

    /** The display driver's first modeset has run: the kernel drives the display. */
    public boolean modesetDone(HandoffState s) {
        return s.scanout() == Scanout.DRIVER_BUFFER;
    }

    /** The firmware has handed off: the kernel runs and the window is open. */
    public boolean firmwareDone(HandoffState s) {
        return s.fwPc() == firmware.size();
    }

    int driverNext(HandoffState s) {
        return firstApplicable(driver, s.driverPc(), step -> ArmSmmuDriver.applies(step, s, config));
    }

    public boolean driverDone(HandoffState s) {
        return driverNext(s) == driver.size();
    }

    int clientNext(HandoffState s, int client) {
        return firstApplicable(probes.get(client), s.probePc(client), step -> IommuCore.applies(step, s, config));
    }

    /** Client {@code client}'s IOMMU probe has run to its end (or was never to run). */
    public boolean clientDone(HandoffState s, int client) {
        return clientNext(s, client) == probes.get(client).size();
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

    /**
     * Whether client {@code client} may begin its IOMMU probe. {@code iommu_probe_device} holds
     * {@code iommu_probe_device_lock} over {@code __iommu_probe_device} and drops it before
     * {@code probe_finalize} (6.12 iommu.c:605-613): no other client is inside that section. With
     * {@code kernel.probe-order=display-last} the clients also keep {@link HandoffConfig#probeOrder()}.
     */
    boolean mayStart(HandoffState s, int client) {
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

    int ddrvNext(HandoffState s) {
        return firstApplicable(ddrv, s.ddrvPc(), step -> DisplayDriver.applies(step, s, config));
    }

    public boolean ddrvDone(HandoffState s) {
        return ddrvNext(s) == ddrv.size();
    }

    /** The first step at or after {@code pc} that does something in the current state (others are passed over). */
    private static <T> int firstApplicable(List<T> program, int pc, java.util.function.Predicate<T> applies) {
        while (pc < program.size() && !applies.test(program.get(pc))) {
            pc++;
        }
        return pc;
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
    boolean deviceExists(HandoffState s, CoreStep step) {
        if (config.handledAsDisplay(step.device()) && config.displayModule() && !s.lateInit()) {
            return false; // a module's driver (a lit display's is the display's) binds, and so probes its device's IOMMU, after init
        }
        return !(step.display() && config.tegra()) || s.ddrvPc() > 0;
    }

    /** The display device's IOMMU probe has begun. */
    boolean displayProbing(HandoffState s) {
        return s.display().probe() != DeviceState.UNPROBED;
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
    static boolean displayLive(HandoffState s) {
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

    /** The live display whose STE a v3 fetch of {@code sid} meets: a lit other display's, else the display's. */
    int v3Client(int sid) {
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

    Resolver.Window window(List<Integer> streams) {
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
    boolean passesAroundSmmu(HandoffState s) {
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

    /**
     * How a transaction of stream {@code sid} resolves in this state, ignoring its address:
     * the routes the SMMU can take, joined with " | " where there are several.
     */
    public String resolution(HandoffState s, int sid) {
        List<String> out = new ArrayList<>();
        for (Resolver.Route r : routes(s, sid)) {
            out.add(switch (r) {
                case Resolver.Route.Bypass b -> b.why();
                case Resolver.Route.Abort a -> a.why();
                case Resolver.Route.Walk w -> tables(s).apply(w.table()).garbage()
                        ? w.why() + Resolver.GARBAGE : w.why();
            });
        }
        return String.join(" | ", out);
    }

    /**
     * Where a transaction of stream {@code sid} at IOVA page {@code iovaPage} goes in this state:
     * one {@link Resolver.PageRoute} per route the SMMU can take (several under a stream match
     * conflict), each with the physical page it reaches and the failures a display fetch meets
     * there (judged against this display's framebuffer, as the fetch itself is).
     */
    public List<Resolver.PageRoute> resolve(HandoffState s, int sid, long iovaPage) {
        return Resolver.pages(routes(s, sid), iovaPage, window(s), tables(s));
    }

    /**
     * The routes a transaction of {@code sid} can take, ignoring its address. Tegra's passthrough
     * SID goes around the SMMU. On v3 a stream ID meets its owner's STE (another master's before
     * the display's, for an ID both describe), and one no client owns meets the STE Linux leaves
     * for unused IDs ({@link Resolver#routesV3Unknown}); on v2 it meets the SMRs it matches.
     */
    private List<Resolver.Route> routes(HandoffState s, int sid) {
        if (config.tegra() && config.passthroughBypassesSmmu() && sid == config.tegraPassthroughSid()) {
            return List.of(new Resolver.Route.Bypass("memory controller passthrough: around the SMMU"));
        }
        if (config.v3()) {
            Client owner = null;
            for (Client m : config.masters()) {
                if (m.owns(sid)) {
                    owner = m;
                    break;
                }
            }
            if (owner == null && config.display().owns(sid)) {
                owner = config.display();
            }
            return owner == null ? Resolver.routesV3Unknown(s.v3()) : Resolver.routesV3(s.v3(), owner.index());
        }
        List<Integer> matching = new ArrayList<>();
        for (int n = 0; n < config.groups(); n++) {
            if (dev.handoff.model.smmu.Registers.smrMatches(s.v2().smr()[n], sid)) {
                matching.add(n);
            }
        }
        return Resolver.routesV2(s.v2(), matching);
    }
}
