package dev.handoff.model.handoff;

import dev.handoff.model.kernel.DeviceState;
import dev.handoff.model.smmu.Registers;
import dev.handoff.model.smmu.Shadow;
import dev.handoff.model.smmu.SmmuV3;
import dev.handoff.model.smmu.Tables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A state as named fields, the way a kernel engineer reads registers: {@code SMR[2].VALID},
 * {@code S2CR[3].TYPE}, {@code CB[0].SCTLR.M}, hex where the hardware is hex. Traces show the
 * fields a step changed. The driver's shadow appears once {@code arm_smmu_device_cfg_probe} has
 * allocated it.
 */
public final class StateFields {
    private StateFields() {
    }

    public static Map<String, String> of(HandoffModel model, HandoffState s) {
        Map<String, String> f = new LinkedHashMap<>();
        for (Map<String, String> section : sections(model, s, null, null)) {
            f.putAll(section);
        }
        return f;
    }

    /**
     * The fields in sections (SMMU registers, the driver's shadow, the devices, the rest), in
     * field order. A section whose part of the state equals that of {@code prev} is
     * {@code prevSections}' map itself, not rebuilt: a trace diffs section by section and skips
     * the identical ones, so a step costs what it changed.
     */
    public static List<Map<String, String>> sections(HandoffModel model, HandoffState s, HandoffState prev,
                                                     List<Map<String, String>> prevSections) {
        HandoffConfig c = model.config();
        boolean reuse = prev != null && prevSections != null;
        List<Map<String, String>> out = new ArrayList<>(4);
        out.add(reuse && s.v2().equals(prev.v2()) && s.v3().equals(prev.v3()) ? prevSections.get(0) : smmu(c, s));
        out.add(reuse && s.driver().equals(prev.driver()) && (s.driverPc() > 0) == (prev.driverPc() > 0)
                ? prevSections.get(1) : driver(c, s));
        out.add(reuse && s.devices().equals(prev.devices()) ? prevSections.get(2) : devices(c, s));
        out.add(rest(c, s));
        return out;
    }

    private static Map<String, String> smmu(HandoffConfig c, HandoffState s) {
        Map<String, String> f = new LinkedHashMap<>();
        if (c.v3()) {
            f.put("smmu.CR0.SMMUEN", bit(s.v3().smmuen()));
            f.put("smmu.GBPA.ABORT", bit(s.v3().gbpaAbort()));
            for (Client x : c.clients()) {
                f.put("smmu.STE[" + x.label() + "]", SmmuV3.steName(s.v3().ste(x.index())));
            }
            return f;
        }
        int scr0 = s.v2().scr0();
        f.put("smmu.sCR0.CLIENTPD", bit((scr0 & Registers.SCR0_CLIENTPD) != 0));
        f.put("smmu.sCR0.USFCFG", bit((scr0 & Registers.SCR0_USFCFG) != 0));
        f.put("smmu.sCR0.SMCFCFG", bit((scr0 & Registers.SCR0_SMCFCFG) != 0));
        f.put("smmu.sCR0", hex(scr0));
        for (int i = 0; i < c.groups(); i++) {
            int smr = s.v2().smr()[i];
            f.put("smmu.SMR[" + i + "].VALID", bit(Registers.smrValid(smr)));
            f.put("smmu.SMR[" + i + "].ID", hex(Registers.smrId(smr)));
            f.put("smmu.SMR[" + i + "].MASK", hex(Registers.smrMask(smr) & 0x7fff));
            int s2cr = s.v2().s2cr()[i];
            f.put("smmu.S2CR[" + i + "].TYPE", Registers.s2crTypeName(Registers.s2crType(s2cr)));
            f.put("smmu.S2CR[" + i + "].CBNDX", Integer.toString(Registers.s2crCbndx(s2cr)));
        }
        for (int j = 0; j < c.banks(); j++) {
            f.put("smmu.CB[" + j + "].CBAR.TYPE", Registers.cbarTypeName(Registers.cbarType(s.v2().cbar()[j])));
            f.put("smmu.CB[" + j + "].SCTLR.M", bit((s.v2().sctlr()[j] & Registers.SCTLR_M) != 0));
            f.put("smmu.CB[" + j + "].TTBR0", Tables.name(s.v2().ttbr()[j]));
        }
        return f;
    }

