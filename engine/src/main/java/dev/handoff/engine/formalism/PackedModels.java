package dev.handoff.engine.formalism;

import dev.handoff.engine.internal.PaddedHead;

import java.util.Arrays;
import java.util.List;

/** Adapters between the readable {@link Model} and the engine's {@link PackedModel}. */
public final class PackedModels {
    private PackedModels() {
    }

    /**
     * Adapts a model to the packed interface through its codec.
     *
     * <p>Each worker thread keeps the last state it decoded and, in a direct-mapped cache of
     * {@value #PRODUCED} entries, the successors it produced lately, so expanding one state
     * decodes it once, not once per action, and checking the properties of a successor produced
     * lately decodes nothing (a partial-order reduction computes every successor before it stores
     * any). The successor is still the model's own object per enabled action: readable models pay
     * their allocations per transition, which is why the reference benchmarks also come packed by
     * hand ({@link PackedModel} directly).
     *
     * @throws IllegalArgumentException if the model declares no initial state, no action, or
     *                                  more than {@value PackedModel#MAX_PROPERTIES} properties
     */
    public static <S> PackedModel of(Model<S> model) {
        return new CodecModel<>(model);
    }

    /** Decodes a packed state of a model that was adapted with {@link #of(Model)}. */
    public static <S> S decode(Model<S> model, long[] words) {
        return model.codec().decode(words, 0);
    }

    /** A model's list or codec, or a one-line refusal naming the method that returned null (List.copyOf would say only "null"). */
    private static <T> T required(T value, String method) {
        if (value == null) {
            throw new IllegalArgumentException("the model's " + method + " returned null (an empty list, if none, where a list is asked)");
        }
        if (value instanceof List<?> list) {
            int i = 0;
            for (Object o : list) {
                if (o == null) {
                    throw new IllegalArgumentException("the model's " + method + " returned a list holding null at position " + i);
                }
                i++;
            }
        }
        return value;
    }

    /** Encodes {@code s} into {@code guarded} (its words and one more, that word set to the guard); false if encode wrote past the words. */
    private static <S> boolean encodesWithin(StateCodec<S> codec, S s, long[] guarded, int words) {
        guarded[words] = GUARD;
        try {
            codec.encode(s, guarded, 0);
        } catch (IndexOutOfBoundsException e) {
            return false; // two words past or more
        }
        return guarded[words] == GUARD;
    }

