package dev.handoff.engine;

import dev.handoff.engine.internal.PaddedHead;

/**
 * One worker's current block of state ids from the {@link ParentLog}, and the writer of that
 * block's stream: ids are taken one at a time, in order, each entry appended as the change of
 * its parent from the previous entry's and its action (see {@link ParentLog} for the coding); a
 * new block is reserved when one runs out. Used by one thread.
 */
@SuppressWarnings("unused")
final class IdBlock extends IdBlockFields {
    /** The tail padding of {@link PaddedHead}: the fields are written on every new state. */
    private long t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13, t14, t15, t16;

    IdBlock(ParentLog log) {
        super(log);
    }

    /** A fresh id, recorded in the log as reached from {@code parent} by {@code action}. */
    int record(int parent, int action) {
        if (next == end) {
            next = log.allocateBlock();
            end = next + ParentLog.BLOCK;
            stream = log.stream(next);
            pos = 0;
            lastParent = 0;
        }
        byte[] s = stream;
        if (pos + ParentLog.LONGEST_ENTRY > s.length) {
            s = log.resize(next, s, Math.min(ParentLog.LONGEST_ENTRY * ParentLog.BLOCK, s.length + s.length / 2));
            stream = s;
        }
        long change = (long) parent - lastParent;
        long zigzag = change << 1 ^ change >> 63;
        if (zigzag < 0x80 && action >= 0 && action < 0x80) {
            s[pos] = (byte) zigzag;
            s[pos + 1] = (byte) action;
            pos += 2;
        } else {
            pos = ParentLog.putVar(s, ParentLog.putVar(s, pos, zigzag), action & 0xffffffffL);
        }
        lastParent = parent;
        int id = next++;
        if (next == end && pos < s.length) { // the block is full: give back its slack
            stream = log.resize(id, s, pos);
        }
        return id;
    }
}

/** An {@link IdBlock}'s fields, between the paddings of {@link PaddedHead}. */
abstract class IdBlockFields extends PaddedHead {
    final ParentLog log;
    int next;
    int end;
    byte[] stream;
    int pos;
    int lastParent;

    IdBlockFields(ParentLog log) {
        this.log = log;
    }
}
