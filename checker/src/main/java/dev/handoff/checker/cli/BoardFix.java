package dev.handoff.checker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.SearchListener;
import dev.handoff.engine.Verdict;
import dev.handoff.model.board.BoardFacts;
import dev.handoff.model.board.BoardInputException;
import dev.handoff.model.board.BoardOverlay;
import dev.handoff.model.board.BoardPlatforms;
import dev.handoff.model.board.DeviceTreeReader;
import dev.handoff.model.board.Fdt;
import dev.handoff.model.fix.FixSpace;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.scenario.Policies;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.ScenarioException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code handoff board --fix} / {@code --fix-for POLICY}: the fix search for each display of a
 * board, the device-tree fixes turned into an overlay and a diff, both checked with the Device
 * Tree Compiler's tools when they are installed, and the fixes re-checked on the patched blob.
 */
final class BoardFix {
    /** One display's search and, per fix, its overlay check. */
    /**
     * @param sameAs the display whose search this one repeats (the same model input in every
     *               variant and no device-tree change to make: Tegra's heads), or null
     */
    record Outcome(String display, String policy, List<String> varied, FixSearch.Result result, List<OverlayCheck> overlays,
                   String sameAs, String modelKey) {
        Outcome(String display, String policy, List<String> varied, FixSearch.Result result, List<OverlayCheck> overlays) {
            this(display, policy, varied, result, overlays, null, null);
        }
    }

    /**
     * A device-tree fix's overlay and how it was checked.
     *
     * @param status    "verified" when dtc compiled it, fdtoverlay applied it and the patched blob
     *                  reads as the board the search checked; else why not
     * @param confirmed the patched blob's own matrix: every cell holds (null when not run)
     */
    record OverlayCheck(String dtso, String diff, String status, Boolean confirmed, List<HandoffCheck.Outcome> rerun) {
    }

    /** What the search needs from the command. */
    record Options(String policy, List<String> vary, List<String> properties, boolean pruning, ExplorationSettings settings,
                   int fixes, int budget, Map<String, Integer> costs, Set<String> forbidden) {
    }

    private BoardFix() {
    }

    private static void pinKernelKnobs(List<String> varied, Set<String> pinned) {
        for (String k : varied) {
            if (dev.handoff.model.scenario.Knobs.get(k, "").kind() == dev.handoff.model.scenario.Knob.Kind.KERNEL) {
                pinned.add(k);
            }
        }
    }

    /**
     * {@code --fix-for all}: per display, a line per preset: safe as the board is, its cheapest
     * board change, or none in the space (or the search stopped).
     */
    static void summary(PrintWriter out, List<String> displays, List<Outcome> outcomes) {
        for (String d : displays) {
            out.println();
            out.println("display " + d + ": each preset with its kernel as it is, and the cheapest board change that makes it safe");
            int w = outcomes.stream().filter(o -> o.display().equals(d)).mapToInt(o -> o.policy().length()).max().orElse(6);
            for (Outcome o : outcomes) {
                if (!o.display().equals(d)) {
                    continue;
                }
                FixSearch.Result r = o.result();
                String answer;
                if (!r.fixes().isEmpty() && r.space().chosen(r.fixes().get(0).candidate()).isEmpty()) {
                    answer = "safe as the board is";
                } else if (!r.fixes().isEmpty()) {
                    FixSearch.Fix f = r.fixes().get(0);
                    answer = "cost " + f.cost() + ": " + String.join(" + ", r.space().chosen(f.candidate()).stream()
                            .map(FixSpace.Choice::id).toList());
                } else if (r.stopped() != null) {
                    answer = "undecided: " + r.stopped();
                } else {
                    answer = "no board change in the space" + (r.residual() == null ? "" : " (cheapest: " + r.residual().summary() + ")");
                }
                out.printf(Locale.ROOT, "  %-" + w + "s  %s%n", o.policy(), answer);
            }
        }
        out.println();
        out.println("(--fix-for POLICY prints a policy's fixes with their proof and overlay)");
    }

