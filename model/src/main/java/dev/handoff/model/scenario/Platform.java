package dev.handoff.model.scenario;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the hardware and the device tree fix: the SMMU's size and vendor hooks, the display's
 * streams and framebuffer, and the other masters on the same SMMU (IOMMU-core clients, checked for
 * isolation), in the order the kernel probes them.
 *
 * @param name             short name ({@code c630})
 * @param description      one line
 * @param impl             the arm-smmu implementation hooks {@code arm_smmu_impl_init} picks
 * @param smrGroups        SMR/S2CR groups modelled (ID0.NUMSMRG, after qcom's clamp to 128);
 *                         the model keeps the low indices, where firmware and Linux allocate
 * @param contextBanks     context banks modelled (ID1.NUMCB)
 * @param displayCompatible the display node's compatible, which {@code qcom_smmu_client_of_match} tests
 * @param displayStreams   the display's {@code iommus} entries
 * @param displayFlavour   msm (MDSS + DPU) or tegra (host1x dc with memory-controller SID override)
 * @param framebufferPa    physical base of the firmware framebuffer
 * @param framebufferBytes its size (stride × height, page aligned)
 * @param translatedIova   the IOVA firmware scans out at when {@code fw.mapping=translated}
 * @param masters          the other masters on the same SMMU, in bus (probe) order
 * @param tegraPassthroughSid the stream ID firmware leaves in the memory-controller override
 *                         (Tegra only; -1 otherwise)
 * @param knobDefaults     hardware and firmware knob values this platform implies (for example no
 *                         MDSS reset on sdm845); never a kernel knob
 * @param acpi             what an ACPI boot of the board ({@code fw.interface=acpi}) gives Linux
 */
public record Platform(
        String name,
        String description,
        SmmuImpl impl,
        int smrGroups,
        int contextBanks,
        String displayCompatible,
        List<StreamEntry> displayStreams,
        DisplayFlavour displayFlavour,
        long framebufferPa,
        long framebufferBytes,
        long translatedIova,
        List<Master> masters,
        int tegraPassthroughSid,
        Map<String, String> knobDefaults,
        AcpiFacts acpi) {

    public static final long PAGE = 4096;
    /** 2^52: the widest output (and input) address of an SMMU (52-bit PA, FEAT_LPA). */
    public static final long ADDRESS_LIMIT = 1L << 52;

    /**
     * What an ACPI boot gives Linux instead of the device tree.
     *
     * @param impl           the hooks {@code arm_smmu_impl_init} picks with no of_node: the qcom
     *                       impl only when the IORT header is in {@code qcom_acpi_platlist} (exact
     *                       OEM id, table id and revision), otherwise MMU-500's generic one
     * @param singleMappings the IORT gives named components single ID mappings, the only kind
     *                       {@code iort_nc_iommu_map} uses (it stops at the first range mapping):
     *                       only then does a client get stream IDs, an SMR and a domain
     */
    public record AcpiFacts(SmmuImpl impl, boolean singleMappings) {
        /** A generic impl and range-only mappings: no client gets stream IDs. */
        public static final AcpiFacts GENERIC_RANGES = new AcpiFacts(SmmuImpl.GENERIC, false);
    }

    /** Vendor hook sets of arm-smmu ({@code arm_smmu_impl_init}). */
    public enum SmmuImpl { GENERIC, QCOM, NVIDIA }

    /**
     * Which display driver takes over: msm (MDSS reset, its own IOMMU domain), Tegra (its own
     * domain, MC SID override), or a driver that maps its buffers through the DMA API in the
     * default domain and attaches no domain of its own (hdlcd, rockchip, …).
     */
    public enum DisplayFlavour { MSM, TEGRA, DMA_API }

    public Platform {
        Objects.requireNonNull(name);
        displayStreams = List.copyOf(displayStreams);
        masters = List.copyOf(masters);
        knobDefaults = Map.copyOf(knobDefaults);
        Objects.requireNonNull(acpi);
        if (smrGroups < 2 || smrGroups > 128 || contextBanks < 2 || contextBanks > 128) {
            throw new IllegalArgumentException("platform " + name + ": 2..128 SMR groups and context banks");
        }
        if (framebufferBytes <= 0 || framebufferBytes % PAGE != 0 || framebufferPa % PAGE != 0) {
            throw new IllegalArgumentException("platform " + name + ": framebuffer must be whole pages");
        }
        // unsigned: 0xfffffffffffff000 is a negative long; the sum must not wrap
        if (Long.compareUnsigned(framebufferPa, ADDRESS_LIMIT) >= 0 || framebufferBytes > ADDRESS_LIMIT - framebufferPa) {
            throw new IllegalArgumentException("platform " + name + ": framebuffer 0x" + Long.toHexString(framebufferPa)
                    + " + 0x" + Long.toHexString(framebufferBytes) + " ends past 2^52, the widest physical address an SMMU outputs");
        }
        if (Long.compareUnsigned(translatedIova, ADDRESS_LIMIT) >= 0 || framebufferBytes > ADDRESS_LIMIT - translatedIova) {
            throw new IllegalArgumentException("platform " + name + ": translated IOVA 0x" + Long.toHexString(translatedIova)
                    + " + 0x" + Long.toHexString(framebufferBytes) + " ends past 2^52, the widest address an SMMU translates");
        }
        for (String k : knobDefaults.keySet()) {
            if (Knobs.get(k, "platform " + name + ": ").kind() == Knob.Kind.KERNEL) {
                throw new IllegalArgumentException("platform " + name + " sets " + k + ": a board fixes hardware and"
                        + " firmware facts, the kernel's mechanisms come from its version and the policy");
            }
        }
        if (displayStreams.isEmpty()) {
            throw new IllegalArgumentException("platform " + name + ": the display needs at least one stream");
        }
        if (2 * displayStreams.size() + 1 > smrGroups) {
            throw new IllegalArgumentException("platform " + name + ": the display's " + displayStreams.size()
                    + " stream entries do not fit its " + smrGroups + " SMR groups (the firmware's and Linux's entries"
                    + " need 2n + 1)");
        }
    }

    /** Number of 4 KiB pages of the framebuffer. */
    public long framebufferPages() {
        return framebufferBytes / PAGE;
    }

    /** A copy with another framebuffer size (tests: the state count must not depend on it). */
    public Platform withFramebufferBytes(long bytes) {
        return new Platform(name, description, impl, smrGroups, contextBanks, displayCompatible, displayStreams,
                displayFlavour, framebufferPa, bytes, translatedIova, masters, tegraPassthroughSid,
                knobDefaults, acpi);
    }

    /**
     * A copy whose firmware framebuffer is at {@code pa}, {@code bytes} long, widened to whole
     * pages (a kernel log's efifb line says where the firmware's scanout is).
     */
    public Platform withFramebuffer(long pa, long bytes) {
        long base = pa & ~(PAGE - 1);
        long size = ((pa + bytes + PAGE - 1) & ~(PAGE - 1)) - base;
        return new Platform(name, description, impl, smrGroups, contextBanks, displayCompatible, displayStreams,
                displayFlavour, base, size, translatedIova, masters, tegraPassthroughSid, knobDefaults, acpi);
    }

    /** A copy with other display streams (tests and boards). */
    public Platform withDisplayStreams(List<StreamEntry> streams) {
        return new Platform(name, description, impl, smrGroups, contextBanks, displayCompatible, streams,
                displayFlavour, framebufferPa, framebufferBytes, translatedIova, masters,
                tegraPassthroughSid, knobDefaults, acpi);
    }

    /** A copy with other masters (tests and scenarios that need several clients). */
    public Platform withMasters(List<Master> others) {
        return new Platform(name, description, impl, smrGroups, contextBanks, displayCompatible, displayStreams,
                displayFlavour, framebufferPa, framebufferBytes, translatedIova, others, tegraPassthroughSid,
                knobDefaults, acpi);
    }

    /** A copy with another SMMU size (tests and boards). */
    public Platform withSmmuSize(int groups, int banks) {
        return new Platform(name, description, impl, groups, banks, displayCompatible, displayStreams,
                displayFlavour, framebufferPa, framebufferBytes, translatedIova, masters, tegraPassthroughSid,
                knobDefaults, acpi);
    }
}
