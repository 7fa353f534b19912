package dev.handoff.model.fix;

import dev.handoff.model.board.BoardOverlay;
import dev.handoff.model.scenario.KernelVersions;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.ScenarioException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes an engineer can make to a board's handoff, as dimensions of a search space: each
 * dimension is one thing to change (a device-tree property, a firmware behaviour, a kernel
 * option), its first choice leaves it as it is, each other choice has a cost a person would
 * recognise and the knob values it sets. A candidate fix is one choice per dimension.
 *
 * <p>Default costs (override with {@code --cost ID=N}): a device-tree patch 1 (2 for an
 * iommu-addresses entry, which the bootloader must keep true); a firmware change 3 (a vendor
 * bootloader rebuild and reflash), quiescing the display 4 (it also loses the seamless splash);
 * a kernel command-line option 2 (arm-smmu.disable_bypass=0: unmatched streams bypass) or 3
 * (iommu.passthrough=1: no DMA isolation for any device); another kernel version 3 (older: loses
 * fixes; 2 for a newer one); a display-driver change that is not mainline 5.
 */
public record FixSpace(List<Dimension> dimensions, List<Requirement> requirements, List<NotOffered> notOffered) {
    public FixSpace {
        dimensions = List.copyOf(dimensions);
        requirements = List.copyOf(requirements);
        notOffered = List.copyOf(notOffered);
    }

    public enum Kind {
        DEVICE_TREE("device tree"), BOARD("board"), FIRMWARE("firmware"), KERNEL("kernel");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One way to set a dimension. {@code id} names it in reports and {@code --cost}. */
    public record Choice(String id, String what, int cost, Map<String, String> knobs) {
        public Choice {
            knobs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(knobs));
        }

        public boolean asIs() {
            return id.equals(AS_IS_ID);
        }
    }

    static final String AS_IS_ID = "as-is";
    static final Choice AS_IS = new Choice(AS_IS_ID, "as it is", 0, Map.of());

    /** One thing to change; choice 0 leaves it as it is. */
    public record Dimension(String name, Kind kind, List<Choice> choices) {
        public Dimension {
            choices = List.copyOf(choices);
        }
    }

    /** Choosing {@code choice} needs {@code needs} chosen too. */
    public record Requirement(String choice, String needs, String why) {
    }

    /** A change the space leaves out on this board, and why. */
    public record NotOffered(String change, String why) {
    }

    /** The ids {@code --cost} accepts (a version's choices share {@code kernel.version}). */
    public static final Map<String, Integer> DEFAULT_COSTS = defaults();

