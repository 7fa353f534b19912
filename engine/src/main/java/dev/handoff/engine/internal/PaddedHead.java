package dev.handoff.engine.internal;

/**
 * Padding before the fields of an object that one worker writes often while another works on
 * objects that may lie next to it: its subclass's fields start at least two cache lines in (the
 * adjacent-line prefetcher fetches lines in pairs), so they never share a line with the end of
 * whatever object precedes it. The subclass that declares the hot fields is abstract and its
 * concrete subclass declares {@link #TAIL_LONGS} unused longs, so that the hot fields end two
 * lines before the object does. HotSpot lays out a superclass's fields before its subclass's, but
 * a subclass's field may fill a hole left in the superclass's layout: with the default 12-byte
 * header the int here fills the hole after it and the subclass's fields start at 144; without
 * compressed class pointers (16-byte header) or with compact headers (8 bytes) the int goes after
 * the longs and they start at 148 or 140. Either way more than 128 bytes precede them.
 * {@code PaddedHeadTest} checks the layout this JVM chose. A {@code synchronized} block on such an
 * object writes its header, at offset 0: that is kept apart only from objects that end in padding.
 * Small arrays written as often keep {@link #PAD_LONGS} words (or the same bytes) unused on each
 * side of their data instead.
 *
 * <p>Without it the garbage collector, which copies small objects in whatever order its threads
 * meet them, can place two workers' visited-set segments, parent-log cursors, output chunks or
 * a plain model's decoding scratch in one cache line, and every insertion then moves that line
 * between the cores: a run's speed with two workers depended on where a young collection had put
 * them (wide counters at 48, plain, the same jar: 1.7 s in one JVM, 2.4 s in the next, every run
 * of each alike).
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
