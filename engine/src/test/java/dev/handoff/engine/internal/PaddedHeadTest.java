package dev.handoff.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * The objects whose fields a worker writes on every transition or new state keep those fields
 * two cache lines from either end of the object, as this JVM lays them out (read with JOL), so
 * that wherever the garbage collector puts two workers' objects, no line holds both's.
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
        ClassLayout layout = ClassLayout.parseClass(c);
        long size = layout.instanceSize();
        List<String> exposed = new ArrayList<>();
        int written = 0;
        for (Field f : instanceFields(c)) {
            if (Modifier.isFinal(f.getModifiers()) || isPadding(f)) {
                continue;
            }
            written++;
            FieldLayout at = find(layout, f);
            if (at.offset() < CLEAR || at.offset() + at.size() > size - CLEAR) {
                exposed.add(f.getDeclaringClass().getSimpleName() + "." + f.getName() + " at " + at.offset() + " of " + size);
            }
        }
        assertTrue(written > 0, name + " has fields written after construction (else it needs no padding)");
        assertEquals(List.of(), exposed, "fields within two cache lines of an end of " + name);
    }

    /** The check can fail: a class with a written field after its tail padding is caught. */
    @Test
    void aWrittenFieldAfterTheTailIsCaught() {
        ClassLayout layout = ClassLayout.parseClass(Unpadded.class);
        FieldLayout count = find(layout, instanceFields(Unpadded.class).stream()
                .filter(f -> f.getName().equals("count")).findFirst().orElseThrow());
        assertFalse(count.offset() + count.size() <= layout.instanceSize() - CLEAR,
                "an int declared beside the tail padding is laid out near the end: " + count.offset() + " of " + layout.instanceSize());
    }

    private abstract static class NoFields extends PaddedHead {
    }

    @SuppressWarnings("unused")
    private static final class Unpadded extends NoFields {
        private long t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15, t16;
        int count;
    }

    private static boolean isPadding(Field f) {
        return f.getDeclaringClass() == PaddedHead.class || f.getName().matches("t\\d\\d") && f.getType() == long.class;
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
