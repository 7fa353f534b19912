package dev.handoff.checker.cli;

import dev.handoff.engine.ExplorationSettings;
import dev.handoff.engine.SearchListener;
import dev.handoff.engine.Verdict;
import dev.handoff.counterexamples.Replayer;
import dev.handoff.counterexamples.TraceFile;
import dev.handoff.model.fix.FixSpace;
import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.scenario.Scenario;
import dev.handoff.model.scenario.ScenarioException;
import org.chocosolver.solver.Model;
import org.chocosolver.solver.Solution;
import org.chocosolver.solver.Solver;
import org.chocosolver.solver.constraints.Constraint;
import org.chocosolver.solver.search.strategy.Search;
import org.chocosolver.solver.variables.IntVar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counterexample-guided search for the cheapest changes under which every chosen property holds
 * in every variant a board leaves open.
 *
 * <p>choco-solver proposes the cheapest candidate the constraints allow: one choice per
 * dimension of the {@link FixSpace}, its requirements, minus every family ruled out so far. The
 * candidate is model checked in each variant. When a variant violates a property, its
 * counterexample is re-executed ({@link Replayer#reexecute}) with each dimension switched to each
 * other choice, one at a time: the choices under which the same steps still end in the
 * violation do not close this hazard, and the box of candidates built from them (the product,
 * per dimension, of the failing choice and those) is ruled out at once by one disjunction.
 *
 * <p>Switching one dimension at a time cannot see two changes that close the hazard only
 * together, so a box may be too wide. Before a fix is reported, every cheaper candidate the
 * boxes ruled out is certified: its box's counterexample is re-executed on it, and a candidate
 * on which it does not end in the violation is model checked instead. The first fix is
 * therefore the cheapest in the space, and each later one the cheapest that does not contain an
 * earlier fix.
 */
final class FixSearch {
    /** Builds a candidate's scenario in a variant (the board's patched platform, the candidate's knobs, the variant's). */
    interface Scenarios {
        Scenario of(int[] candidate, Map<String, String> variant);
    }

    /** Why a candidate fails: a variant, the violated property and its counterexample. */
    record Refutation(Map<String, String> variant, String property, FetchLabel severity, TraceFile trace) {
        /** What the counterexample's own fetch ends in (fault, hang, ...), or null. */
        String outcome() {
            return trace == null || trace.trace().witness() == null ? null : trace.trace().witness().outcome();
        }

        /**
         * The hazard in one sentence: the first of the counterexample's explanation (which fetch
         * failed how, at which step), else its root-cause key.
         */
        String hazard() {
            String e = trace == null ? null : trace.explanation();
            if (e == null || e.isBlank()) {
                return trace == null ? property : trace.rootCause();
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.\\s+(?=[A-Z])").matcher(e);
            return m.find() ? e.substring(0, m.start() + 1) : e;
        }

        /** The property, the variant and the hazard, for "closes:" lines. */
        String closes() {
            return property + " fails" + (variant.isEmpty() ? "" : " in " + SweepRunner.label(variant)) + ": " + hazard();
        }

        String summary() {
            String key = trace == null ? null : trace.rootCause();
            String out = outcome();
            String sev = severity == null ? out : out == null || out.equals(severity.text()) ? severity.text()
                    : out + "; worst reachable: " + severity.text();
            return property + (sev == null ? "" : " (" + sev + ")")
                    + (variant.isEmpty() ? "" : " in " + SweepRunner.label(variant)) + (key == null || key.isEmpty() ? "" : ": " + key);
        }
    }

    /** A severity, printable. */
    record FetchLabel(String text) {
    }

    /** A box of candidates one counterexample refutes (per dimension, the choices it survives). */
    record Family(int id, int[] from, boolean[][] box, Refutation why) {
        boolean contains(int[] c) {
            for (int d = 0; d < c.length; d++) {
                if (!box[d][c[d]]) {
                    return false;
                }
            }
            return true;
        }

        long size() {
            long n = 1;
            for (boolean[] b : box) {
                int k = 0;
                for (boolean x : b) {
                    k += x ? 1 : 0;
                }
                n *= k;
            }
            return n;
        }
    }

    /**
     * A fix: the candidate, its proof (every variant's outcome, each holding) and, per chosen
     * change, what goes wrong without it (null when the rest is not a candidate: a requirement).
     */
    record Fix(int[] candidate, int cost, List<HandoffCheck.Outcome> proof, Map<String, Refutation> without) {
    }

    /** Figures of a search. */
    record Stats(long space, long allowed, int checked, long cells, int families, long ruledOut, int replays, long certified,
                 int gaps, double seconds) {
    }

    /**
     * @param fixes      the cheapest first, then each next cheapest that contains no earlier one
     * @param residual   when no fix was found: the last counterexample of the cheapest candidate
     * @param stopped    why the search stopped early (check budget, inconclusive cells), or null
     */
    record Result(FixSpace space, List<Fix> fixes, Refutation residual, String stopped, boolean exhausted, Stats stats) {
    }

    private final FixSpace space;
    private final List<Map<String, String>> variants;
    private final Scenarios scenarios;
    private final List<String> properties;
    private final boolean pruning;
    private final ExplorationSettings settings;
    private final int maxFixes;
    private final int maxChecks;
    private final java.util.function.Consumer<String> progress;

    private final Map<String, HandoffCheck.Outcome> cells = new HashMap<>();
    private final Map<String, Refutation> refuted = new LinkedHashMap<>();
    private final Map<String, String> inconclusive = new LinkedHashMap<>();
    private final java.util.Set<String> modelChecked = new java.util.HashSet<>();
    /** Candidates whose scenario cannot be built in some variant (never a fix), with why. */
    private final Map<String, String> invalid = new LinkedHashMap<>();
    /** Candidates reported as fixes. */
    private final java.util.Set<String> knownSafe = new java.util.HashSet<>();
    /** A replay-cache name per refutation (identity, not hash). */
    private final Map<Refutation, Integer> refutationIds = new java.util.IdentityHashMap<>();
    private final List<Family> families = new ArrayList<>();
    private final List<int[]> found = new ArrayList<>();
    private final Map<String, Boolean> replayed = new HashMap<>();
    private int checked;
    private int replays;
    private long certified;
    private int gaps;
    /** System.nanoTime() past which no candidate is started (--time-limit bounds the whole search). */
    private final long deadline;
    /** Why certification stopped the search, or null. */
    private String stopReason;
    /** The variant that failed last: tried first (the same hazard usually survives the next candidate). */
    private int firstVariant;

    FixSearch(FixSpace space, List<Map<String, String>> variants, Scenarios scenarios, List<String> properties, boolean pruning,
              ExplorationSettings settings, int maxFixes, int maxChecks, java.util.function.Consumer<String> progress) {
        this.space = space;
        this.variants = List.copyOf(variants);
        this.scenarios = scenarios;
        this.properties = List.copyOf(properties);
        this.pruning = pruning;
        this.settings = settings;
        this.maxFixes = maxFixes;
        this.maxChecks = maxChecks;
        this.progress = progress;
        this.deadline = settings.timeLimit() == null ? Long.MAX_VALUE : System.nanoTime() + settings.timeLimit().toNanos();
    }

    /**
     * A candidate no cheaper fix is known to beat could not be decided (a search limit): a
     * costlier fix found after it would not be known to be the cheapest, so the search stops.
     */
    private String undecided(int[] c) {
        return "candidate " + ids(c) + " (cost " + space.cost(c) + ") could not be decided: " + inconclusive.get(key(c))
                + "; a costlier fix would not be known to be the cheapest (raise --max-states, --time-limit or --memory)";
    }

    Result run() {
        long t0 = System.nanoTime();
        int n = space.dimensions().size();
        Refutation residual = null;
        String stopped = null;
        List<Fix> fixes = new ArrayList<>();
        boolean exhausted = false;
        while (fixes.size() < maxFixes) {
            int[] c = cheapest(n);
            if (c == null) {
                // nothing left but what the families ruled out: certify every remaining candidate
                // (a family too wide may hide a safe one) before saying there is no (other) fix
                List<int[]> hidden = certify(Integer.MAX_VALUE, "the last fix");
                if (hidden == null) {
                    break;
                }
                if (hidden.isEmpty()) {
                    exhausted = true;
                    break;
                }
                int[] h = hidden.get(0);
                fixes.add(fix(h));
                found.add(h);
                knownSafe.add(key(h));
                progress.accept("fix " + fixes.size() + " (cost " + space.cost(h) + "): " + ids(h));
                continue;
            }
            if (checked >= maxChecks) {
                stopped = "the check budget (" + maxChecks + " candidate" + (maxChecks == 1 ? "" : "s") + ") ran out";
                break;
            }
            if (System.nanoTime() > deadline) {
                stopped = "the time limit (--time-limit " + settings.timeLimit().toSeconds() + "s) ran out";
                break;
            }
            Refutation r = check(c);
            if (inconclusive.containsKey(key(c))) {
                stopped = undecided(c);
                break;
            }
            if (invalid.containsKey(key(c))) {
                continue;
            }
            if (r == null) {
                List<int[]> cheaper = certify(space.cost(c), ids(c));
                if (cheaper == null) {
                    break;
                }
                if (!cheaper.isEmpty()) {
                    // a family was too wide: the cheapest candidate it hid is the fix (c stays a
                    // candidate for a later fix)
                    c = cheaper.get(0);
                }
                fixes.add(fix(c));
                found.add(c);
                knownSafe.add(key(c));
                progress.accept("fix " + fixes.size() + " (cost " + space.cost(c) + "): " + ids(c));
            } else {
                if (fixes.isEmpty()) {
                    residual = r;
                }
                families.add(generalise(c, r));
            }
        }
        if (stopped == null && stopReason != null) {
            stopped = stopReason;
        }
        long[] counts = counts();
        return new Result(space, fixes, fixes.isEmpty() ? residual : null, stopped, exhausted,
                new Stats(space.size(), counts[0], checked, cells.size(), families.size(), counts[1], replays, certified, gaps,
                        (System.nanoTime() - t0) / 1e9));
    }

    /** The cheapest candidate no family, fix or decided candidate rules out; null when none is left. */
    private int[] cheapest(int n) {
        Model m = new Model("fix");
        IntVar[] x = vars(m, n);
        IntVar cost = cost(m, x);
        for (Family f : families) {
            block(m, x, f.box());
        }
        for (int[] s : found) {
            superset(m, x, s);
        }
        for (String k : refuted.keySet()) {
            exclude(m, x, parse(k));
        }
        for (String k : inconclusive.keySet()) {
            exclude(m, x, parse(k));
        }
        for (String k : invalid.keySet()) {
            exclude(m, x, parse(k));
        }
        for (String k : knownSafe) {
            exclude(m, x, parse(k));
        }
        Solver solver = m.getSolver();
        solver.setSearch(Search.inputOrderLBSearch(x));
        Solution s = solver.findOptimalSolution(cost, Model.MINIMIZE);
        if (s == null) {
            return null;
        }
        int[] c = new int[n];
        for (int d = 0; d < n; d++) {
            c[d] = s.getIntVal(x[d]);
        }
        return c;
    }

    private IntVar[] vars(Model m, int n) {
        IntVar[] x = new IntVar[n];
        for (int d = 0; d < n; d++) {
            x[d] = m.intVar(space.dimensions().get(d).name(), 0, space.dimensions().get(d).choices().size() - 1);
        }
        for (FixSpace.Requirement r : space.requirements()) {
            int[] a = space.find(r.choice());
            int[] b = space.find(r.needs());
            m.or(m.arithm(x[a[0]], "!=", a[1]), m.arithm(x[b[0]], "=", b[1])).post();
        }
        return x;
    }

    private IntVar cost(Model m, IntVar[] x) {
        IntVar[] parts = new IntVar[x.length];
        int max = 0;
        for (int d = 0; d < x.length; d++) {
            int[] costs = space.dimensions().get(d).choices().stream().mapToInt(FixSpace.Choice::cost).toArray();
            int hi = Arrays.stream(costs).max().orElse(0);
            max += hi;
            parts[d] = m.intVar("cost." + d, 0, hi);
            m.element(parts[d], costs, x[d]).post();
        }
        IntVar cost = m.intVar("cost", 0, max);
        m.sum(parts, "=", cost).post();
        return cost;
    }

    /** Rules out every candidate inside the box: some dimension must take a choice outside it. */
    private static void block(Model m, IntVar[] x, boolean[][] box) {
        List<Constraint> escape = new ArrayList<>();
        for (int d = 0; d < x.length; d++) {
            List<Integer> in = new ArrayList<>();
            for (int j = 0; j < box[d].length; j++) {
                if (box[d][j]) {
                    in.add(j);
                }
            }
            if (in.size() < box[d].length) {
                escape.add(m.notMember(x[d], in.stream().mapToInt(Integer::intValue).toArray()));
            }
        }
        if (escape.isEmpty()) {
            m.falseConstraint().post();
        } else if (escape.size() == 1) {
            escape.get(0).post();
        } else {
            m.or(escape.toArray(new Constraint[0])).post();
        }
    }

    /**
     * Rules out every candidate that changes every dimension fix {@code s} changes, whatever the
     * choices (not minimal; and another version of the same change is the same fix, not another).
     */
    private static void superset(Model m, IntVar[] x, int[] s) {
        List<Constraint> escape = new ArrayList<>();
        for (int d = 0; d < x.length; d++) {
            if (s[d] != 0) {
                escape.add(m.arithm(x[d], "=", 0));
            }
        }
        if (escape.isEmpty()) {
            m.falseConstraint().post();
        } else {
            m.or(escape.toArray(new Constraint[0])).post();
        }
    }

    private static void exclude(Model m, IntVar[] x, int[] c) {
        Constraint[] escape = new Constraint[x.length];
        for (int d = 0; d < x.length; d++) {
            escape[d] = m.arithm(x[d], "!=", c[d]);
        }
        if (escape.length == 0) {
            m.falseConstraint().post();
        } else {
            m.or(escape).post();
        }
    }

    /**
     * In one enumeration of the allowed candidates: how many there are, and how many of them a
     * family's box holds without their having been model checked (what the counterexamples ruled
     * out); {-1, -1} when the space is too large to count.
     */
    private long[] counts() {
        if (space.size() > 2_000_000) {
            return new long[] {-1, -1};
        }
        Model m = new Model("count");
        IntVar[] x = vars(m, space.dimensions().size());
        Solver solver = m.getSolver();
        long allowed = 0;
        long ruledOut = 0;
        while (solver.solve()) {
            allowed++;
            int[] y = values(x);
            if (!modelChecked.contains(key(y)) && families.stream().anyMatch(f -> f.contains(y))) {
                ruledOut++;
            }
        }
        return new long[] {allowed, ruledOut};
    }

    /**
     * Model checks a candidate in every variant, the last failing one first: the first
     * refutation, or null (then it holds everywhere, or is recorded as undecided or invalid).
     */
    private Refutation check(int[] c) {
        if (modelChecked.add(key(c))) {
            checked++;
        }
        progress.accept("checking " + ids(c) + " (cost " + space.cost(c) + ")");
        String undecided = null;
        for (int i = 0; i < variants.size(); i++) {
            int v = (firstVariant + i) % variants.size();
            Map<String, String> variant = variants.get(v);
            HandoffCheck.Outcome o;
            try {
                o = cell(c, variant);
            } catch (ScenarioException e) {
                invalid.put(key(c), ids(c) + " in " + SweepRunner.label(variant) + ": " + e.getMessage());
                return null;
            }
            Refutation r = refutation(variant, o);
            if (r != null) {
                firstVariant = v;
                refuted.put(key(c), r);
                return r;
            }
            if (o.verdict() == Verdict.INCONCLUSIVE && undecided == null) {
                undecided = ids(c) + " in " + SweepRunner.label(variant) + (o.stopReason() == null ? "" : " (" + o.stopReason() + ")");
            }
        }
        if (undecided != null) {
            inconclusive.put(key(c), undecided);
        }
        return null;
    }

    /**
     * The outcome of one cell, cached by scenario.
     *
     * @throws ScenarioException when the candidate's scenario in this variant is not a valid one
     */
    private HandoffCheck.Outcome cell(int[] c, Map<String, String> variant) {
        Scenario s = scenarios.of(c, variant);
        String k = cellKey(s);
        HandoffCheck.Outcome o = cells.get(k);
        if (o == null) {
            List<java.util.concurrent.Callable<HandoffCheck.Outcome>> one = List.of(() -> HandoffCheck.run(s, properties, pruning,
                    false, 1, settings.withWorkers(1), SearchListener.NONE, false));
            o = SweepRunner.runAll(one, 1).get(0);
            cells.put(k, o);
        }
        return o;
    }

    private static String cellKey(Scenario s) {
        return s.platform().toString() + "|" + s.policy() + "|" + s.knobs();
    }

    /** The first violated property with its counterexample (a violation without one still refutes; its family is the candidate alone). */
    private static Refutation refutation(Map<String, String> variant, HandoffCheck.Outcome o) {
        for (HandoffCheck.PropertyOutcome p : o.properties()) {
            if (p.verdict() == Verdict.VIOLATED) {
                return new Refutation(variant, p.name(), p.severity() == null ? null : new FetchLabel(p.severity().label()), p.file());
            }
        }
        return null;
    }

    /** The box of candidates a counterexample refutes, found by re-executing it with one dimension switched at a time. */
    private Family generalise(int[] c, Refutation r) {
        int n = c.length;
        boolean[][] box = new boolean[n][];
        for (int d = 0; d < n; d++) {
            box[d] = new boolean[space.dimensions().get(d).choices().size()];
            box[d][c[d]] = true;
            for (int j = 0; j < box[d].length; j++) {
                if (j != c[d]) {
                    int[] y = c.clone();
                    y[d] = j;
                    box[d][j] = reproduces(y, r);
                }
            }
        }
        Family f = new Family(families.size() + 1, c.clone(), box, r);
        progress.accept("family " + f.id() + ": " + r.summary() + " rules out " + f.size() + " candidate(s)");
        return f;
    }

    /** Whether the refutation's counterexample still ends in its violation on candidate {@code y}. */
    private boolean reproduces(int[] y, Refutation r) {
        if (!space.allowed(y)) {
            return false; // outside the space: left in the box's complement, which only narrows the box
        }
        Scenario s;
        try {
            s = scenarios.of(y, r.variant());
        } catch (ScenarioException e) {
            return false;
        }
        if (r.trace() == null) {
            return false;
        }
        String k = refutationIds.computeIfAbsent(r, x -> refutationIds.size()) + "|" + cellKey(s);
        Boolean known = replayed.get(k);
        if (known != null) {
            return known;
        }
        replays++;
        boolean yes;
        try {
            HandoffModel model = new HandoffModel(s, r.trace().pruning());
            yes = Replayer.reexecute(model, r.trace().trace()) instanceof Replayer.Result.Reproduced;
        } catch (RuntimeException e) {
            yes = false;
        }
        replayed.put(k, yes);
        return yes;
    }

    /**
     * Certifies that no allowed candidate cheaper than {@code limit} (containing no earlier fix,
     * not already decided) is safe: each one a family ruled out must reproduce that family's
     * counterexample, else it is model checked. Returns the safe ones found that way, cheapest
     * first (empty when every family held), or null when one could not be decided, or the time
     * or the check budget ran out (the search stops: {@link #stopReason}).
     */
    private List<int[]> certify(int limit, String what) {
        if (limit == 0) {
            return List.of();
        }
        if (limit == Integer.MAX_VALUE && space.size() > 200_000) {
            stopReason = "the space (" + space.size() + " candidates) is too large to certify that the families left no fix out";
            return null;
        }
        Model m = new Model("certify");
        IntVar[] x = vars(m, space.dimensions().size());
        IntVar cost = cost(m, x);
        if (limit != Integer.MAX_VALUE) {
            m.arithm(cost, "<", limit).post();
        }
        for (int[] s : found) {
            superset(m, x, s);
        }
        Solver solver = m.getSolver();
        solver.setSearch(Search.inputOrderLBSearch(x));
        List<int[]> hidden = new ArrayList<>();
        while (solver.solve()) {
            int[] y = values(x);
            String k = key(y);
            if (!refuted.containsKey(k) && !inconclusive.containsKey(k) && !invalid.containsKey(k) && !knownSafe.contains(k)) {
                hidden.add(y);
            }
        }
        hidden.sort(java.util.Comparator.comparingInt(space::cost));
        List<int[]> safe = new ArrayList<>();
        for (int[] y : hidden) {
            Family f = families.stream().filter(b -> b.contains(y) && reproduces(y, b.why())).findFirst().orElse(null);
            if (f != null) {
                certified++;
                refuted.put(key(y), f.why());
                continue;
            }
            if (modelChecked.contains(key(y)) && !refuted.containsKey(key(y))) {
                safe.add(y); // checked before and found safe
                continue;
            }
            gaps++;
            if (System.nanoTime() > deadline) {
                stopReason = "the time limit (--time-limit " + settings.timeLimit().toSeconds() + "s) ran out while certifying " + what;
                return null;
            }
            if (checked >= maxChecks) {
                stopReason = "the check budget (" + maxChecks + " candidates) ran out while certifying " + what;
                return null;
            }
            progress.accept("a family was too wide for " + ids(y) + ": checking it");
            Refutation r = check(y);
            if (inconclusive.containsKey(key(y))) {
                stopReason = undecided(y);
                return null;
            }
            if (invalid.containsKey(key(y))) {
                continue;
            }
            if (r != null) {
                families.add(generalise(y, r));
            } else {
                safe.add(y);
            }
        }
        safe.sort(java.util.Comparator.comparingInt(space::cost));
        return safe;
    }

    private Fix fix(int[] c) {
        List<HandoffCheck.Outcome> proof = new ArrayList<>();
        for (Map<String, String> v : variants) {
            HandoffCheck.Outcome o = cell(c, v);
            if (o != null && proof.stream().noneMatch(p -> p == o)) {
                proof.add(o);
            }
        }
        Map<String, Refutation> without = new LinkedHashMap<>();
        for (int d = 0; d < c.length; d++) {
            if (c[d] == 0) {
                continue;
            }
            int[] y = c.clone();
            y[d] = 0;
            String id = space.dimensions().get(d).choices().get(c[d]).id();
            without.put(id, space.allowed(y) ? refuted.get(key(y)) : null);
        }
        return new Fix(c.clone(), space.cost(c), proof, without);
    }

    String ids(int[] c) {
        List<String> out = space.chosen(c).stream().map(FixSpace.Choice::id).toList();
        return out.isEmpty() ? "nothing changed" : String.join(" + ", out);
    }

    private static int[] values(IntVar[] x) {
        int[] y = new int[x.length];
        for (int d = 0; d < y.length; d++) {
            y[d] = x[d].getValue();
        }
        return y;
    }

    private static String key(int[] c) {
        return Arrays.toString(c);
    }

    private static int[] parse(String k) {
        String body = k.substring(1, k.length() - 1).trim();
        if (body.isEmpty()) {
            return new int[0];
        }
        return Arrays.stream(body.split(",\\s*")).mapToInt(Integer::parseInt).toArray();
    }
}
