package dev.handoff.counterexamples;

import dev.handoff.model.handoff.HandoffModel;
import dev.handoff.model.handoff.HandoffState;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the root cause of a counterexample in a short paragraph: for a failing fetch, the last
 * step that changed how the failing stream ID resolves, what it resolved to before and after,
 * and the earlier steps that wrote the registers on its final path (the chain that made it so).
 */
public final class Explainer {
    private static final Pattern REGISTER = Pattern.compile("(SMR\\[\\d+]|S2CR\\[\\d+]|CB\\[\\d+]|sCR0|STE|GBPA|CR0)");

    private Explainer() {
    }

    /**
     * @param states the run's states ({@code trace.steps().size() + 1} of them)
     */
    public static String explain(HandoffModel model, Trace trace, List<HandoffState> states) {
        List<Trace.Step> steps = trace.steps();
        if (steps.isEmpty()) {
            return "The initial state already violates " + trace.property() + ".";
        }
        Trace.Step last = steps.get(steps.size() - 1);
        Trace.WitnessInfo w = trace.witness();
        if (w != null && w.sid() != null) {
            return fetch(model, trace, states, last, w);
        }
        if (w != null) {
            return "Step " + last.index() + " (" + last.actor() + " " + last.action() + ") wrote the "
                    + last.changes().stream().filter(c -> c.field().startsWith("memory.")).map(c -> c.field().substring(7))
                    .findFirst().orElse("pages") + " while they were still in use: " + w.path() + ". "
                    + allocation(steps) + "The firmware pages were not reserved from the kernel's allocator (fw.tables=unreserved"
                    + " or fw.framebuffer=unreserved).";
        }
        HandoffState end = states.get(states.size() - 1);
        if (model.kernelDone(end)) {
            return "After step " + last.index() + " (" + last.actor() + " " + last.action() + ") every kernel step has run and"
                    + " no display driver has set a mode: " + (model.config().acpi()
                    ? "on an ACPI boot no modelled display driver binds (msm, tegra-dc and hdlcd match only device"
                            + " trees), so nothing probes the display or its IOMMU and efifb keeps the firmware framebuffer."
                    : "the driver could not map a buffer for its first modeset.");
        }
        return "After step " + last.index() + " (" + last.actor() + " " + last.action() + ") no actor can move, yet the"
                + " display driver has not reached its first modeset.";
    }

    /**
     * A short key of the root cause: the actor and action of the last step that changed how the
     * failing stream resolves, and what it resolves to; for other violations, the last step.
     */
    public static String rootCause(HandoffModel model, Trace trace, List<HandoffState> states) {
        List<Trace.Step> steps = trace.steps();
        if (steps.isEmpty()) {
            return "initial state";
        }
        Trace.WitnessInfo w = trace.witness();
        Trace.Step last = steps.get(steps.size() - 1);
        if (w == null || w.sid() == null) {
            return last.actor() + " " + last.action() + (w == null ? "" : " " + w.outcome());
        }
        int sid = Integer.parseInt(w.sid().substring(2), 16);
        int top = w.iova() != null ? states.size() - 2 : states.size() - 1;
        int i = lastChange(model, states, sid, top);
        if (i >= 1) {
            Trace.Step cause = steps.get(i - 1);
            return cause.actor() + " " + cause.action().replaceAll("\\[\\d+]", "[]") + " -> "
                    + w.outcome() + ": " + model.resolution(states.get(top), sid).replaceAll("\\[\\d+]", "[]");
        }
        return "firmware configuration -> " + w.outcome();
    }

    /**
     * The last state index in 1..{@code top} whose resolution of stream {@code sid} differs from
     * the state before it: the step that made the stream resolve the way it finally does; -1 if
     * none did (the firmware's configuration already led there).
     */
    private static int lastChange(HandoffModel model, List<HandoffState> states, int sid, int top) {
        for (int i = top; i >= 1; i--) {
            if (!model.resolution(states.get(i), sid).equals(model.resolution(states.get(i - 1), sid))) {
                return i;
            }
        }
        return -1;
    }

    private static String allocation(List<Trace.Step> steps) {
        for (Trace.Step s : steps) {
            if (s.actor().equals("page-allocator") && s.action().startsWith("alloc")) {
                return "Step " + s.index() + " (" + s.action() + ") had handed them to the kernel. ";
            }
        }
        return "";
    }

