package dev.handoff.model.display;

/** The display driver's takeover (BRIEF 4.1, 6.8), msm flavour; Tegra uses the same shape. */
public sealed interface DisplayDriverStep {
    String name();

    String citation();

    /**
     * Tegra: {@code tegra_display_hub_probe} asserts every window group's reset and the hub's misc
     * reset (6.12 hub.c:1108-1150) before it creates the heads (hub.c:1164); host1x probes once
     * arm-smmu has bound. Whether a window-group reset stops a live fetch is a hardware fact
     * ({@code display.hub-reset}, [UNVERIFIED]).
     */
    record HubReset() implements DisplayDriverStep {
        public String name() { return "hub_reset"; }
        public String citation() { return "tegra_display_hub_probe: reset_control_assert(wgrp->rst), misc reset"; }
    }

    /**
     * The driver stops the engine when it binds: {@code msm_mdss_reset} (when the MDSS node has
     * {@code resets}), {@code tegra_dc_probe}'s mandatory "dc" reset, hdlcd_drm_bind clearing
     * HDLCD_REG_COMMAND; scanout stops.
     */
    record EngineReset() implements DisplayDriverStep {
        public String name() { return "mdss_reset"; }
        public String citation() { return "msm_mdss_init: msm_mdss_reset"; }
    }

    /** {@code aperture_remove_all_conflicting_devices}: efifb/simpledrm go away. */
    record RemoveFirmwareFb() implements DisplayDriverStep {
        public String name() { return "remove_fw_fb"; }
        public String citation() { return "msm_drm_kms_init: aperture_remove_all_conflicting_devices"; }
    }

    /**
     * Read-back takeover: map the firmware buffer at the firmware's IOVA into the driver's domain;
     * before its attach where mappings before attach work, else right after it.
     */
    record MapFirmwareBuffer() implements DisplayDriverStep {
        public String name() { return "map_fw_buffer"; }
        public String citation() { return "readback-remap (Rob Clark's plan): iommu_map(domain, fw_iova, fb_pa) -> arm_smmu_map_pages"; }
    }

    /** {@code msm_iommu_new} + {@code iommu_attach_device} → {@code arm_smmu_init_domain_context}: a new, empty bank. */
    record OwnBank() implements DisplayDriverStep {
        public String name() { return "attach_own_domain.context_bank"; }
        public String citation() { return "_dpu_kms_mmu_init: msm_iommu_new, iommu_attach_device -> arm_smmu_init_domain_context"; }
    }

    /** {@code arm_smmu_master_install_s2crs} for the driver's domain: S2CR of entry k := TRANS(own bank). */
    record OwnS2cr(int entry) implements DisplayDriverStep {
        public String name() { return "attach_own_domain.s2cr[" + entry + "]"; }
        public String citation() { return "iommu_attach_device -> arm_smmu_attach_dev: arm_smmu_master_install_s2crs"; }
    }

    /** v3: the display's STE := stage-1 translate through the driver's domain. */
    record OwnSte() implements DisplayDriverStep {
        public String name() { return "attach_own_domain.ste"; }
        public String citation() { return "iommu_attach_device -> arm_smmu_attach_dev (v3)"; }
    }

    /**
     * The fbdev client's buffer is pinned: mapped at a new IOVA in the driver's domain (msm, Tegra)
     * or, for a DMA-API driver, in the device's default DMA domain ({@code dma_alloc_wc}).
     */
    record PinNewBuffer() implements DisplayDriverStep {
        public String name() { return "pin_new_fb"; }
        public String citation() { return "msm_gem_pin_vma (first atomic commit)"; }
    }

    /** The first atomic modeset: the engine scans the driver's buffer; the window closes. */
    record FirstModeset() implements DisplayDriverStep {
        public String name() { return "first_modeset"; }
        public String citation() { return "drm_atomic_commit (first modeset)"; }
    }
}
