package dev.handoff.counterexamples;

/**
 * Text read from input (a trace file, a device tree's {@code model} string, an IORT name, a
 * scenario's value echoed in an error) is printed through this, so that it cannot drive the
 * terminal: C0 controls other than tab and newline become their Unicode control pictures
 * ({@code ESC} is shown as {@code ␛}), DEL as {@code ␡}, C1 controls and the bidirectional
 * overrides and isolates (which reorder what a reader sees) as {@code U+FFFD}. The result is still
 * valid in JSON, XML, markdown and HTML, and shows where the file had something odd.
 */
public final class Printable {
    private Printable() {
    }

    /** Whether {@code c} must not reach a terminal or a report as it is. */
    public static boolean unsafe(char c) {
        return c < 0x20 && c != '\n' && c != '\t'
                || c == 0x7f
                || c >= 0x80 && c <= 0x9f
                || c >= 0x202a && c <= 0x202e
                || c >= 0x2066 && c <= 0x2069;
    }

    /** The visible stand-in for an {@link #unsafe} character. */
    public static char standIn(char c) {
        if (c < 0x20) {
            return (char) (0x2400 + c);
        }
        return c == 0x7f ? '\u2421' : '\ufffd';
    }

    /** {@code s} with every unsafe character replaced by its stand-in (the same string when there is none). */
    public static String neutralise(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !unsafe(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        b.append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(unsafe(c) ? standIn(c) : c);
        }
        return b.toString();
    }
}
