package dev.handoff.model.formalism;

import java.util.Arrays;
import java.util.List;

/** Adapters between the readable {@link Model} and the engine's {@link PackedModel}. */
public final class PackedModels {
    private PackedModels() {
    }

    /**
     * Adapts a model to the packed interface through its codec.
     *
     * <p>Each worker thread keeps the last state it decoded and the last {@value #PRODUCED}
     * successors it produced, so expanding one state decodes it once, not once per action, and
     * checking the properties of a successor produced lately decodes nothing (a partial-order
     * reduction computes every successor before it stores any). The successor is still a fresh model object
     * per enabled action:
     * readable models pay one allocation per transition, which is why the reference benchmark
     * implements {@link PackedModel} directly.
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

    private static final class CodecModel<S> implements PackedModel {
        private final Model<S> model;
        private final StateCodec<S> codec;
        private final int words;
        private final List<S> initial;
        private final List<Action> actions;
        private final List<Property<S>> properties;
        private final List<PropertySpec> specs;
        private final List<Footprint> footprints;
        private final ThreadLocal<Decoded<S>> last;
        private final ThreadLocal<Produced<S>> produced;

        CodecModel(Model<S> model) {
            this.model = model;
            this.codec = model.codec();
            this.words = codec.words();
            this.initial = List.copyOf(model.initialStates());
            this.actions = List.copyOf(model.actions());
            this.properties = List.copyOf(model.properties());
            if (words < 1) {
                throw new IllegalArgumentException("codec words() must be at least 1, was " + words);
            }
            if (initial.isEmpty()) {
                throw new IllegalArgumentException("a model needs at least one initial state");
            }
            if (actions.isEmpty()) {
                throw new IllegalArgumentException("a model needs at least one action");
            }
            if (properties.size() > MAX_PROPERTIES) {
                throw new IllegalArgumentException("a model may declare at most " + MAX_PROPERTIES
                        + " properties, this one declares " + properties.size());
            }
            this.specs = properties.stream().map(Property::spec).toList();
            this.footprints = List.copyOf(model.footprints());
            if (!footprints.isEmpty() && footprints.size() != actions.size()) {
                throw new IllegalArgumentException("a model's footprints must be one per action: "
                        + footprints.size() + " footprints for " + actions.size() + " actions");
            }
            this.last = ThreadLocal.withInitial(() -> new Decoded<>(words));
            this.produced = ThreadLocal.withInitial(() -> new Produced<>(words));
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
            produced.get().put(dst, dstOff, next);
            return true;
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
            return String.valueOf(state(state, off));
        }

        @Override
        public void expanding(long[] state, int off) {
            Decoded<S> d = last.get();
            d.pinned = null;
            if (state == null) {
                return;
            }
            if (d.state == null || !Arrays.equals(d.words, 0, words, state, off, off + words)) {
                // a successor produced earlier is taken from the ring, anything else decoded: either way it goes in d
                S s = produced.get().find(state, off);
                System.arraycopy(state, off, d.words, 0, words);
                d.state = s != null ? s : codec.decode(state, off);
            }
            d.pinned = state;
            d.pinnedOff = off;
        }

        private S state(long[] src, int off) {
            Decoded<S> d = last.get();
            if (d.pinned == src && d.pinnedOff == off) {
                return d.state; // the state an engine is expanding (expanding()): no comparison
            }
            if (d.state != null && Arrays.equals(d.words, 0, words, src, off, off + words)) {
                return d.state; // the state being expanded: asked once per action
            }
            S p = produced.get().find(src, off);
            if (p != null) {
                return p;
            }
            d.pinned = null;
            System.arraycopy(src, off, d.words, 0, words);
            d.state = codec.decode(src, off);
            return d.state;
        }
    }

    /** How many recently produced successors each thread keeps decoded. */
    static final int PRODUCED = 16;

    /** The last {@link #PRODUCED} successors one thread produced, round robin. */
    private static final class Produced<S> {
        private final List<Decoded<S>> ring;
        private final int words;
        private int next;

        Produced(int words) {
            this.words = words;
            this.ring = java.util.stream.IntStream.range(0, PRODUCED).mapToObj(i -> new Decoded<S>(words)).toList();
        }

        void put(long[] src, int off, S state) {
            Decoded<S> d = ring.get(next);
            next = (next + 1) % PRODUCED;
            System.arraycopy(src, off, d.words, 0, words);
            d.state = state;
        }

        S find(long[] src, int off) {
            for (int k = 0, i = next; k < PRODUCED; k++) {
                i = (i + PRODUCED - 1) % PRODUCED; // newest first
                Decoded<S> d = ring.get(i);
                if (d.state == null) {
                    return null;
                }
                if (Arrays.equals(d.words, 0, words, src, off, off + words)) {
                    return d.state;
                }
            }
            return null;
        }
    }

    /** The last state one thread decoded, and its words. */
    private static final class Decoded<S> {
        final long[] words;
        S state;
        /** The array (and offset) an engine said it is expanding, whose state {@link #state} is; null for none. */
        long[] pinned;
        int pinnedOff;

        Decoded(int words) {
            this.words = new long[words];
        }
    }
}
