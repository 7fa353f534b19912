package dev.handoff.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;
import org.openjdk.jol.vm.VM;

/**
 * The objects whose fields a worker writes on every transition or new state keep those fields
 * two cache lines from either end of the object, as this JVM lays them out (read with JOL), so
 * that wherever the garbage collector puts two workers' objects, no line holds both's; and the
 * small arrays written as often keep two lines unused on each side of their data.
 */
class PaddedHeadTest {
    /** Two 64-byte cache lines. */
    private static final long CLEAR = 128;

    @ParameterizedTest
    @ValueSource(strings = {
            "dev.handoff.engine.FingerprintSet$Segment",
            "dev.handoff.engine.ExactStateSet$Segment",
            "dev.handoff.engine.IdBlock",
            "dev.handoff.engine.StateChunk",
            "dev.handoff.engine.BreadthFirstSearch$Worker",
            "dev.handoff.engine.formalism.PackedModels$Scratch"})
    void fieldsWrittenAfterConstructionSitTwoLinesFromEitherEnd(String name) throws ClassNotFoundException {
        Class<?> c = Class.forName(name);
        assertTrue(PaddedHead.class.isAssignableFrom(c), name + " extends PaddedHead");
        assertTrue(written(c) > 0, name + " has fields written after construction (else it needs no padding)");
        assertEquals(List.of(), exposed(c), "fields within two cache lines of an end of " + name);
    }

    /** The check can fail: a written field with no padding after it, or none before it, is named. */
    @Test
    void aFieldWithoutTailOrHeadPaddingIsNamed() {
        assertEquals(1, exposed(HeadOnly.class).size(), () -> ClassLayout.parseClass(HeadOnly.class).toPrintable());
        assertEquals(1, exposed(Unpadded.class).size(), () -> ClassLayout.parseClass(Unpadded.class).toPrintable());
    }

    @ParameterizedTest
    @CsvSource({
            "dev.handoff.engine.BreadthFirstSearch, PAD, long",
            "dev.handoff.engine.BreadthFirstSearch, INT_PAD, int",
            "dev.handoff.engine.formalism.PackedModels, AT, long",
            "dev.handoff.engine.formalism.PackedModels, REF_AT, java.lang.Object"})
    void arraysKeepTwoLinesFreeBeforeTheirData(String owner, String constant, String element) throws ReflectiveOperationException {
        Field f = Class.forName(owner).getDeclaredField(constant);
        f.setAccessible(true);
        long bytes = (long) f.getInt(null) * VM.current().arrayIndexScale(element);
        assertTrue(bytes >= CLEAR, owner + "." + constant + " pads " + element + " arrays by " + bytes + " bytes");
    }

    private abstract static class HeadOnly extends PaddedHead {
        int count;
    }

    private static final class Unpadded {
        int count;
    }

    /** The fields of {@code c} written after construction that lie within two lines of an end of its objects. */
    private static List<String> exposed(Class<?> c) {
        ClassLayout layout = ClassLayout.parseClass(c);
        long size = layout.instanceSize();
        List<String> exposed = new ArrayList<>();
        for (Field f : instanceFields(c)) {
            if (isWritten(f)) {
                FieldLayout at = find(layout, f);
                if (at.offset() < CLEAR || at.offset() + at.size() > size - CLEAR) {
                    exposed.add(f.getDeclaringClass().getSimpleName() + "." + f.getName() + " at " + at.offset() + " of " + size);
                }
            }
        }
        return exposed;
    }

    private static long written(Class<?> c) {
        return instanceFields(c).stream().filter(PaddedHeadTest::isWritten).count();
    }

    private static boolean isWritten(Field f) {
        boolean padding = f.getDeclaringClass() == PaddedHead.class || f.getName().matches("t\\d\\d") && f.getType() == long.class;
        return !padding && !Modifier.isFinal(f.getModifiers());
    }

    private static List<Field> instanceFields(Class<?> c) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> k = c; k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    fields.add(f);
                }
            }
        }
        return fields;
    }

    private static FieldLayout find(ClassLayout layout, Field f) {
        for (FieldLayout l : layout.fields()) {
            // JOL names a nested class's host with dots, or by its simple name
            String host = f.getDeclaringClass().getName().replace('$', '.');
            if (l.name().equals(f.getName()) && (host.endsWith("." + l.hostClass()) || host.equals(l.hostClass()))) {
                return l;
            }
        }
        throw new AssertionError("JOL does not show " + f);
    }
}
