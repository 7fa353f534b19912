package dev.handoff.model.kernel;

import dev.handoff.model.smmu.Shadow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The arm-smmu driver's software state ({@code struct arm_smmu_device}): the shadow stream map
 * ({@code smrs[]}, {@code s2crs[]}, one entry per stream-match group the hardware has),
 * {@code num_mapping_groups} (the groups the driver uses: qcom's cfg_probe may clamp them to
 * 128, leaving the entries above untouched), {@code context_map} (a bit per context bank in use)
 * and the qcom impl's {@code bypass_quirk}.
 */
public record DriverState(List<Shadow> shadow, int numGroups, int contextMap, boolean bypassQuirk) {
    public DriverState {
        shadow = List.copyOf(shadow);
    }

    public static DriverState empty(int groups) {
        return new DriverState(Collections.nCopies(groups, new Shadow(false, 0, 0, 0, 0, 0)), groups, 0, false);
    }

    public DriverState withShadow(int i, Shadow s) {
        List<Shadow> l = new ArrayList<>(shadow);
        l.set(i, s);
        return new DriverState(l, numGroups, contextMap, bypassQuirk);
    }

    public DriverState withShadow(List<Shadow> s) {
        return new DriverState(s, numGroups, contextMap, bypassQuirk);
    }

    public DriverState withNumGroups(int n) {
        return new DriverState(shadow, n, contextMap, bypassQuirk);
    }

    public DriverState withContextMap(int map) {
        return new DriverState(shadow, numGroups, map, bypassQuirk);
    }

    public DriverState withBypassQuirk(boolean q) {
        return new DriverState(shadow, numGroups, contextMap, q);
    }

    /** The entries the driver searches and writes: {@code smrs[0 .. num_mapping_groups - 1]}. */
    public List<Shadow> used() {
        return shadow.subList(0, numGroups);
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