    private static Map<String, Integer> defaults() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(BoardOverlay.RESETS, 1);
        m.put(BoardOverlay.SPLASH, 1);
        m.put(BoardOverlay.IOMMU_ADDRESSES, 2);
        m.put(BoardOverlay.STREAMS, 1);
        m.put("board.reset", 1);
        m.put("board.splash", 1);
        m.put("board.iommu-addresses", 2);
        m.put("fw.identity-mapping", 3);
        m.put("fw.smr-match", 3);
        m.put("fw.last-bank-clean", 3);
        m.put("fw.rmr", 3);
        m.put("fw.quiesce", 4);
        m.put("kernel.allow-bypass", 2);
        m.put("kernel.passthrough", 3);
        m.put("kernel.version", 3);
        m.put("kernel.readback-remap", 5);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * What the space is built from.
     *
     * @param board     the board's device-tree changes, or null (an IORT board, a platform preset:
     *                  its board facts are then offered as knob changes)
     * @param base      the base candidate's scenario in every variant (no-op changes are left out)
     * @param pinned    knobs the user's --set or the named policy fixes: no change touches them
     * @param kernel    offer kernel changes (not for --fix-for POLICY, which fixes the kernel)
     * @param costs     cost overrides by id
     * @param forbidden changes left out (a choice id, or a dimension's name for all its choices)
     * @param boardFacts without a device tree to patch, offer the board's facts as knob changes
     *                   (a platform preset's what-ifs; not for an IORT board, whose table says
     *                   nothing of them)
     */
    public record Context(Platform platform, BoardOverlay board, boolean acpi, List<Scenario> base, Set<String> pinned,
                          boolean kernel, Map<String, Integer> costs, Set<String> forbidden, boolean boardFacts) {
        public Context(Platform platform, BoardOverlay board, boolean acpi, List<Scenario> base, Set<String> pinned,
                       boolean kernel, Map<String, Integer> costs) {
            this(platform, board, acpi, base, pinned, kernel, costs, Set.of(), true);
        }
    }

    public static FixSpace build(Context c) {
        for (Map.Entry<String, Integer> e : c.costs().entrySet()) {
            if (!DEFAULT_COSTS.containsKey(e.getKey())) {
                throw new ScenarioException("--cost: \"" + e.getKey() + "\" is not a change (known: "
                        + String.join(", ", DEFAULT_COSTS.keySet()) + ")");
            }
            if (e.getValue() < 1 || e.getValue() > 1000) {
                throw new ScenarioException("--cost: " + e.getKey() + "=" + e.getValue() + " is out of range (allowed: 1 to 1000)");
            }
        }
        Builder b = new Builder(c);
        Platform p = c.platform();
        boolean msm = p.displayFlavour() == Platform.DisplayFlavour.MSM;
        if (c.board() != null && !c.acpi()) {
            BoardOverlay o = c.board();
            b.dt(BoardOverlay.RESETS, o, "add resets = <&dispcc DISP_CC_MDSS_CORE_BCR> to the display node:"
                    + " msm_mdss_reset asserts it for 20 ms at MDSS probe (after the IOMMU default-domain attach, before"
                    + " the display driver's own domain), stopping the engine",
                    Map.of(Knobs.DISPLAY_RESET, "present"));
            b.dt(BoardOverlay.SPLASH, o, "reserve the whole scanout as no-map reserved memory (grow the overlapping"
                    + " region, or add one): the page allocator can no longer hand out pages the engine scans",
                    Map.of(Knobs.FW_FRAMEBUFFER, "reserved"));
            b.dt(BoardOverlay.IOMMU_ADDRESSES, o, "link the display to the splash region (memory-region) and give the"
                    + " region an iommu-addresses entry for the display equal to its reg: the kernel maps it 1:1"
                    + " (IOMMU_RESV_DIRECT) into a DMA default domain before the attach (an IDENTITY default domain, as"
                    + " the qcom MDSS gets, needs no map; the display driver's own domain never gets it)",
                    Map.of(Knobs.FW_DESCRIPTION, "iommu-addresses", Knobs.FW_MAPPING, "identity"));
            b.dt(BoardOverlay.STREAMS, o, "drop from the other clients' iommus the entries that match a display stream ID:"
                    + " arm_smmu_find_sme makes a contained entry share the display's stream-match entry and refuses a"
                    + " partial overlap", Map.of());
            if (b.has(BoardOverlay.IOMMU_ADDRESSES) && o.addressesNeedSplash()) {
                b.requires(BoardOverlay.IOMMU_ADDRESSES, BoardOverlay.SPLASH, "the entry needs a region that holds the scanout");
            }
        } else if (c.boardFacts()) {
            if (msm || p.displayFlavour() == Platform.DisplayFlavour.DMA_API) {
                b.single("board.reset", Kind.BOARD, "give the display a reset its driver asserts when it binds"
                        + " (display.reset=present)", Map.of(Knobs.DISPLAY_RESET, "present"));
            }
            b.single("board.splash", Kind.BOARD, "reserve the scanout from the page allocator (fw.framebuffer=reserved)",
                    Map.of(Knobs.FW_FRAMEBUFFER, "reserved"));
            if (!c.acpi()) {
                b.single("board.iommu-addresses", Kind.BOARD, "describe the splash with an identity iommu-addresses entry"
                        + " (fw.description=iommu-addresses, fw.mapping=identity)",
                        Map.of(Knobs.FW_DESCRIPTION, "iommu-addresses", Knobs.FW_MAPPING, "identity"));
            }
        }
        b.single("fw.identity-mapping", Kind.FIRMWARE, "the firmware maps the splash 1:1, IOVA = PA (fw.mapping=identity)",
                Map.of(Knobs.FW_MAPPING, "identity"));
        b.single("fw.smr-match", Kind.FIRMWARE, "the firmware programs the display's stream-match entries equal to the"
                + " description's (fw.smr=match)", Map.of(Knobs.FW_SMR, "match"));
        b.single("fw.last-bank-clean", Kind.FIRMWARE, "the firmware leaves the last context bank clean, SCTLR.M=0"
                + " (fw.last-bank=clean)", Map.of(Knobs.FW_LAST_BANK, "clean"));
        if (c.acpi()) {
            b.single("fw.rmr", Kind.FIRMWARE, "the firmware publishes an IORT RMR for the framebuffer naming the display's"
                    + " live stream IDs (fw.description=rmr)", Map.of(Knobs.FW_DESCRIPTION, "rmr", Knobs.FW_RMR_STREAMS, "live"));
        }
        b.single("fw.quiesce", Kind.FIRMWARE, "the firmware stops the display engine before handing off (fw.quiesce=yes;"
                + " the screen stays dark until the driver's first modeset)", Map.of(Knobs.FW_QUIESCE, "yes"));
        // a board whose iommu-addresses entry states a translated mapping: an identity mapping makes
        // that entry false unless the tree says so too (the model reads the entry and fw.mapping as one fact)
        boolean statesTranslated = "iommu-addresses".equals(p.knobDefaults().get(Knobs.FW_DESCRIPTION))
                && "translated".equals(p.knobDefaults().get(Knobs.FW_MAPPING));
        if (statesTranslated && b.has("fw.identity-mapping")) {
            if (b.has(BoardOverlay.IOMMU_ADDRESSES)) {
                b.requires("fw.identity-mapping", BoardOverlay.IOMMU_ADDRESSES, "the tree's iommu-addresses entry states"
                        + " the translated mapping; an identity one must be described");
            } else if (!b.has("board.iommu-addresses")) {
                b.dims.removeIf(d -> d.name().equals("fw.identity-mapping"));
                b.notOffered.add(new NotOffered("fw.identity-mapping", "the tree's iommu-addresses entry states a translated"
                        + " mapping, and no identity entry can be added here"));
            }
        }
        if (b.has("fw.identity-mapping") && b.has(BoardOverlay.IOMMU_ADDRESSES)) {
            b.requires(BoardOverlay.IOMMU_ADDRESSES, "fw.identity-mapping", "an identity entry is true only of an identity mapping");
        }
        if (b.has("fw.identity-mapping") && b.has("board.iommu-addresses")) {
            b.requires("board.iommu-addresses", "fw.identity-mapping", "an identity entry is true only of an identity mapping");
        }
        if (c.kernel()) {
            b.version();
            b.single("kernel.allow-bypass", Kind.KERNEL, "boot with arm-smmu.disable_bypass=0: unmatched streams bypass"
                    + " the SMMU (kernel.disable-bypass=no)", Map.of(Knobs.KERNEL_DISABLE_BYPASS, "no"));
            b.single("kernel.passthrough", Kind.KERNEL, "boot with iommu.passthrough=1: every default domain is IDENTITY,"
                    + " no DMA isolation for any device (kernel.default-domain=identity)",
                    Map.of(Knobs.KERNEL_DEFAULT_DOMAIN, "identity"));
            b.single("kernel.readback-remap", Kind.KERNEL, "the display driver reads back the scanout address and maps"
                    + " the firmware buffer at that IOVA before it switches (kernel.display-takeover=readback-remap;"
                    + " not mainline)", Map.of(Knobs.KERNEL_DISPLAY_TAKEOVER, "readback-remap"));
        } else {
            b.notOffered.add(new NotOffered("kernel changes", "the policy fixes the kernel"));
        }
        return forbid(new FixSpace(b.dims, b.requirements, b.notOffered), c.forbidden());
    }

    /** Whether a choice with this id is in the space. */
    private boolean offers(String id) {
        return find(id) != null;
    }

    /**
     * The space without the forbidden changes: their choices go, a dimension left with none but
     * "as it is" goes, and so does a change that needs a forbidden one.
     */
    static FixSpace forbid(FixSpace s, Set<String> forbidden) {
        if (forbidden.isEmpty() && s.requirements().stream().allMatch(r -> s.offers(r.needs()))) {
            return s;
        }
        Set<String> gone = new LinkedHashSet<>();
        Set<String> matched = new java.util.HashSet<>();
        for (Dimension d : s.dimensions()) {
            for (Choice ch : d.choices()) {
                if (!ch.asIs() && (forbidden.contains(ch.id()) || forbidden.contains(d.name()))) {
                    gone.add(ch.id());
                    matched.add(forbidden.contains(ch.id()) ? ch.id() : d.name());
                }
            }
        }
        List<NotOffered> notOffered = new ArrayList<>(s.notOffered());
        gone.forEach(id -> notOffered.add(new NotOffered(id, "--forbid")));
        for (String f : forbidden) {
            if (!matched.contains(f)) {
                notOffered.add(new NotOffered(f, "--forbid names no change this space holds (it is not offered here,"
                        + " or it is how things already are)"));
            }
        }
        boolean more = true;
        while (more) {
            more = false;
            for (Requirement r : s.requirements()) {
                if ((gone.contains(r.needs()) || !s.offers(r.needs())) && s.offers(r.choice()) && gone.add(r.choice())) {
                    notOffered.add(new NotOffered(r.choice(), "it needs " + r.needs() + ", which is left out"));
                    more = true;
                }
            }
        }
        List<Dimension> dims = new ArrayList<>();
        for (Dimension d : s.dimensions()) {
            List<Choice> keep = d.choices().stream().filter(ch -> !gone.contains(ch.id())).toList();
            if (keep.size() > 1) {
                dims.add(new Dimension(d.name(), d.kind(), keep));
            }
        }
        List<Requirement> reqs = s.requirements().stream().filter(r -> !gone.contains(r.choice())).toList();
        return new FixSpace(dims, reqs, notOffered);
    }

    private static final class Builder {
        final Context c;
        final List<Dimension> dims = new ArrayList<>();
        final List<Requirement> requirements = new ArrayList<>();
        final List<NotOffered> notOffered = new ArrayList<>();

        Builder(Context c) {
            this.c = c;
        }

        int cost(String id) {
            return c.costs().getOrDefault(id, DEFAULT_COSTS.get(id));
        }

        boolean has(String id) {
            return dims.stream().anyMatch(d -> d.choices().stream().anyMatch(x -> x.id().equals(id)));
        }

        void requires(String choice, String needs, String why) {
            requirements.add(new Requirement(choice, needs, why));
        }

        /** Null when offered, else why not: a pinned knob, or no variant it would change. */
        String why(Map<String, String> knobs) {
            for (String k : knobs.keySet()) {
                if (c.pinned().contains(k)) {
                    return k + " is fixed (by --set, --kernel, the scenario file, the policy, or --vary of a kernel knob)";
                }
            }
            boolean changes = c.base().stream().anyMatch(s -> knobs.entrySet().stream().anyMatch(e -> !s.is(e.getKey(), e.getValue())));
            return changes ? null : "already so in every variant";
        }

        void dt(String id, BoardOverlay o, String what, Map<String, String> knobs) {
            String no = o.whyNot(id);
            if (no == null && !knobs.isEmpty()) {
                no = why(knobs);
            }
            if (no != null) {
                notOffered.add(new NotOffered(id, no));
                return;
            }
            dims.add(new Dimension(id, Kind.DEVICE_TREE, List.of(AS_IS, new Choice(id, what, cost(id), knobs))));
        }

        void single(String id, Kind kind, String what, Map<String, String> knobs) {
            String no = why(knobs);
            if (no != null) {
                notOffered.add(new NotOffered(id, no));
                return;
            }
            dims.add(new Dimension(id, kind, List.of(AS_IS, new Choice(id, what, cost(id), knobs))));
        }

        void version() {
            if (c.pinned().contains(Knobs.KERNEL_VERSION)) {
                notOffered.add(new NotOffered("kernel.version", "the version is fixed (by --set, --kernel, the scenario file,"
                        + " the policy, or --vary kernel.version)"));
                return;
            }
            String base = c.base().get(0).knob(Knobs.KERNEL_VERSION);
            List<Choice> choices = new ArrayList<>();
            choices.add(AS_IS);
            int at = KernelVersions.VERSIONS.indexOf(base);
            for (int i = KernelVersions.VERSIONS.size() - 1; i >= 0; i--) {
                String v = KernelVersions.VERSIONS.get(i);
                if (!v.equals(base)) {
                    int cost = c.costs().containsKey("kernel.version") ? cost("kernel.version")
                            : i > at ? cost("kernel.version") - 1 : cost("kernel.version");
                    choices.add(new Choice("kernel.version=" + v, "run Linux " + v + (i < at ? " (older: loses later fixes)" : "")
                            + " (kernel.version=" + v + ")", Math.max(1, cost), Map.of(Knobs.KERNEL_VERSION, v)));
                }
            }
            dims.add(new Dimension("kernel.version", Kind.KERNEL, choices));
        }
    }

    /** The candidate's total cost. */
    public int cost(int[] candidate) {
        int sum = 0;
        for (int i = 0; i < candidate.length; i++) {
            sum += dimensions.get(i).choices().get(candidate[i]).cost();
        }
        return sum;
    }

    /** The chosen changes (not the as-is choices), in dimension order. */
    public List<Choice> chosen(int[] candidate) {
        List<Choice> out = new ArrayList<>();
        for (int i = 0; i < candidate.length; i++) {
            Choice ch = dimensions.get(i).choices().get(candidate[i]);
            if (!ch.asIs()) {
                out.add(ch);
            }
        }
        return out;
    }

    /** The knob values the candidate sets (later dimensions last). */
    public Map<String, String> knobs(int[] candidate) {
        return knobs(candidate, true);
    }

    /**
     * The knob values the candidate sets; without {@code deviceTree}, those of its device-tree
     * changes are left out (a board's patched facts state them, as its patched blob would).
     */
    public Map<String, String> knobs(int[] candidate, boolean deviceTree) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < candidate.length; i++) {
            if (deviceTree || dimensions.get(i).kind() != Kind.DEVICE_TREE) {
                out.putAll(dimensions.get(i).choices().get(candidate[i]).knobs());
            }
        }
        return out;
    }

    /** The device-tree changes among the candidate's. */
    public Set<String> deviceTree(int[] candidate) {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < candidate.length; i++) {
            if (dimensions.get(i).kind() == Kind.DEVICE_TREE && candidate[i] != 0) {
                out.add(dimensions.get(i).name());
            }
        }
        return out;
    }

    /** Whether the candidate meets every requirement. */
    public boolean allowed(int[] candidate) {
        Set<String> ids = new LinkedHashSet<>();
        chosen(candidate).forEach(ch -> ids.add(ch.id()));
        return requirements.stream().allMatch(r -> !ids.contains(r.choice()) || ids.contains(r.needs()));
    }

    /** Index of the dimension and choice with this id, or null. */
    public int[] find(String id) {
        for (int i = 0; i < dimensions.size(); i++) {
            List<Choice> cs = dimensions.get(i).choices();
            for (int j = 0; j < cs.size(); j++) {
                if (cs.get(j).id().equals(id)) {
                    return new int[] {i, j};
                }
            }
        }
        return null;
    }

    /** The number of candidates, requirements aside. */
    public long size() {
        long n = 1;
        for (Dimension d : dimensions) {
            n = Math.multiplyExact(n, d.choices().size());
        }
        return n;
    }
}
