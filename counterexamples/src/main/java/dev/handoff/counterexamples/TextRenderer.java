package dev.handoff.counterexamples;

import java.util.Locale;

/** One block per step: number, actor, action, the kernel function, then only the fields that changed. */
public final class TextRenderer {
    private TextRenderer() {
    }

    public static String render(Trace t, String explanation) {
        StringBuilder sb = new StringBuilder();
        sb.append("counterexample for ").append(t.property()).append(" (").append(t.steps().size()).append(" steps):\n");
        if (explanation != null && !explanation.isEmpty()) {
            sb.append("  why: ").append(explanation).append('\n');
        }
        for (Trace.Step s : t.steps()) {
            sb.append(String.format(Locale.ROOT, "  %3d  %-22s %s%n", s.index(), s.actor(), s.action()));
            sb.append(String.format(Locale.ROOT, "       %-22s   %s%n", "", s.function()));
            for (Trace.Change c : s.changes()) {
                sb.append(String.format(Locale.ROOT, "       %-22s   %s %s→%s%n", "", c.field(), c.from(), c.to()));
            }
        }
        Trace.WitnessInfo w = t.witness();
        if (w != null) {
            sb.append("  witness: ").append(w.outcome());
            if (w.sid() != null) {
                sb.append(" sid ").append(w.sid()).append(" iova ").append(w.iova());
                if (w.pa() != null) {
                    sb.append(" pa ").append(w.pa());
                }
            }
            sb.append("\n           ").append(w.path()).append('\n');
        }
        return sb.toString();
    }
}