    /** --fix-for all: 0 when every display has a preset that is safe or can be made safe, 20 when a search stopped, else 10. */
    static int exitCodeAll(List<String> displays, List<Outcome> outcomes) {
        boolean all = displays.stream().allMatch(d -> outcomes.stream().anyMatch(o -> o.display().equals(d) && !o.result().fixes().isEmpty()));
        if (all) {
            return ExitCode.HOLDS;
        }
        return outcomes.stream().anyMatch(o -> o.result().stopped() != null) ? ExitCode.INCONCLUSIVE : ExitCode.SAFETY_VIOLATED;
    }

    /** 0 when every display has a fix (or is safe), 20 when the search stopped before finding one, else 10. */
    static int exitCode(List<Outcome> outcomes) {
        if (outcomes.stream().allMatch(o -> !o.result().fixes().isEmpty())) {
            return ExitCode.HOLDS;
        }
        return outcomes.stream().anyMatch(o -> o.result().fixes().isEmpty() && o.result().stopped() != null)
                ? ExitCode.INCONCLUSIVE : ExitCode.SAFETY_VIOLATED;
    }

    /** Runs the search for one display. {@code fdt}/{@code blob} are null for an IORT board. */
    static Outcome search(BoardFacts facts, Fdt fdt, Path blob, BoardPlatforms.Target t, ScenarioOptions scenario,
                          Options opt, List<Outcome> earlier, java.util.function.Consumer<String> progress) {
        BoardOverlay overlay = fdt == null ? null : new BoardOverlay(fdt, facts, t.display().path());
        List<String> knobs = opt.vary().isEmpty() ? List.of("fw.mapping", "fw.smr") : opt.vary();
        List<String> varied = opt.vary().isEmpty() ? knobs.stream().filter(k -> !t.platform().knobDefaults().containsKey(k)).toList() : knobs;
        Set<String> pinned = new LinkedHashSet<>(scenario.overrides().keySet());
        pinned.addAll(scenario.file().knobs().keySet());
        if (opt.policy() != null) {
            pinned.addAll(Policies.get(opt.policy(), "").settings().keySet());
        }
        // a knob the user or the policy fixes is not a variant; a varied kernel knob is one the fix
        // must hold under every value of, so no change may set it
        varied = varied.stream().filter(k -> !pinned.contains(k)).toList();
        pinKernelKnobs(varied, pinned);
        List<Map<String, String>> variants = SweepRunner.variants(varied);
        Map<Set<String>, Platform> platforms = new HashMap<>();
        platforms.put(Set.of(), t.platform());
        List<Scenario> base = new ArrayList<>();
        for (Map<String, String> v : variants) {
            base.add(scenario.scenario(t.platform(), opt.policy(), v));
        }
        FixSpace space;
        try {
            space = FixSpace.build(new FixSpace.Context(t.platform(), overlay, facts.acpi(), base, pinned, opt.policy() == null,
                    opt.costs(), opt.forbidden(), overlay == null && !facts.acpi()));
        } catch (ScenarioException e) {
            throw new InputException(e.getMessage());
        }
        // a display whose model input equals an earlier one's in every variant (cell keys: names
        // aside) and that has no device-tree change to make gets that display's answer
        String modelKey = null;
        if (space.dimensions().stream().noneMatch(d -> d.kind() == FixSpace.Kind.DEVICE_TREE)) {
            StringBuilder k = new StringBuilder(space.dimensions() + "|" + space.requirements());
            base.forEach(b -> k.append(CellKeys.canonical("", b, opt.properties(), opt.settings())));
            modelKey = k.toString();
            for (Outcome o : earlier) {
                if (modelKey.equals(o.modelKey())) {
                    progress.accept("display " + t.display().path() + ": the same model input as " + o.display());
                    return new Outcome(t.display().path(), opt.policy(), varied, o.result(), o.overlays(), o.display(), modelKey);
                }
            }
        }
        FixSearch.Scenarios of = (c, v) -> {
            Set<String> dt = space.deviceTree(c);
            Platform p = platforms.computeIfAbsent(dt, k -> patched(overlay, facts, t, k));
            return scenarioFor(scenario, p, opt, v, space.knobs(c, false));
        };
        FixSearch.Result r = new FixSearch(space, variants, of, opt.properties(), opt.pruning(), opt.settings(), opt.fixes(),
                opt.budget(), progress).run();
        List<OverlayCheck> overlays = new ArrayList<>();
        for (FixSearch.Fix f : r.fixes()) {
            Set<String> dt = space.deviceTree(f.candidate());
            overlays.add(dt.isEmpty() || overlay == null ? null
                    : verify(overlay, facts, blob, t, dt, scenario, opt, variants, space.knobs(f.candidate(), false),
                    platforms.get(dt), header(facts, t, space, f)));
        }
        return new Outcome(t.display().path(), opt.policy(), varied, r, overlays, null, modelKey);
    }

