package dev.handoff.model.kernel;

import dev.handoff.model.handoff.Client;
import dev.handoff.model.handoff.HandoffConfig;
import dev.handoff.model.scenario.KernelVersions;
import dev.handoff.model.scenario.Knobs;
import dev.handoff.model.scenario.Platform;
import dev.handoff.model.smmu.Registers;

import java.util.ArrayList;
import java.util.List;

/**
 * The vendor hooks {@code arm_smmu_impl_init} installs ({@code struct arm_smmu_impl},
 * arm-smmu-impl.c): one object per hook set, so the driver and the IOMMU core call a hook instead
 * of asking which vendor they run on. Only the hooks the handoff meets are here; a hook left at
 * its default does what the generic driver does without one.
 *
 * <p>A new vendor is one more implementation and one line in {@link #of}.
 */
public sealed interface ArmSmmuImpl permits ArmSmmuImpl.Generic, ArmSmmuImpl.Qcom, ArmSmmuImpl.Nvidia {
    /** The default domain type a {@code def_domain_type} hook does not decide. */
    int NO_OPINION = -1;

    /** {@code cfg_probe}: the steps it adds after {@code arm_smmu_device_cfg_probe}'s own. */
    default List<DriverStep> cfgProbe(HandoffConfig c) {
        return List.of();
    }

    /**
     * {@code write_s2cr}: the (type, cbndx) written for a shadow entry of {@code type} and
     * {@code cbndx}; without the hook, the shadow's own.
     */
    default int[] s2cr(int type, int cbndx, DriverState d, HandoffConfig c) {
        return new int[] {type, cbndx};
    }

    /** {@code def_domain_type}: the client's default domain type, or {@link #NO_OPINION}. */
    default int defDomainType(HandoffConfig c, Client client) {
        return NO_OPINION;
    }

    /** Whether {@code probe_finalize} does something for the client. */
    default boolean probeFinalize(HandoffConfig c, Client client) {
        return false;
    }

    /** The hooks the board's SMMU gets. */
    static ArmSmmuImpl of(Platform.SmmuImpl impl) {
        return switch (impl) {
            case GENERIC -> Generic.INSTANCE;
            case QCOM -> Qcom.INSTANCE;
            case NVIDIA -> Nvidia.INSTANCE;
        };
    }

    /** No vendor hooks (arm,mmu-500 and the like; also a qcom SoC booted by ACPI off qcom_acpi_platlist). */
    enum Generic implements ArmSmmuImpl {
        INSTANCE
    }

    /** {@code qcom_smmu_impl} / {@code qcom_smmu_500_impl} (arm-smmu-qcom.c). */
    enum Qcom implements ArmSmmuImpl {
        INSTANCE;

        /**
         * {@code qcom_smmu_cfg_probe} (f9081b8ff593 with 07a7f2caaa5a, v5.11 / 5.10.4) brought the
         * S2CR quirk probe and the SMR read-back together: a kernel without the read-back
         * ({@code kernel.inherit} other than qcom-bypass) has neither.
         */
        @Override
        public List<DriverStep> cfgProbe(HandoffConfig c) {
            if (!c.inherit().equals("qcom-bypass")) {
                return List.of();
            }
            List<DriverStep> p = new ArrayList<>();
            p.add(new DriverStep.QcomProbeS2cr());
            p.add(new DriverStep.QcomQuirkSctlr());
            p.add(new DriverStep.QcomQuirkCbar());
            p.add(new DriverStep.InheritSmrs());
            return p;
        }

        /** {@code qcom_smmu_write_s2cr}: with {@code bypass_quirk}, BYPASS becomes TRANS to the reserved bank, FAULT becomes BYPASS. */
        @Override
        public int[] s2cr(int type, int cbndx, DriverState d, HandoffConfig c) {
            if (d.bypassQuirk()) {
                if (type == Registers.S2CR_TYPE_BYPASS) {
                    return new int[] {Registers.S2CR_TYPE_TRANS, ArmSmmuDriver.bypassBank(c)};
                }
                if (type == Registers.S2CR_TYPE_FAULT) {
                    return new int[] {Registers.S2CR_TYPE_BYPASS, 0xff};
                }
            }
            return new int[] {type, cbndx};
        }

        /**
         * {@code qcom_smmu_def_domain_type}: IDENTITY for a client {@code qcom_smmu_client_of_match}
         * matches (any of its compatibles: the MDSS, the Adreno GPU and GMU, the modem PIL);
         * {@code of_match_device} needs an of_node, so never on ACPI.
         */
        @Override
        public int defDomainType(HandoffConfig c, Client client) {
            if (c.acpi()) {
                return NO_OPINION;
            }
            String version = c.scenario().knob(Knobs.KERNEL_VERSION);
            return client.compatible().stream().anyMatch(x -> KernelVersions.isQcomClient(version, x))
                    ? DeviceState.IDENTITY : NO_OPINION;
        }
    }

    /** {@code nvidia_smmu_impl} (arm-smmu-nvidia.c). */
    enum Nvidia implements ArmSmmuImpl {
        INSTANCE;

        /**
         * {@code nvidia_smmu_probe_finalize} -> {@code tegra_mc_probe_device}: the memory
         * controller's SID override of the client (the model follows the display's).
         */
        @Override
        public boolean probeFinalize(HandoffConfig c, Client client) {
            return client.display() && c.tegra();
        }
    }
}
