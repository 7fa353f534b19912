package dev.handoff.properties;

import dev.handoff.engine.formalism.Property;
import dev.handoff.model.handoff.Failure;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.scenario.ScenarioException;
import dev.handoff.model.smmu.FetchOutcome;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named properties of a handoff (issue 3 §4). The window runs from the firmware's handoff
 * until the display engine stops (reset or quiesce) or the first modeset. Names are values: the
 * command line, traces and tests use them.
 */
public final class HandoffProperties {
    public static final String NO_DMA_FAULT = "no-dma-fault";
    public static final String RIGHT_PAGE = "right-page";
    public static final String NO_CORRUPTION = "no-corruption";
    public static final String ISOLATION = "isolation";
    public static final String NO_STREAM_MATCH_CONFLICT = "no-stream-match-conflict";
    public static final String HANDOFF_COMPLETES = "handoff-completes";

    /** A property's name, class and one-line meaning, for {@code handoff list properties}. */
    public record Info(String name, String kind, String description) {
    }

    private static final Map<String, Info> CATALOG = new LinkedHashMap<>();

    static {
        info(NO_DMA_FAULT, "safety", "No display transaction in the window is aborted (unmatched stream with USFCFG=1,"
                + " S2CR FAULT, stream match conflict fault, context fault, v3 abort) or hangs. Severity of a"
                + " violation: fatal (a global fault the firmware resets on), hang, or fault (aborted and reported).");
        info(RIGHT_PAGE, "safety", "Every display transaction in the window lands on a page of the framebuffer the"
                + " engine was programmed with. Severity of a violation: wrong-page.");
        info(NO_CORRUPTION, "safety", "No write-capable master writes a page outside its buffer, and no kernel write"
                + " lands on pages the engine or the SMMU walker still reads.");
        info(ISOLATION, "safety", "Once Linux's arm-smmu driver has started, no other master reaches memory"
                + " untranslated as a side effect. Another master is every master but the display (and the other displays"
                + " fw.programmed lit, which are handed off alike) whose traffic reaches"
                + " the SMMU: each described client (DT iommus, IORT ID mappings) whose default domain is not IDENTITY,"
                + " and a master no description names (one stream ID that no described entry matches: firmware, secure"
                + " or DSP streams, devices without iommus), which Linux never gives a domain. Untranslated: sCR0.CLIENTPD=1,"
                + " an unmatched stream with USFCFG=0, an S2CR of type BYPASS, a bank with SCTLR.M=0 (v3: GBPA bypass).");
        info(NO_STREAM_MATCH_CONFLICT, "safety", "Never two valid SMRs match one live display stream ID.");
        info(HANDOFF_COMPLETES, "liveness", "Every run reaches the display driver's first modeset: no run gets stuck"
                + " (deadlock) and none finishes every kernel step without it (no display driver binds, a buffer"
                + " cannot be mapped). Runs ended by a failure above are judged by that property.");
    }

    private static void info(String name, String kind, String description) {
        CATALOG.put(name, new Info(name, kind, description));
    }

    private HandoffProperties() {
    }

    public static List<Info> catalog() {
        return List.copyOf(CATALOG.values());
    }

    /** Checks property names, with a message listing the known ones. */
    public static List<String> resolve(List<String> names) {
        if (names == null || names.isEmpty()) {
            return List.copyOf(CATALOG.keySet());
        }
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (!CATALOG.containsKey(n)) {
                throw new ScenarioException("property \"" + n + "\" is unknown (known: "
                        + String.join(", ", CATALOG.keySet()) + ")");
            }
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** The safety properties among {@code names} as state invariants over {@code model}'s states. */
    public static List<Property<HandoffState>> invariants(HandoffModel model, List<String> names) {
        List<Property<HandoffState>> out = new ArrayList<>();
        for (String n : resolve(names)) {
            switch (n) {
                case NO_DMA_FAULT -> out.add(Property.always(n, s -> !failed(s, Failure.Kind.FETCH_FATAL,
                        Failure.Kind.FETCH_FAULT, Failure.Kind.FETCH_HANG)));
                case RIGHT_PAGE -> out.add(Property.always(n, s -> !failed(s, Failure.Kind.FETCH_WRONG_PAGE, Failure.Kind.WRITE_WRONG_PAGE)));
                case NO_CORRUPTION -> out.add(Property.always(n, s -> s.corrupted() == 0 && !failed(s, Failure.Kind.WRITE_WRONG_PAGE)));
                case ISOLATION -> out.add(Property.always(n, s -> model.untranslatedOtherStream(s) < 0));
                case NO_STREAM_MATCH_CONFLICT -> out.add(Property.always(n, s -> !model.inWindow(s) || model.conflictingStream(s) < 0));
                case HANDOFF_COMPLETES -> {
                    // decided by the engine's deadlock check over the model's terminal states
                }
                default -> throw new IllegalStateException(n);
            }
        }
        return out;
    }

    /** The name of the invariant behind {@link #HANDOFF_COMPLETES} besides the deadlock check. */
    public static final String FINISHES_WITH_MODESET = "completes:modeset";

    /**
     * The acyclic model's form of "every run reaches the first modeset", besides deadlock freedom:
     * no state in which every kernel actor has finished while the driver never set a mode.
     */
    public static Property<HandoffState> finishesWithModeset(HandoffModel model) {
        return Property.always(FINISHES_WITH_MODESET, s -> s.failure() != null || !model.kernelDone(s) || model.modesetDone(s));
    }

    /** The severities a property's violations can have: the fetch outcomes that violate it (none for the others). */
    public static List<FetchOutcome> severities(String property) {
        return switch (property) {
            case NO_DMA_FAULT -> List.of(FetchOutcome.FATAL, FetchOutcome.HANG, FetchOutcome.FAULT);
            case RIGHT_PAGE -> List.of(FetchOutcome.WRONG_PAGE);
            default -> List.of();
        };
    }

    /** The name of the invariant that holds while no display fetch has failed with outcome {@code o}. */
    public static String severityInvariant(FetchOutcome o) {
        return "severity:" + o.label();
    }

    /**
     * One invariant per fetch severity ({@link #severityInvariant}): checked beside the named
     * properties, so that a run knows the worst severity each property can reach, not only the
     * severity of its shortest counterexample. Not properties of their own.
     */
    public static List<Property<HandoffState>> severityInvariants() {
        List<Property<HandoffState>> out = new ArrayList<>();
        for (FetchOutcome o : FetchOutcome.values()) {
            out.add(Property.always(severityInvariant(o), s -> s.failure() == null || s.failure().witness().outcome() != o));
        }
        return out;
    }

    private static boolean failed(HandoffState s, Failure.Kind... kinds) {
        if (s.failure() == null) {
            return false;
        }
        for (Failure.Kind k : kinds) {
            if (s.failure().kind() == k) {
                return true;
            }
        }
        return false;
    }
}