    /**
     * {@code handoff check --fix}: the search on a platform preset or scenario file, whose board
     * facts are offered as knob changes (no device tree to patch). The variants are {@code --vary}'s.
     */
    static Outcome search(Platform platform, ScenarioOptions scenario, Options opt, java.util.function.Consumer<String> progress) {
        Set<String> pinned = new LinkedHashSet<>(scenario.overrides().keySet());
        pinned.addAll(scenario.file().knobs().keySet());
        if (opt.policy() != null) {
            pinned.addAll(Policies.get(opt.policy(), "").settings().keySet());
        }
        List<String> varied = opt.vary().stream().filter(k -> !pinned.contains(k)).toList();
        pinKernelKnobs(varied, pinned);
        List<Map<String, String>> variants = SweepRunner.variants(varied);
        List<Scenario> base = new ArrayList<>();
        for (Map<String, String> v : variants) {
            base.add(scenario.scenario(platform, opt.policy(), v));
        }
        boolean acpi = base.get(0).is(dev.handoff.model.scenario.Knobs.FW_INTERFACE, "acpi");
        FixSpace space;
        try {
            space = FixSpace.build(new FixSpace.Context(platform, null, acpi, base, pinned, opt.policy() == null, opt.costs(),
                    opt.forbidden(), true));
        } catch (ScenarioException e) {
            throw new InputException(e.getMessage());
        }
        FixSearch.Scenarios of = (c, v) -> {
            Map<String, String> k = new LinkedHashMap<>(v);
            k.putAll(space.knobs(c));
            try {
                return scenario.scenario(platform, opt.policy(), k);
            } catch (InputException e) {
                throw new ScenarioException(e.getMessage());
            }
        };
        FixSearch.Result r = new FixSearch(space, variants, of, opt.properties(), opt.pruning(), opt.settings(), opt.fixes(),
                opt.budget(), progress).run();
        List<OverlayCheck> none = new ArrayList<>();
        r.fixes().forEach(f -> none.add(null));
        return new Outcome(platform.name(), opt.policy(), varied, r, none);
    }

    /** The candidate's scenario: the patched platform, the variant minus what the patched board now states, the changes. */
    private static Scenario scenarioFor(ScenarioOptions scenario, Platform p, Options opt, Map<String, String> variant,
                                        Map<String, String> changes) {
        Map<String, String> k = new LinkedHashMap<>();
        variant.forEach((name, value) -> {
            if (!opt.vary().isEmpty() || !p.knobDefaults().containsKey(name)) {
                k.put(name, value);
            }
        });
        k.putAll(changes);
        try {
            return scenario.scenario(p, opt.policy(), k);
        } catch (InputException e) {
            throw new ScenarioException(e.getMessage());
        }
    }

    /** The platform the board has after device-tree changes, read from patched facts as from a patched blob. */
    private static Platform patched(BoardOverlay overlay, BoardFacts facts, BoardPlatforms.Target t, Set<String> dt) {
        BoardFacts f = overlay.patch(dt);
        try {
            return BoardPlatforms.targets(f).stream().filter(x -> x.display().path().equals(t.display().path())).findFirst()
                    .orElseThrow(() -> new ScenarioException(dt + " leave no display " + t.display().path() + " to check"))
                    .platform();
        } catch (BoardPlatforms.NoMatrixException e) {
            throw new ScenarioException(dt + " leave nothing to check: " + e.getMessage());
        }
    }

