package dev.handoff.checker.cli;

import dev.handoff.counterexamples.Printable;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Standard output and error as every command sees them: whatever is printed passes through
 * {@link Printable}, so text from input (a trace file, a DTB's model string, an IORT name, a
 * bad value echoed in an error) cannot move the cursor, recolour or rewrite the terminal. The
 * progress line's own control sequences go through {@link #control}, and only they.
 */
final class TerminalWriter extends PrintWriter {
    private final Writer raw;

    TerminalWriter(Writer raw) {
        super(new Neutralising(raw), true);
        this.raw = raw;
    }

    /** Writes {@code sequence} (a carriage return, an erase-line) as it is: handoff's own, never input's. */
    static void control(PrintWriter w, String sequence) {
        if (w instanceof TerminalWriter t) {
            synchronized (t.lock) {
                t.flush();
                try {
                    t.raw.write(sequence);
                } catch (IOException e) {
                    t.setError();
                }
            }
        } else {
            w.print(sequence);
        }
    }

    /** Whether {@code w}, or the writer under it, failed (a full disk, a closed pipe). */
    boolean failed() {
        return checkError() || raw instanceof PrintWriter p && p.checkError();
    }

    private static final class Neutralising extends FilterWriter {
        Neutralising(Writer out) {
            super(out);
        }

        @Override
        public void write(int c) throws IOException {
            out.write(Printable.unsafe((char) c) ? Printable.standIn((char) c) : c);
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            write(new String(cbuf, off, len), 0, len);
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            out.write(Printable.neutralise(str.substring(off, off + len)));
        }
    }
}
