package dev.handoff.model.display;

import dev.handoff.model.handoff.HandoffConfig;
import dev.handoff.model.handoff.HandoffState;
import dev.handoff.model.kernel.ArmSmmuDriver;
import dev.handoff.model.kernel.DeviceState;
import dev.handoff.model.kernel.IommuCore;
import dev.handoff.model.smmu.Registers;
import dev.handoff.model.smmu.SmmuV3;
import dev.handoff.model.smmu.Tables;

import java.util.ArrayList;
import java.util.List;

/**
 * The display driver (DDRV, BRIEF 4.1 and 6.8). It starts when the IOMMU core has finished with
 * the display device, resets the engine if the node has {@code resets}, removes the firmware
 * framebuffer driver, attaches its own domain (a new, empty context bank) and restarts
 * scanout from its own buffer at the first modeset.
 */
public final class DisplayDriver {
    private DisplayDriver() {
    }

    public static List<DisplayDriverStep> program(HandoffConfig c) {
        List<DisplayDriverStep> p = new ArrayList<>();
        if (c.acpi()) {
            // msm (mdss_dt_match), tegra-dc and hdlcd have no acpi_match_table: nothing binds, the
            // engine keeps scanning the firmware's buffer and efifb keeps it for the whole boot
            return p;
        }
        if (c.tegra()) {
            p.add(new DisplayDriverStep.HubReset());
        }
        p.add(new DisplayDriverStep.EngineReset());
        p.add(new DisplayDriverStep.RemoveFirmwareFb());
        if (c.dmaApiDisplay()) {
            // dma_alloc_* in the default domain; no domain of its own to attach
            p.add(new DisplayDriverStep.PinNewBuffer());
            p.add(new DisplayDriverStep.FirstModeset());
            return p;
        }
        // The read-back remap maps the firmware buffer into the driver's own domain. On arm-smmu v2
        // that domain has no page tables until its first attach (arm_smmu_map_pages: -ENODEV while
        // pgtbl_ops is NULL; the context is finalised in arm_smmu_attach_dev), and msm_iommu_new
        // attaches inside the constructor anyway: the map can only follow the S2CR switch.
        if (c.mapBeforeAttachWorks()) {
            p.add(new DisplayDriverStep.MapFirmwareBuffer());
        }
        if (c.v3()) {
            p.add(new DisplayDriverStep.OwnSte());
        } else {
            p.add(new DisplayDriverStep.OwnBank());
            int entries = c.displayStreams().size();
            for (int k = 0; k < entries; k++) {
                p.add(new DisplayDriverStep.OwnS2cr(k));
            }
        }
        if (!c.mapBeforeAttachWorks()) {
            p.add(new DisplayDriverStep.MapFirmwareBuffer());
        }
        p.add(new DisplayDriverStep.PinNewBuffer());
        p.add(new DisplayDriverStep.FirstModeset());
        return p;
    }

    /**
     * Whether the driver attaches a domain of its own. msm always does ({@code msm_iommu_new}); a
     * DMA-API driver never; Tegra's {@code host1x_client_iommu_attach} (6.12 drm.c:959-966) keeps
     * a client in a DMA default domain ("This allows using the IOMMU-backed DMA API") and moves
     * it to the shared, empty {@code tegra->domain} otherwise (IDENTITY, or no default domain).
     */
    public static boolean ownDomain(HandoffState s, HandoffConfig c) {
        if (c.dmaApiDisplay()) {
            return false;
        }
        return !c.tegra() || s.display().domain() != DeviceState.DMA;
    }

    public static boolean applies(DisplayDriverStep step, HandoffState s, HandoffConfig c) {
        boolean iommu = s.display().probe() == DeviceState.PROBED;
        boolean own = ownDomain(s, c);
        return switch (step) {
            case DisplayDriverStep.HubReset h -> true;
            case DisplayDriverStep.EngineReset r -> c.engineReset();
            case DisplayDriverStep.RemoveFirmwareFb r -> true;
            case DisplayDriverStep.MapFirmwareBuffer m -> own && c.readback() && iommu
                    && (c.mapBeforeAttachWorks() || s.ddrv().ownCb() >= 0);
            case DisplayDriverStep.OwnBank b -> own && iommu;
            case DisplayDriverStep.OwnS2cr o -> own && iommu && s.ddrv().ownCb() >= 0 && changes(s, o.entry());
            case DisplayDriverStep.OwnSte o -> own && iommu;
            case DisplayDriverStep.PinNewBuffer p -> own ? !c.readback() && iommu
                    : iommu && s.display().domain() == DeviceState.DMA;
            case DisplayDriverStep.FirstModeset f -> own || !(iommu && s.display().domain() == DeviceState.DMA
                    && !s.ddrv().newBufferMapped());
        };
    }

    /** Every pipe the firmware started stops fetching. */
    private static HandoffState stop(HandoffState s) {
        return (s.scanout() == Scanout.FIRMWARE_BUFFER ? s.withScanout(Scanout.STOPPED) : s).withExtraPipe(false);
    }

    private static boolean changes(HandoffState s, int entry) {
        var sh = s.driver().shadow().get(s.display().smendx()[entry]);
        return !(sh.type() == Registers.S2CR_TYPE_TRANS && sh.cbndx() == s.ddrv().ownCb());
    }

    public static HandoffState apply(DisplayDriverStep step, HandoffState s, HandoffConfig c) {
        return switch (step) {
            case DisplayDriverStep.HubReset h -> c.hubResetStops() ? stop(s) : s;
            case DisplayDriverStep.EngineReset r -> stop(s);
            case DisplayDriverStep.RemoveFirmwareFb r -> s.withFbdrv(HandoffState.FBDRV_REMOVED);
            case DisplayDriverStep.MapFirmwareBuffer m -> s.withDdrv(s.ddrv().withFwBufferMapped());
            case DisplayDriverStep.OwnBank b -> {
                int cb = s.driver().firstFreeBank(c.banks());
                if (cb < 0) {
                    // arm_smmu_init_domain_context: -ENOSPC, iommu_attach_device fails; the S2CRs stay as they are
                    yield s;
                }
                HandoffState t = s.withDriver(s.driver().withBankTaken(cb));
                t = t.withV2(t.v2().withBank(cb, Registers.cbar(Registers.CBAR_TYPE_S1_TRANS_S2_BYPASS),
                        IommuCore.domainSctlr(), Tables.DISPLAY_OWN));
                yield t.withDdrv(t.ddrv().withOwnCb(cb));
            }
            case DisplayDriverStep.OwnS2cr o -> {
                int idx = s.display().smendx()[o.entry()];
                HandoffState t = s.withDriver(s.driver().withShadow(idx,
                        s.driver().shadow().get(idx).withS2cr(Registers.S2CR_TYPE_TRANS, s.ddrv().ownCb())));
                yield ArmSmmuDriver.writeS2cr(t, c, idx);
            }
            case DisplayDriverStep.OwnSte o -> {
                yield s.withV3(s.v3().withSte(0, SmmuV3.ste(SmmuV3.STE_S1_TRANS, Tables.DISPLAY_OWN)));
            }
            case DisplayDriverStep.PinNewBuffer p -> !ownDomain(s, c) && c.dmaIovaBroken()
                    ? s // dma_alloc_*: the IOVA allocator of the default domain is corrupt, the allocation fails
                    : s.withDdrv(s.ddrv().withNewBufferMapped());
            case DisplayDriverStep.FirstModeset f -> s.withScanout(Scanout.DRIVER_BUFFER);
        };
    }
}