    /**
     * A state as its {@code toString} shows it, except that where a record's text shows an array
     * component by identity ({@code [I@1b6d3586}, a record's default), the array's contents stand
     * instead: traces and messages print states this way.
     */
    static String show(Object state) {
        String text;
        try {
            text = String.valueOf(state);
        } catch (RuntimeException e) {
            return state.getClass().getSimpleName() + " (its toString threw " + e + ")";
        }
        if (state == null || !state.getClass().isRecord()) {
            return text;
        }
        try {
            for (java.lang.reflect.RecordComponent rc : state.getClass().getRecordComponents()) {
                if (rc.getType().isArray()) {
                    java.lang.reflect.Method get = rc.getAccessor();
                    get.setAccessible(true);
                    Object array = get.invoke(state);
                    if (array != null) {
                        String contents = Arrays.deepToString(new Object[] {array});
                        text = text.replace(array.toString(), contents.substring(1, contents.length() - 1));
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // cannot look inside: the state's own text
        }
        return text;
    }

    private static final class CodecModel<S> implements PackedModel {
        private final Model<S> model;
        private final StateCodec<S> codec;
        private final int words;
        private final List<S> initial;
        private final List<Action> actions;
        private final List<Property<S>> properties;
        private final List<PropertySpec> specs;
        private final List<Footprint> footprints;
        private final ThreadLocal<Scratch<S>> scratch;

        CodecModel(Model<S> model) {
            this.model = model;
            this.codec = required(model.codec(), "codec()");
            this.words = codec.words();
            this.initial = List.copyOf(required(model.initialStates(), "initialStates()"));
            this.actions = List.copyOf(required(model.actions(), "actions()"));
            this.properties = List.copyOf(required(model.properties(), "properties()"));
            if (words < 1) {
                throw new IllegalArgumentException("codec words() must be at least 1, was " + words);
            }
            if (initial.isEmpty()) {
                throw new IllegalArgumentException("a model needs at least one initial state");
            }
            long[] guarded = new long[words + 1];
            for (S s : initial) {
                if (!encodesWithin(codec, s, guarded, words)) {
                    throw new IllegalArgumentException("the codec's encode writes past the " + words + " word"
                            + (words == 1 ? "" : "s") + " its words() declares, packing the initial state " + show(s));
                }
            }
            if (actions.isEmpty()) {
                throw new IllegalArgumentException("a model needs at least one action");
            }
            if (properties.size() > MAX_PROPERTIES) {
                throw new IllegalArgumentException("a model may declare at most " + MAX_PROPERTIES
                        + " properties, this one declares " + properties.size());
            }
            this.specs = properties.stream().map(Property::spec).toList();
            this.footprints = List.copyOf(required(model.footprints(), "footprints()"));
            if (!footprints.isEmpty() && footprints.size() != actions.size()) {
                throw new IllegalArgumentException("a model's footprints must be one per action: "
                        + footprints.size() + " footprints for " + actions.size() + " actions");
            }
            this.scratch = ThreadLocal.withInitial(() -> new Scratch<>(words));
        }

        @Override
        public int stateWords() {
            return words;
        }

        @Override
        public List<Action> actions() {
            return actions;
        }

        @Override
        public List<PropertySpec> properties() {
            return specs;
        }

        @Override
        public int initialStateCount() {
            return initial.size();
        }

        @Override
        public void initialState(int index, long[] out, int off) {
            codec.encode(initial.get(index), out, off);
        }

        @Override
        public boolean next(long[] src, int srcOff, int action, long[] dst, int dstOff) {
            S next = model.next(state(src, srcOff), action);
            if (next == null) {
                return false;
            }
            codec.encode(next, dst, dstOff);
            scratch.get().put(dst, dstOff, next);
            return true;
        }

        @Override
        public String codecMismatch(long[] state, int off) {
            S produced = scratch.get().find(state, off);
            if (produced == null) {
                return null; // not a successor this thread produced lately: nothing to compare with
            }
            if (!encodesWithin(codec, produced, scratch.get().guarded, words)) {
                return "its codec's encode writes past the " + words + " word" + (words == 1 ? "" : "s")
                        + " its words() declares, packing " + show(produced);
            }
            S back = codec.decode(state, off);
            if (sameContent(back, produced)) {
                return null;
            }
            return "its codec packs " + show(produced) + " as words that decode to " + show(back)
                    + " (decode(encode(s)) must equal s: two states packed alike are one state to the search;"
                    + " or the state type's equals compares identity, as a record with an array component does)";
        }

        /**
         * Whether two states hold the same values: {@code equals}, or for a record whose
         * {@code equals} compares array components by identity, its components compared in
         * depth. A class that keeps {@code Object.equals} cannot be compared: assumed equal.
         */
        private static boolean sameContent(Object a, Object b) {
            if (a == b || a != null && a.equals(b)) {
                return true;
            }
            if (a == null || b == null || a.getClass() != b.getClass()) {
                return false;
            }
            Class<?> c = a.getClass();
            try {
                if (c.getMethod("equals", Object.class).getDeclaringClass() == Object.class) {
                    return true;
                }
                if (!c.isRecord()) {
                    return false;
                }
                for (java.lang.reflect.RecordComponent rc : c.getRecordComponents()) {
                    java.lang.reflect.Method get = rc.getAccessor();
                    get.setAccessible(true);
                    Object x = get.invoke(a);
                    Object y = get.invoke(b);
                    boolean same = rc.getType().isArray() ? Arrays.deepEquals(new Object[] {x}, new Object[] {y}) : sameContent(x, y);
                    if (!same) {
                        return false;
                    }
                }
                return true;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return true; // cannot look inside: no finding rather than a false one
            }
        }

        @Override
        public int enabledActions(long[] state, int off, int[] out) {
            return model.enabledActions(state(state, off), out);
        }

        @Override
        public long evaluate(long[] state, int off) {
            S s = state(state, off);
            long mask = 0;
            for (int i = 0; i < properties.size(); i++) {
                if (properties.get(i).predicate().test(s)) {
                    mask |= 1L << i;
                }
            }
            return mask;
        }

        @Override
        public boolean isTerminal(long[] state, int off) {
            return model.isTerminal(state(state, off));
        }

        @Override
        public boolean canonicalize(long[] state, int off) {
            S s = state(state, off);
            S c = model.canonical(s);
            if (c == s || c.equals(s)) {
                return false;
            }
            codec.encode(c, state, off);
            return true;
        }

        @Override
        public List<Footprint> footprints() {
            return footprints;
        }

        @Override
        public boolean retired(long[] state, int off, int action) {
            return model.retired(state(state, off), action);
        }

        @Override
        public boolean acyclic() {
            return model.acyclic();
        }

        @Override
        public String describe(long[] state, int off) {
            // decoded afresh, not taken from the cache: a next that changed its decoded source in
            // place would otherwise be described changed, and an error message would show that
            return show(codec.decode(state, off));
        }

        @Override
        public void expanding(long[] state, int off) {
            Scratch<S> d = scratch.get();
            d.pinned = null;
            if (state == null) {
                return;
            }
            if (d.state == null || !Arrays.equals(d.words, AT, AT + words, state, off, off + words)) {
                // a successor produced lately is taken from the cache, anything else decoded: either way it goes in d
                S s = d.find(state, off);
                System.arraycopy(state, off, d.words, AT, words);
                d.state = s != null ? s : codec.decode(state, off);
            }
            d.pinned = state;
            d.pinnedOff = off;
        }

        private S state(long[] src, int off) {
            Scratch<S> d = scratch.get();
            if (d.pinned == src && d.pinnedOff == off) {
                return d.state; // the state an engine is expanding (expanding()): no comparison
            }
            if (d.state != null && Arrays.equals(d.words, AT, AT + words, src, off, off + words)) {
                return d.state; // the state being expanded: asked once per action
            }
            S p = d.find(src, off);
            if (p != null) {
                return p;
            }
            d.pinned = null;
            System.arraycopy(src, off, d.words, AT, words);
            d.state = codec.decode(src, off);
            return d.state;
        }
    }

    /** What the word after a state's holds while its codec encodes it, to see whether encode writes past the state. */
    private static final long GUARD = 0x5eed_ca11_ab1e_f00dL;

    /** How many recently produced successors each thread keeps decoded (a power of two). */
    static final int PRODUCED = 16;

    /** Where a scratch {@code long[]}'s data starts: its padding, in words. */
    static final int AT = PaddedHead.PAD_LONGS;
    /** Where the scratch {@code Object[]}'s data starts: two cache lines of references, compressed (4 bytes) or not. */
    static final int REF_AT = 2 * PaddedHead.PAD_LONGS;

    /** A {@link Scratch}'s fields, between the paddings of {@link PaddedHead}. */
    private abstract static class ScratchFields<S> extends PaddedHead {
        /** The last state's words, from {@link #AT}. */
        final long[] words;
        S state;
        /** The array (and offset) an engine said it is expanding, whose state {@link #state} is; null for none. */
        long[] pinned;
        int pinnedOff;
        final int width;
        /** The produced successors' words, from {@link #AT}. */
        final long[] producedWords;
        /** The produced successors, from {@link #REF_AT}. */
        final Object[] producedStates = new Object[REF_AT + PRODUCED + REF_AT];
        /** A state's words and one more, for the check that encode stays within them. */
        final long[] guarded;

        ScratchFields(int width) {
            this.width = width;
            this.words = new long[AT + width + AT];
            this.guarded = new long[width + 1];
            this.producedWords = new long[AT + PRODUCED * width + AT];
        }
    }

    /**
     * One thread's decoding state, taken with one thread-local lookup per call: the last state it
     * decoded (or was told it expands), and a direct-mapped cache of the successors it produced
     * lately, each in the slot its words hash to, so a lookup compares one entry, hit or miss.
     * Written on every call, so its fields sit between the paddings of {@link PaddedHead} and its
     * small arrays' data {@link #AT} words ({@link #REF_AT} references) in.
     */
    @SuppressWarnings("unused")
    private static final class Scratch<S> extends ScratchFields<S> {
        private long t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15, t16;

        Scratch(int width) {
            super(width);
        }

        private int slot(long[] src, int off) {
            long h = 0;
            for (int i = 0; i < width; i++) {
                h = (h + src[off + i]) * 0x9E3779B97F4A7C15L;
            }
            return (int) (h >>> 60) & (PRODUCED - 1);
        }

        void put(long[] src, int off, S state) {
            int k = slot(src, off);
            System.arraycopy(src, off, producedWords, AT + k * width, width);
            producedStates[REF_AT + k] = state;
        }

        @SuppressWarnings("unchecked")
        S find(long[] src, int off) {
            int k = slot(src, off);
            Object s = producedStates[REF_AT + k];
            int at = AT + k * width;
            return s != null && Arrays.equals(producedWords, at, at + width, src, off, off + width) ? (S) s : null;
        }
    }
}
