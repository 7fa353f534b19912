package dev.handoff.engine.internal;

/**
 * The first 132 bytes of an object whose fields one worker writes often while another works on
 * objects that may lie next to it: its subclass's fields start past two cache lines (the
 * adjacent-line prefetcher fetches lines in pairs), so they never share one with the end of
 * whatever object precedes it. The subclass that declares the hot fields is abstract and its
 * concrete subclass declares {@link #TAIL_LONGS} unused longs, so that the hot fields end two
 * lines before the object does. (The JVM lays out a superclass's fields before its subclass's;
 * the int fills the hole after a compressed header, which a subclass's int would otherwise take.)
 * Small arrays written as often keep {@link #PAD_LONGS} words (or the same bytes) unused on each
 * side of their data instead.
 *
 * <p>Not API: the engine's own classes extend it.
 *
 * <p>Without it the garbage collector, which copies small objects in whatever order its threads
 * meet them, can place two workers' visited-set segments, parent-log cursors, output chunks or a
 * plain model's decoding scratch in
 * one cache line, and every insertion then moves that line between the cores: a run's speed with
 * two workers depended on where a young collection had put them (wide counters at 48, plain,
 * the same jar: 1.7 s in one JVM, 2.4 s in the next, every run of each alike).
 */
@SuppressWarnings("unused")
public abstract class PaddedHead {
    /** How many unused longs a concrete subclass declares after the hot fields. */
    public static final int TAIL_LONGS = 16;

    /** Words of padding an array needs on each side of data one thread writes often (two cache lines). */
    public static final int PAD_LONGS = 16;

    private int h00;
    private long h01, h02, h03, h04, h05, h06, h07, h08, h09, h10, h11, h12, h13, h14, h15, h16;
}
