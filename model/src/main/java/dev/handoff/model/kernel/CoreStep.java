package dev.handoff.model.kernel;

/**
 * The IOMMU core's per-device probe (BRIEF 3.2, 6.4) of client {@code device} (an index into
 * {@link dev.handoff.model.handoff.HandoffConfig#clients()}; 0 is the display), whose actions are
 * named after its {@code label}, one step per hardware write.
 */
public sealed interface CoreStep {
    int device();

    /** The client's label ({@code display}, {@code other}, …), which prefixes the step's name. */
    String dev();

    String name();

    String citation();

    default boolean display() {
        return device() == 0;
    }

    /** {@code arm_smmu_probe_device} → {@code arm_smmu_master_alloc_smes}: {@code arm_smmu_find_sme} per ID; shadow only. */
    record AllocSmes(int device, String dev) implements CoreStep {
        public String name() { return dev() + ".alloc_smes"; }
        public String citation() { return "__iommu_probe_device: arm_smmu_master_alloc_smes (arm_smmu_find_sme)"; }
    }

    /** {@code arm_smmu_master_alloc_smes} → {@code arm_smmu_write_sme}: S2CR of entry k. */
    record WriteS2cr(int device, String dev, int entry) implements CoreStep {
        public String name() { return dev() + ".write_sme[" + entry + "].s2cr"; }
        public String citation() { return "arm_smmu_master_alloc_smes: arm_smmu_write_sme -> arm_smmu_write_s2cr"; }
    }

    /** {@code arm_smmu_master_alloc_smes} → {@code arm_smmu_write_sme}: SMR of entry k. */
    record WriteSmr(int device, String dev, int entry) implements CoreStep {
        public String name() { return dev() + ".write_sme[" + entry + "].smr"; }
        public String citation() { return "arm_smmu_master_alloc_smes: arm_smmu_write_sme -> arm_smmu_write_smr"; }
    }

    /** {@code iommu_get_default_domain_type} + {@code iommu_group_alloc_default_domain}; no HW write. */
    record DefaultDomain(int device, String dev) implements CoreStep {
        public String name() { return dev() + ".default_domain"; }
        public String citation() { return "iommu_setup_default_domain: iommu_get_default_domain_type, iommu_group_alloc_default_domain"; }
    }

    /** {@code iommu_create_device_direct_mappings} before attach; fails on arm-smmu v2 ({@code arm_smmu_map_pages}: -ENODEV). */
    record DirectMap(int device, String dev) implements CoreStep {
        public String name() { return dev() + ".direct_map"; }
        public String citation() { return "iommu_setup_default_domain: iommu_create_device_direct_mappings (before attach)"; }
    }

    /** {@code arm_smmu_attach_dev} → {@code arm_smmu_init_domain_context}: allocate and program a context bank. */
    record AttachBank(int device, String dev) implements CoreStep {
        public String name() { return dev() + ".attach.context_bank"; }
        public String citation() { return "arm_smmu_attach_dev: arm_smmu_init_domain_context, arm_smmu_write_context_bank"; }
    }

    /** {@code arm_smmu_master_install_s2crs}: S2CR of entry k := TRANS(cb) or BYPASS, skipped when unchanged. */
    record AttachS2cr(int device, String dev, int entry) implements CoreStep {
        public String name() { return dev() + ".attach.s2cr[" + entry + "]"; }
        public String citation() { return "arm_smmu_attach_dev(_type): arm_smmu_master_install_s2crs"; }
    }

    /** v3 {@code arm_smmu_attach_dev}: the master's STE := bypass or stage-1 translate. */
    record AttachSte(int device, String dev) implements CoreStep {
        public String name() { return dev() + ".attach.ste"; }
        public String citation() { return "arm_smmu_attach_dev (v3): arm_smmu_install_ste_for_dev"; }
    }

    /**
     * {@code iommu_setup_default_domain}: direct mappings retried after attach (H9); before v6.5
     * ({@code iommu_probe_device} in 6.1) the only mapping, always after the attach.
     */
    record DirectMapRetry(int device, String dev) implements CoreStep {
        public String name() { return dev() + ".direct_map_retry"; }
        public String citation() { return "iommu_setup_default_domain: iommu_create_device_direct_mappings (after attach)"; }
    }

    /**
     * A failed probe's release ({@code iommu_deinit_device} -> {@code arm_smmu_release_device} ->
     * {@code arm_smmu_master_free_smes}): the S2CR of entry k, when freeing it brought its count to 0.
     */
    record ReleaseS2cr(int device, String dev, int entry) implements CoreStep {
        public String name() { return dev() + ".release_sme[" + entry + "].s2cr"; }
        public String citation() { return "iommu_deinit_device: arm_smmu_release_device -> arm_smmu_master_free_smes -> arm_smmu_write_s2cr"; }
    }

    /** The release's SMR write of entry k (after its S2CR, as {@code arm_smmu_write_sme}). */
    record ReleaseSmr(int device, String dev, int entry) implements CoreStep {
        public String name() { return dev() + ".release_sme[" + entry + "].smr"; }
        public String citation() { return "iommu_deinit_device: arm_smmu_release_device -> arm_smmu_master_free_smes -> arm_smmu_write_smr"; }
    }

    /** The release is over: the device has no IOMMU ({@code __iommu_probe_device} returns the error). */
    record Released(int device, String dev) implements CoreStep {
        public String name() { return dev() + ".probe_failed"; }
        public String citation() { return "__iommu_probe_device: err_remove_gdev -> iommu_deinit_device; of_dma_configure_id goes on without an IOMMU"; }
    }

    /** {@code probe_finalize}: nvidia writes the memory-controller SID override (tegra186_mc_probe_device). */
    record ProbeFinalize(int device, String dev) implements CoreStep {
        public String name() { return dev() + ".probe_finalize"; }
        public String citation() { return "arm_smmu_probe_finalize -> tegra186_mc_client_sid_override"; }
    }
}
