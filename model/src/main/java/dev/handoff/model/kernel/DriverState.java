package dev.handoff.model.kernel;

import dev.handoff.model.smmu.Shadow;

import java.util.List;

/**
 * The arm-smmu driver's software state ({@code struct arm_smmu_device}): the shadow stream map
 * ({@code smrs[]}, {@code s2crs[]}), {@code context_map} (a bit per context bank in use) and the
 * qcom impl's {@code bypass_quirk}.
 */
public record DriverState(List<Shadow> shadow, int contextMap, boolean bypassQuirk) {
    public DriverState {
        shadow = List.copyOf(shadow);
    }

    public static DriverState empty(int groups) {
        return new DriverState(java.util.Collections.nCopies(groups, new Shadow(false, 0, 0, 0, 0, 0)), 0, false);
    }

    public DriverState withShadow(int i, Shadow s) {
        java.util.ArrayList<Shadow> l = new java.util.ArrayList<>(shadow);
        l.set(i, s);
        return new DriverState(l, contextMap, bypassQuirk);
    }

    public DriverState withShadow(List<Shadow> s) {
        return new DriverState(s, contextMap, bypassQuirk);
    }

    public DriverState withContextMap(int map) {
        return new DriverState(shadow, map, bypassQuirk);
    }

    public DriverState withBypassQuirk(boolean q) {
        return new DriverState(shadow, contextMap, q);
    }

    /** {@code __arm_smmu_alloc_bitmap(context_map, 0, banks)}: the first free bank, or -1. */
    public int firstFreeBank(int banks) {
        for (int j = 0; j < banks; j++) {
            if ((contextMap >>> j & 1) == 0) {
                return j;
            }
        }
        return -1;
    }
}
