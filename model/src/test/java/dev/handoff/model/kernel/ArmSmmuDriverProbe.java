package dev.handoff.model.kernel;

import dev.handoff.model.handoff.HandoffModel;

/** Test helper: the reset is one action per S2CR and SMR write and per context bank. */
public final class ArmSmmuDriverProbe {
    private ArmSmmuDriverProbe() {
    }

    public static boolean citesResetPerRegister(HandoffModel m) {
        int groups = m.config().groups();
        int banks = m.config().banks();
        long s2cr = m.actions().stream().filter(a -> a.name().startsWith("reset.s2cr[")).count();
        long smr = m.actions().stream().filter(a -> a.name().startsWith("reset.smr[")).count();
        long cb = m.actions().stream().filter(a -> a.name().startsWith("reset.cb[")).count();
        return s2cr == groups && smr == groups && cb == banks;
    }
}