    private static String fetch(HandoffModel model, Trace trace, List<HandoffState> states, Trace.Step last,
                                Trace.WitnessInfo w) {
        int sid = Integer.parseInt(w.sid().substring(2), 16);
        int n = states.size() - 1;
        boolean fetch = w.iova() != null;
        int top = fetch ? n - 1 : n;
        String finalRoute = model.resolution(states.get(top), sid);
        int changed = lastChange(model, states, sid, top);
        StringBuilder sb = new StringBuilder();
        switch (w.outcome()) {
            case "untranslated" -> sb.append("After step ").append(last.index()).append(" stream ").append(w.sid())
                    .append(" of another master reaches memory untranslated although Linux gave it no IDENTITY domain: ")
                    .append(w.path()).append(". ");
            case "stream-match-conflict" -> sb.append("After step ").append(last.index()).append(" the live display stream ")
                    .append(w.sid()).append(" matches several SMRs: ").append(w.path()).append(". ");
            default -> sb.append("The display fetch of stream ").append(w.sid()).append(" at step ").append(last.index())
                    .append(" (IOVA ").append(w.iova()).append(") ").append(switch (w.outcome()) {
                        case "fatal" -> "raised a global fault the firmware resets the machine on";
                        case "fault" -> "was aborted";
                        case "hang" -> "hung the bus";
                        case "wrong-page" -> "landed outside the framebuffer" + (w.pa() == null ? "" : " at " + w.pa());
                        default -> "failed";
                    }).append(": ").append(w.path()).append(". ");
        }
        if (changed < 1) {
            sb.append("The stream resolved this way from the handoff on: the firmware's configuration (step 1) already"
                    + " leads there.");
            return sb.toString();
        }
        Trace.Step cause = trace.steps().get(changed - 1);
        sb.append(fetch ? "Step " : "This is so since step ").append(cause.index()).append(" (").append(cause.actor()).append(" ").append(cause.action())
                .append(", ").append(cause.function()).append(") changed how it resolves, from \"")
                .append(model.resolution(states.get(changed - 1), sid)).append("\" to \"").append(finalRoute).append("\"");
        List<String> smmu = cause.changes().stream().filter(c -> c.field().startsWith("smmu."))
                .map(c -> c.field().substring(5) + " " + c.from() + "->" + c.to()).toList();
        if (!smmu.isEmpty()) {
            sb.append(" by writing ").append(String.join(", ", smmu));
        }
        sb.append(".");
        if (finalRoute.contains("USFCFG=1") && fetch) {
            sb.append(" sCR0.USFCFG was 1, so an unmatched stream aborts.");
        }
        List<String> chain = chain(model, trace, states, sid, changed, finalRoute);
        if (!chain.isEmpty()) {
            sb.append(" Before that: ").append(String.join("; ", chain)).append(".");
        }
        return sb.toString();
    }

    /** Earlier steps that wrote a register named on the final route. */
    /** Whether the SMR named by {@code field} matched stream {@code sid} in state {@code s}. */
    private static boolean matchedBefore(HandoffModel model, HandoffState s, String field, int sid) {
        if (model.config().v3()) {
            return false;
        }
        int n = Integer.parseInt(field.substring("smmu.SMR[".length(), field.indexOf(']')));
        return dev.handoff.model.smmu.Registers.smrMatches(s.v2().smr()[n], sid);
    }

    private static List<String> chain(HandoffModel model, Trace trace, List<HandoffState> states, int sid, int before,
                                      String route) {
        Set<String> regs = new LinkedHashSet<>();
        Matcher m = REGISTER.matcher(route);
        while (m.find()) {
            regs.add(m.group(1));
        }
        if (route.contains("no SMR matches")) {
            regs.add("SMR");
        }
        Set<String> shadow = new LinkedHashSet<>();
        for (String r : regs) {
            if (r.startsWith("S2CR[")) {
                shadow.add("arm-smmu.s2crs[" + r.substring(5));
                shadow.add("arm-smmu.bypass_quirk");
            } else if (r.startsWith("SMR[")) {
                shadow.add("arm-smmu.smrs[" + r.substring(4));
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = before - 2; i >= 0 && out.size() < 4; i--) {
            Trace.Step s = trace.steps().get(i);
            List<String> hits = new ArrayList<>();
            for (Trace.Change c : s.changes()) {
                for (String r : regs) {
                    boolean anySmr = r.equals("SMR") && c.field().startsWith("smmu.SMR[")
                            && matchedBefore(model, states.get(i), c.field(), sid);
                    if (anySmr || c.field().startsWith("smmu." + r + ".") || c.field().equals("smmu." + r)) {
                        hits.add(c.field().substring(5) + " " + c.from() + "->" + c.to());
                    }
                }
                if (shadow.contains(c.field())) {
                    hits.add(c.from().equals("-") ? c.field() + " := " + c.to() : c.field() + " " + c.from() + "->" + c.to());
                }
            }
            if (!hits.isEmpty()) {
                out.add("step " + s.index() + " (" + s.actor() + " " + s.action() + ") set " + String.join(", ", hits));
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }
}
