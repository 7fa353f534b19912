package dev.handoff.model.kernel;

import dev.handoff.model.smmu.Shadow;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The arm-smmu driver's software state ({@code struct arm_smmu_device}): the shadow stream map
 * ({@code smrs[]}, {@code s2crs[]}, one entry per stream-match group the hardware has),
 * {@code num_mapping_groups} (the groups the driver uses: qcom's cfg_probe may clamp them to
 * 128, leaving the entries above untouched), {@code context_map} (a bit per context bank in use),
 * the qcom impl's {@code bypass_quirk}, and the ID and mask widths clients are checked against
 * ({@code streamid_mask}: from ID0.NUMSIDB, then as {@code arm_smmu_test_smr_masks} reads it back;
 * {@code smr_mask_mask}: 0 until that test runs).
 */
public record DriverState(List<Shadow> shadow, int numGroups, BigInteger contextMap, boolean bypassQuirk, int streamIdMask,
                          int smrMaskMask) {
    public DriverState {
        shadow = List.copyOf(shadow);
        java.util.Objects.requireNonNull(contextMap);
    }

    public static DriverState empty(int groups) {
        return new DriverState(Collections.nCopies(groups, new Shadow(false, 0, 0, 0, 0, 0)), groups, BigInteger.ZERO, false, 0, 0);
    }

    public DriverState withShadow(int i, Shadow s) {
        List<Shadow> l = new ArrayList<>(shadow);
        l.set(i, s);
        return new DriverState(l, numGroups, contextMap, bypassQuirk, streamIdMask, smrMaskMask);
    }

    public DriverState withShadow(List<Shadow> s) {
        return new DriverState(s, numGroups, contextMap, bypassQuirk, streamIdMask, smrMaskMask);
    }

    public DriverState withNumGroups(int n) {
        return new DriverState(shadow, n, contextMap, bypassQuirk, streamIdMask, smrMaskMask);
    }

    public DriverState withContextMap(BigInteger map) {
        return new DriverState(shadow, numGroups, map, bypassQuirk, streamIdMask, smrMaskMask);
    }

    public DriverState withBypassQuirk(boolean q) {
        return new DriverState(shadow, numGroups, contextMap, q, streamIdMask, smrMaskMask);
    }

    public DriverState withMasks(int ids, int masks) {
        return new DriverState(shadow, numGroups, contextMap, bypassQuirk, ids, masks);
    }

    /** The entries the driver searches and writes: {@code smrs[0 .. num_mapping_groups - 1]}. */
    public List<Shadow> used() {
        return shadow.subList(0, numGroups);
    }

    /** {@code __arm_smmu_alloc_bitmap(context_map, 0, banks)}: the first free bank, or -1. */
    public int firstFreeBank(int banks) {
        for (int j = 0; j < banks; j++) {
            if (!contextMap.testBit(j)) {
                return j;
            }
        }
        return -1;
    }

    /** {@code context_map} with bank {@code j} taken. */
    public DriverState withBankTaken(int j) {
        return withContextMap(contextMap.setBit(j));
    }
}