    private static Map<String, String> driver(HandoffConfig c, HandoffState s) {
        Map<String, String> f = new LinkedHashMap<>();
        if (c.v3() || s.driverPc() == 0) {
            return f;
        }
        for (int i = 0; i < c.groups(); i++) {
            Shadow x = s.driver().shadow().get(i);
            f.put("arm-smmu.smrs[" + i + "]", (x.valid() ? "valid " : "invalid ") + hex(x.id()) + "/" + hex(x.mask()));
            f.put("arm-smmu.s2crs[" + i + "]", Registers.s2crTypeName(x.type()) + " cbndx=" + x.cbndx() + " count=" + x.count());
        }
        f.put("arm-smmu.num_mapping_groups", Integer.toString(s.driver().numGroups()));
        f.put("arm-smmu.streamid_mask", hex(s.driver().streamIdMask()));
        f.put("arm-smmu.smr_mask_mask", hex(s.driver().smrMaskMask()));
        f.put("arm-smmu.context_map", "0b" + s.driver().contextMap().toString(2));
        f.put("arm-smmu.bypass_quirk", Boolean.toString(s.driver().bypassQuirk()));
        return f;
    }

    private static Map<String, String> devices(HandoffConfig c, HandoffState s) {
        Map<String, String> f = new LinkedHashMap<>();
        for (Client x : c.clients()) {
            DeviceState d = s.device(x.index());
            device(f, x.label(), d);
            if (d.group() >= 0 && d.group() != x.index()) {
                f.put("iommu-core." + x.label() + ".group", "joined " + c.clients().get(d.group()).label() + "'s");
            }
        }
        return f;
    }

    private static Map<String, String> rest(HandoffConfig c, HandoffState s) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("display-driver.own_cb", Integer.toString(s.ddrv().ownCb()));
        f.put("display-driver.fw_buffer_mapped", Boolean.toString(s.ddrv().fwBufferMapped()));
        f.put("display-driver.new_buffer_mapped", Boolean.toString(s.ddrv().newBufferMapped()));
        f.put("memory.firmware_page_tables", s.tables().name());
        f.put("memory.framebuffer", s.framebuffer().name());
        f.put("fw-framebuffer-driver", switch (s.fbdrv()) {
            case HandoffState.FBDRV_BOUND -> "bound";
            case HandoffState.FBDRV_REMOVED -> "removed";
            default -> "absent";
        });
        f.put("kernel.late_initcall_sync", s.lateInit() ? "done" : "pending");
        f.put("display-engine.scanout", s.scanout().name());
        if (c.extraPipe()) {
            f.put("display-engine.extra_firmware_pipe", s.extraPipe() ? "scanning" : "stopped");
        }
        if (c.tegra()) {
            f.put("memory-controller.sid_override", hex(s.mcSid()));
        }
        f.put("failure", s.failure() == null ? "none" : s.failure().kind().name());
        f.put("corrupted", switch (s.corrupted()) {
            case 0 -> "none";
            case HandoffState.CORRUPTED_FRAMEBUFFER -> "framebuffer";
            case HandoffState.CORRUPTED_TABLES -> "firmware page tables";
            default -> "framebuffer, firmware page tables";
        });
        return f;
    }

    private static void device(Map<String, String> f, String name, DeviceState d) {
        f.put("iommu-core." + name + ".probe", DeviceState.probeName(d.probe()));
        f.put("iommu-core." + name + ".smendx", java.util.Arrays.toString(d.smendx()));
        f.put("iommu-core." + name + ".default_domain", DeviceState.domainName(d.domain()));
        f.put("iommu-core." + name + ".cb", Integer.toString(d.cb()));
        f.put("iommu-core." + name + ".direct_mapped", d.directMapped() ? "yes" : d.directFailed() ? "failed (retry after attach)" : "no");
    }

    private static String bit(boolean b) {
        return b ? "1" : "0";
    }

    private static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }
}
