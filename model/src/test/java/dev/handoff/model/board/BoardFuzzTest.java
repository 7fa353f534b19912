package dev.handoff.model.board;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutation fuzzing of the readers: every mutated input must end in facts (and then a matrix or a
 * clean "no matrix" reason) or a {@link BoardInputException}, never another exception, a hang or
 * a huge allocation. Seeds are fixed, so a failure names an input that can be rebuilt.
 */
class BoardFuzzTest {
    /** A hang detector, not a speed target: real parses take about a millisecond. */
    private static final long SLOW_NANOS = 2_000_000_000L;
    private static final int PER_DTB = 3_000;
    private static final int IORTS = 10_000;

    interface Reader {
        BoardFacts read(String source, byte[] bytes);
    }

    /** Inputs that were read, and inputs refused with an input error, across the tests. */
    static final java.util.concurrent.atomic.AtomicInteger READ = new java.util.concurrent.atomic.AtomicInteger();
    static final java.util.concurrent.atomic.AtomicInteger REFUSED = new java.util.concurrent.atomic.AtomicInteger();

    static void check(Reader reader, String what, byte[] input, long seed) {
        long t0 = System.nanoTime();
        try {
            BoardFacts f = reader.read(what, input);
            READ.incrementAndGet();
            try {
                BoardPlatforms.targets(f);
            } catch (BoardPlatforms.NoMatrixException expected) {
                // a clean "no matrix" verdict
            }
        } catch (BoardInputException expected) {
            REFUSED.incrementAndGet();
            assertTrue(expected.getMessage().startsWith(what), expected.getMessage());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            fail(what + " seed " + seed + ": " + e, e);
        }
        long took = System.nanoTime() - t0;
        if (took > SLOW_NANOS) {
            fail(what + " seed " + seed + ": took " + took / 1_000_000 + " ms");
        }
    }

    static byte[] mutate(byte[] in, SplittableRandom r, int headerFields) {
        byte[] b = in.clone();
        switch (r.nextInt(7)) {
            case 0 -> {
                for (int i = 1 + r.nextInt(8); i > 0; i--) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            case 2 -> {
                int field = 4 * r.nextInt(headerFields);
                int v = r.nextBoolean() ? r.nextInt() : r.nextInt(b.length * 2);
                ByteBuffer.wrap(b).putInt(field, v);
            }
            case 3 -> {
                int at = (r.nextInt(b.length / 4)) * 4;
                int[] tokens = {1, 2, 3, 4, 9, 0x7fffffff, -1};
                ByteBuffer.wrap(b).putInt(Math.min(at, b.length - 4), tokens[r.nextInt(tokens.length)]);
            }
            case 4 -> {
                int at = (r.nextInt(b.length / 4)) * 4;
                ByteBuffer.wrap(b).putInt(Math.min(at, b.length - 4), 0x7ffffff0 - r.nextInt(64));
            }
            case 5 -> {
                int from = r.nextInt(b.length);
                int to = r.nextInt(b.length);
                int len = Math.min(r.nextInt(4096), Math.min(b.length - from, b.length - to));
                System.arraycopy(b.clone(), from, b, to, len);
            }
            default -> {
                for (int i = 0; i < 64; i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt();
                }
            }
        }
        return b;
    }

    @Test
    void mutatedRealDeviceTrees() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(SharedDtbs.dir())) {
            files = s.filter(p -> p.toString().endsWith(".dtb")).sorted().toList();
        }
        int inputs = 0;
        for (Path p : files) {
            byte[] orig = Files.readAllBytes(p);
            SplittableRandom r = new SplittableRandom(p.getFileName().toString().hashCode());
            for (int i = 0; i < PER_DTB; i++) {
                long seed = r.nextLong();
                check((src, b) -> DeviceTreeReader.facts(src, Fdt.parse(src, b)), p.getFileName().toString(),
                        mutate(orig, new SplittableRandom(seed), 10), seed);
                inputs++;
            }
        }
        assertTrue(inputs >= 15_000, "inputs: " + inputs);
        assertTrue(READ.get() > 1_000 && REFUSED.get() > 1_000, "both outcomes exercised: read " + READ + ", refused " + REFUSED);
    }

    @Test
    void mutatedGeneratedIorts() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < IORTS; i++) {
            IortWriter b = new IortWriter();
            b.contextInterrupts = r.nextInt(64);
            for (int c = r.nextInt(4); c > 0; c--) {
                String name = r.nextBoolean() ? "\\_SB_.MDSS" : "\\_SB_.DEV" + c;
                int count = 1 << r.nextInt(5);
                if (r.nextBoolean()) {
                    b.component(name, r.nextInt(0x2000) & -count, count);
                } else {
                    b.componentRange(name, r.nextInt(0x2000), 1 + r.nextInt(16));
                }
            }
            for (int c = r.nextInt(3); c > 0; c--) {
                b.rmr(r.nextInt(4), r.nextLong() & 0xffff_ffff_f000L, r.nextInt(1 << 26), r.nextInt(0x2000), 1 + r.nextInt(4));
            }
            long seed = r.nextLong();
            byte[] t = b.build();
            check(IortReader::parse, "iort.bin", r.nextInt(5) == 0 ? t : mutate(t, new SplittableRandom(seed), 11), seed);
        }
    }

    @Test
    void selfReferencesAndDeepNesting() {
        FdtWriter b = BoardInputTest.qcomBoard();
        FdtWriter.Node soc = b.root.children.stream().filter(n -> n.name.equals("soc@0")).findFirst().orElseThrow();
        soc.cells("phandle", 9).cells("interrupt-parent", 9).cells("#interrupt-cells", 0xffffffffL);
        soc.child("loop@0").str("compatible", "qcom,sdm845-mdss").cells("phandle", 10).cells("iommus", 10, 10, 10)
                .cells("#iommu-cells", 2).cells("memory-region", 10, 10).cells("interrupts-extended", 10, 10, 10);
        check((src, bytes) -> DeviceTreeReader.facts(src, Fdt.parse(src, bytes)), "loop.dtb", b.build(), 0);
        FdtWriter deep = new FdtWriter();
        FdtWriter.Node n = deep.root;
        for (int i = 0; i < 100; i++) {
            n = n.child("n" + i);
        }
        List<String> messages = new ArrayList<>();
        try {
            Fdt.parse("deep.dtb", deep.build());
        } catch (BoardInputException e) {
            messages.add(e.getMessage());
        }
        assertTrue(messages.size() == 1 && messages.get(0).contains("nested deeper than 64"), messages.toString());
    }
}