    private static List<String> header(BoardFacts facts, BoardPlatforms.Target t, FixSpace space, FixSearch.Fix f) {
        List<String> h = new ArrayList<>();
        h.add("handoff board --fix: " + Path.of(facts.source()).getFileName() + ", display " + t.display().path());
        for (FixSpace.Choice c : space.chosen(f.candidate())) {
            h.add(c.id() + " (cost " + c.cost() + ")" + (space.deviceTree(f.candidate()).contains(c.id()) ? "" : ": not a device-tree change,"
                    + " make it too"));
        }
        h.add("dtc -q -I dts -O dtb -o fix.dtbo fix.dtso && fdtoverlay -i board.dtb -o board-fixed.dtb fix.dtbo");
        return h;
    }

    /** The overlay of a fix's device-tree changes, compiled, applied and re-checked when the tools are here. */
    static OverlayCheck verify(BoardOverlay overlay, BoardFacts facts, Path blob, BoardPlatforms.Target t, Set<String> dt,
                               ScenarioOptions scenario, Options opt, List<Map<String, String>> variants,
                               Map<String, String> changes, Platform expected, List<String> header) {
        String dtso = overlay.overlay(dt, header);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("handoff-fix");
            Path src = dir.resolve("fix.dtso");
            Files.writeString(src, dtso, StandardCharsets.UTF_8);
            String[] r = run(dir, DtsCompiler.command(), "-q", "-I", "dts", "-O", "dtb", "-o", "fix.dtbo", "fix.dtso");
            if (r == null) {
                return new OverlayCheck(dtso, null, "not checked: dtc is not installed (apt-get install device-tree-compiler)", null, List.of());
            }
            if (!r[0].equals("0")) {
                return new OverlayCheck(dtso, null, "dtc rejected the overlay: " + firstLine(r[1]), null, List.of());
            }
            Path base = dir.resolve("board.dtb");
            Files.copy(blob, base);
            r = run(dir, "fdtoverlay", "-i", "board.dtb", "-o", "fixed.dtb", "fix.dtbo");
            if (r == null) {
                return new OverlayCheck(dtso, null, "compiled with dtc; not applied: fdtoverlay is not installed", null, List.of());
            }
            if (!r[0].equals("0")) {
                return new OverlayCheck(dtso, null, "fdtoverlay could not apply the overlay: " + firstLine(r[1]), null, List.of());
            }
            Path fixed = dir.resolve("fixed.dtb");
            String diff = diff(dir, Path.of(facts.source()).getFileName().toString());
            BoardFacts after;
            try {
                after = DeviceTreeReader.read(fixed);
            } catch (BoardInputException e) {
                return new OverlayCheck(dtso, diff, "the patched blob cannot be read: " + e.getMessage(), null, List.of());
            }
            Platform p = BoardPlatforms.targets(after).stream().filter(x -> x.display().path().equals(t.display().path()))
                    .findFirst().map(BoardPlatforms.Target::platform).orElse(null);
            if (p == null) {
                return new OverlayCheck(dtso, diff, "the patched blob no longer has display " + t.display().path(), false, List.of());
            }
            String same = samePlatform(expected, p);
            List<HandoffCheck.Outcome> rerun = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (Map<String, String> v : variants) {
                Scenario s = scenarioFor(scenario, p, opt, v, changes);
                if (seen.add(s.knobs().toString())) {
                    rerun.add(HandoffCheck.run(s, opt.properties(), opt.pruning(), false, 1, opt.settings().withWorkers(1),
                            SearchListener.NONE, false));
                }
            }
            boolean holds = rerun.stream().allMatch(o -> o.verdict() == Verdict.HOLDS);
            return new OverlayCheck(dtso, diff, same == null ? "verified: dtc compiled it, fdtoverlay applied it, and the patched"
                    + " blob reads as the board the search checked" : "applied, but the patched blob differs from the searched board: "
                    + same, holds, rerun);
        } catch (IOException e) {
            return new OverlayCheck(dtso, null, "not checked: " + e.getMessage(), null, List.of());
        } finally {
            deleteAll(dir);
        }
    }

    /** Null when the two platforms are the same model input, else the first difference. */
    static String samePlatform(Platform a, Platform b) {
        if (!a.knobDefaults().equals(b.knobDefaults())) {
            return "knobs " + a.knobDefaults() + " vs " + b.knobDefaults();
        }
        if (a.framebufferPa() != b.framebufferPa() || a.framebufferBytes() != b.framebufferBytes()) {
            return "scanout differs";
        }
        if (!a.displayStreams().equals(b.displayStreams()) || !a.masters().equals(b.masters())) {
            return "stream IDs differ";
        }
        return null;
    }

    /** The unified diff of the decompiled blobs, or null when dtc cannot decompile them. */
    private static String diff(Path dir, String name) throws IOException {
        String[] a = run(dir, DtsCompiler.command(), "-q", "-I", "dtb", "-O", "dts", "-o", "board.dts", "board.dtb");
        String[] b = run(dir, DtsCompiler.command(), "-q", "-I", "dtb", "-O", "dts", "-o", "fixed.dts", "fixed.dtb");
        if (a == null || b == null || !a[0].equals("0") || !b[0].equals("0")) {
            return null;
        }
        List<String> before = Files.readAllLines(dir.resolve("board.dts"));
        List<String> after = Files.readAllLines(dir.resolve("fixed.dts"));
        String stem = name.replaceAll("\\.dtb$|\\.dts$", "");
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff("a/" + stem + ".dts", "b/" + stem + ".dts", before,
                DiffUtils.diff(before, after), 3);
        return String.join("\n", lines) + "\n";
    }

    /** {exit code, output}, or null when the program is not installed. */
    private static String[] run(Path dir, String... cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(256 * 1024);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new String[] {"timeout", cmd[0] + " did not finish within 60 s"};
            }
            return new String[] {Integer.toString(p.exitValue()), new String(out, StandardCharsets.UTF_8)};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + cmd[0] + " ran");
        }
    }

    private static String firstLine(String s) {
        return s.lines().filter(l -> !l.isBlank()).findFirst().orElse("(no message)");
    }

    private static void deleteAll(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            BoardCommand.deleteAll(dir);
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    // ---------------------------------------------------------------- rendering

    static void text(PrintWriter out, Outcome o) {
        FixSearch.Result r = o.result();
        FixSpace space = r.space();
        FixSearch.Stats st = r.stats();
        out.println();
        if (o.sameAs() != null) {
            out.println();
            out.println("fix search for display " + o.display() + ": the same model input as display " + o.sameAs()
                    + " in every variant, and no device-tree change to make: its answer above holds here");
            return;
        }
        out.println("fix search for " + (o.display().startsWith("/") ? "display " : "platform ") + o.display() + ": "
                + (o.policy() == null ? "the kernel as it is (no policy)" : "policy " + o.policy() + " (its kernel is fixed)")
                + "; variants: " + (o.varied().isEmpty() ? "none" : String.join(" x ", o.varied())));
        out.printf(Locale.ROOT, "  space: %d change(s), %,d candidates%s%n", space.dimensions().size(), st.space(),
                st.allowed() >= 0 && st.allowed() != st.space() ? String.format(Locale.ROOT, " (%,d meet the requirements)", st.allowed()) : "");
        for (FixSpace.Dimension d : space.dimensions()) {
            List<String> cs = d.choices().stream().skip(1).map(c -> c.id() + " (" + c.cost() + ")").toList();
            out.println("    [" + d.kind().label() + "] " + String.join(", ", cs));
        }
        space.requirements().forEach(q -> out.println("    " + q.choice() + " needs " + q.needs() + ": " + q.why()));
        space.notOffered().forEach(n -> out.println("    not offered: " + n.change() + ": " + n.why()));
        out.printf(Locale.ROOT, "  searched: %d candidate%s model checked (%d cell%s); %s ruled out by %d counterexample famil%s"
                        + " without a check; %d cheaper candidate%s re-checked by replaying their family's counterexample"
                        + " before a fix was reported%s; %d replays, %.1f s%n",
                st.checked(), st.checked() == 1 ? "" : "s", st.cells(), st.cells() == 1 ? "" : "s", st.ruledOut() < 0 ? "more" : Long.toString(st.ruledOut()),
                st.families(), st.families() == 1 ? "y" : "ies", st.certified(), st.certified() == 1 ? "" : "s",
                st.gaps() == 0 ? "" : " (" + st.gaps() + " a family wrongly covered, model checked instead)", st.replays(), st.seconds());
        if (r.stopped() != null) {
            out.println("  stopped: " + r.stopped());
        }
        if (r.fixes().isEmpty()) {
            if (r.stopped() != null) {
                out.println("  no fix found before the search stopped" + (r.residual() == null ? ""
                        : "; the last candidate checked fails: " + r.residual().summary()));
            } else {
                out.println("  no fix in this space: every candidate fails" + (r.residual() == null ? ""
                        : "; the cheapest one: " + r.residual().summary()));
            }
            return;
        }
        for (int i = 0; i < r.fixes().size(); i++) {
            FixSearch.Fix f = r.fixes().get(i);
            List<FixSpace.Choice> chosen = space.chosen(f.candidate());
            out.println();
            if (chosen.isEmpty()) {
                out.println("  already safe: every property holds in every variant with nothing changed");
            } else {
                out.println("  fix " + (i + 1) + " (cost " + f.cost() + (i == 0 ? ", the cheapest" : "") + "):");
            }
            for (FixSpace.Choice c : chosen) {
                FixSpace.Dimension d = space.dimensions().stream().filter(x -> x.choices().contains(c)).findFirst().orElseThrow();
                out.println("    [" + d.kind().label() + "] " + c.id() + " (cost " + c.cost() + "): " + c.what());
                FixSearch.Refutation w = f.without().get(c.id());
                out.println("      closes: " + (w != null ? "without it, " + w.closes() : partner(space, f, c)));
            }
            long states = f.proof().stream().mapToLong(x -> x.stats().distinctStates()).sum();
            out.printf(Locale.ROOT, "    proof: %d variant%s x %d propert%s hold (%,d states)%s%n", f.proof().size(),
                    f.proof().size() == 1 ? "" : "s", f.proof().isEmpty() ? 0 : f.proof().get(0).properties().size(),
                    f.proof().isEmpty() || f.proof().get(0).properties().size() == 1 ? "y" : "ies", states,
                    o.varied().isEmpty() ? "" : ":");
            if (!o.varied().isEmpty()) {
                // the re-run matrix: each variant's cell with the fix applied (a knob the fix sets shows its value)
                for (HandoffCheck.Outcome p : f.proof()) {
                    Map<String, String> v = new LinkedHashMap<>();
                    o.varied().forEach(k -> v.put(k, p.scenario().knob(k)));
                    out.printf(Locale.ROOT, "      %-40s %s (%,d states)%n", SweepRunner.label(v), HandoffReports.cell(p),
                            p.stats().distinctStates());
                }
            }
            OverlayCheck oc = o.overlays().get(i);
            if (oc != null) {
                out.println("    overlay: " + oc.status());
                if (oc.confirmed() != null) {
                    out.println("    the patched blob's matrix: " + (oc.confirmed() ? "every property holds in every variant"
                            : "NOT SAFE: " + oc.rerun().stream().filter(x -> x.verdict() != Verdict.HOLDS).map(HandoffReports::cell).toList()));
                }
                oc.dtso().lines().forEach(l -> out.println("      | " + l));
                if (oc.diff() != null) {
                    out.println("    diff against the decompiled blob:");
                    oc.diff().lines().forEach(l -> out.println("      " + l));
                }
            }
        }
        if (r.exhausted() && r.fixes().size() < 100 && !space.chosen(r.fixes().get(0).candidate()).isEmpty()) {
            out.println();
            out.println("  no other fix: every other safe candidate changes all that a fix above changes");
        }
        common(space, r.fixes()).forEach(d -> out.println("  every fix changes " + d + ": --forbid " + d
                + " shows what remains without it"));
    }

    /** The dimensions every fix changes (when there are fixes that change something). */
    static List<String> common(FixSpace space, List<FixSearch.Fix> fixes) {
        List<String> out = new ArrayList<>();
        if (fixes.isEmpty() || space.chosen(fixes.get(0).candidate()).isEmpty() || space.dimensions().size() < 2) {
            return out;
        }
        for (int d = 0; d < space.dimensions().size(); d++) {
            final int k = d;
            if (fixes.stream().allMatch(f -> f.candidate()[k] != 0)) {
                out.add(space.dimensions().get(d).name());
            }
        }
        return out;
    }

    /** For a change the rest of the fix cannot go without (a requirement): which and why. */
    private static String partner(FixSpace space, FixSearch.Fix f, FixSpace.Choice c) {
        List<String> ids = space.chosen(f.candidate()).stream().map(FixSpace.Choice::id).toList();
        for (FixSpace.Requirement q : space.requirements()) {
            if (q.needs().equals(c.id()) && ids.contains(q.choice())) {
                return "goes with " + q.choice() + " (" + q.why() + ")";
            }
        }
        return "goes with the rest of this fix";
    }

    static ObjectNode json(Outcome o) {
        FixSearch.Result r = o.result();
        FixSpace space = r.space();
        ObjectNode n = RunReport.JSON.createObjectNode();
        n.put("display", o.display());
        if (o.sameAs() != null) {
            n.put("sameAs", o.sameAs());
        }
        if (o.policy() == null) {
            n.putNull("policy");
        } else {
            n.put("policy", o.policy());
        }
        ArrayNode vary = n.putArray("vary");
        o.varied().forEach(vary::add);
        ArrayNode dims = n.putArray("changes");
        for (FixSpace.Dimension d : space.dimensions()) {
            for (FixSpace.Choice c : d.choices().subList(1, d.choices().size())) {
                ObjectNode x = dims.addObject();
                x.put("id", c.id()).put("kind", d.kind().label()).put("cost", c.cost()).put("what", c.what());
                ObjectNode k = x.putObject("knobs");
                c.knobs().forEach(k::put);
            }
        }
        ArrayNode req = n.putArray("requirements");
        space.requirements().forEach(q -> req.addObject().put("change", q.choice()).put("needs", q.needs()).put("why", q.why()));
        ArrayNode no = n.putArray("notOffered");
        space.notOffered().forEach(q -> no.addObject().put("change", q.change()).put("why", q.why()));
        FixSearch.Stats st = r.stats();
        ObjectNode s = n.putObject("search");
        s.put("space", st.space()).put("allowed", st.allowed()).put("checked", st.checked()).put("cells", st.cells())
                .put("families", st.families()).put("ruledOut", st.ruledOut()).put("certifiedByReplay", st.certified()).put("boxesTooWide", st.gaps())
                .put("replays", st.replays()).put("seconds", Math.round(st.seconds() * 1000) / 1000.0);
        if (r.stopped() == null) {
            s.putNull("stopped");
        } else {
            s.put("stopped", r.stopped());
        }
        ArrayNode fixes = n.putArray("fixes");
        for (int i = 0; i < r.fixes().size(); i++) {
            FixSearch.Fix f = r.fixes().get(i);
            ObjectNode x = fixes.addObject();
            x.put("cost", f.cost());
            ArrayNode ch = x.putArray("changes");
            for (FixSpace.Choice c : space.chosen(f.candidate())) {
                ObjectNode y = ch.addObject().put("id", c.id()).put("cost", c.cost());
                FixSearch.Refutation w = f.without().get(c.id());
                if (w == null) {
                    y.putNull("without");
                } else {
                    y.putObject("without").put("property", w.property()).put("severity", w.severity() == null ? null : w.severity().text())
                            .put("variant", SweepRunner.label(w.variant())).put("rootCause", w.trace() == null ? null : w.trace().rootCause())
                            .put("hazard", w.hazard());
                }
            }
            ArrayNode proof = x.putArray("proof");
            for (HandoffCheck.Outcome p : f.proof()) {
                proof.add(HandoffReports.checkJson(p));
            }
            OverlayCheck oc = o.overlays().get(i);
            if (oc != null) {
                ObjectNode ov = x.putObject("overlay");
                ov.put("dtso", oc.dtso()).put("status", oc.status());
                if (oc.diff() == null) {
                    ov.putNull("diff");
                } else {
                    ov.put("diff", oc.diff());
                }
                if (oc.confirmed() == null) {
                    ov.putNull("patchedBoardSafe");
                } else {
                    ov.put("patchedBoardSafe", oc.confirmed());
                }
            }
        }
        if (r.residual() == null) {
            n.putNull("residual");
        } else {
            n.putObject("residual").put("property", r.residual().property()).put("variant", SweepRunner.label(r.residual().variant()))
                    .put("rootCause", r.residual().trace() == null ? null : r.residual().trace().rootCause());
        }
        return n;
    }
}
