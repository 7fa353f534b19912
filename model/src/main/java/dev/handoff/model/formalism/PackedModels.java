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
     * <p>Each worker thread keeps the last state it decoded and the last successor it produced,
     * so expanding one state decodes it once, not once per action, and checking the properties
     * of a successor just produced decodes nothing. The successor is still a fresh model object
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
        private final ThreadLocal<Decoded<S>> last;
        private final ThreadLocal<Decoded<S>> produced;

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
            this.last = ThreadLocal.withInitial(() -> new Decoded<>(words));
            this.produced = ThreadLocal.withInitial(() -> new Decoded<>(words));
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
            Decoded<S> p = produced.get();
            System.arraycopy(dst, dstOff, p.words, 0, words);
            p.state = next;
            return true;
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
        public String describe(long[] state, int off) {
            return String.valueOf(state(state, off));
        }

        private S state(long[] src, int off) {
            Decoded<S> p = produced.get();
            if (p.state != null && Arrays.equals(p.words, 0, words, src, off, off + words)) {
                return p.state;
            }
            Decoded<S> d = last.get();
            if (d.state == null || !Arrays.equals(d.words, 0, words, src, off, off + words)) {
                System.arraycopy(src, off, d.words, 0, words);
                d.state = codec.decode(src, off);
            }
            return d.state;
        }
    }

    /** The last state one thread decoded, and its words. */
    private static final class Decoded<S> {
        final long[] words;
        S state;

        Decoded(int words) {
            this.words = new long[words];
        }
    }
}
