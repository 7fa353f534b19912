package dev.handoff.model.handoff;

import dev.handoff.model.display.DisplayDriverState;
import dev.handoff.model.display.Scanout;
import dev.handoff.model.kernel.DeviceState;
import dev.handoff.model.kernel.DriverState;
import dev.handoff.model.memory.PageState;
import dev.handoff.model.smmu.SmmuV2;
import dev.handoff.model.smmu.SmmuV3;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole system at one instant: every actor's program counter and data. Immutable; the
 * {@code with…} methods copy. Program counters index the actor's step list in
 * {@link HandoffModel}; a counter equal to the list's length means the actor is done.
 *
 * @param fwPc       firmware
 * @param driverPc   arm-smmu driver probe
 * @param probePc    IOMMU core: each client's probe program counter, indexed as {@link HandoffConfig#clients()}
 * @param ddrvPc     display driver
 * @param mcPc       Tegra memory-controller probe (early SID override)
 * @param v2         SMMUv2 registers (at reset and unused when the SMMU is v3)
 * @param v3         SMMUv3 state (unused when the SMMU is v2)
 * @param driver     arm-smmu's shadow state
 * @param devices    each IOMMU-core client's state, indexed as {@link HandoffConfig#clients()}
 *                   (the display first)
 * @param ddrv       the display driver's own domain
 * @param tables     the firmware page-table pages
 * @param framebuffer the firmware framebuffer pages
 * @param fbdrv      firmware framebuffer driver: 0 absent, 1 bound, 2 removed
 * @param scanout    the display engine's pipe the driver takes over
 * @param extraPipe  a second pipe the firmware started still scans its buffer: the driver's first
 *                   modeset does not reprogram it ({@code fw.extra-pipe})
 * @param lateInit   the kernel's late_initcall_sync (clk_disable_unused, genpd_power_off_unused) has run
 * @param mcSid      the stream ID the memory controller gives the display's traffic (Tegra)
 * @param failure    the latched fetch failure, or {@code null}
 * @param corrupted  pages the kernel wrote while the engine or the SMMU walker still read them:
 *                   bit 0 the framebuffer, bit 1 the firmware page tables (sticky, not final)
 */
public record HandoffState(
        int fwPc, int driverPc, List<Integer> probePc, int ddrvPc, int mcPc,
        SmmuV2 v2, SmmuV3 v3, DriverState driver, List<DeviceState> devices,
        DisplayDriverState ddrv, PageState tables, PageState framebuffer, int fbdrv, Scanout scanout,
        boolean extraPipe, boolean lateInit, int mcSid, Failure failure, int corrupted) {

    public HandoffState {
        devices = List.copyOf(devices);
        probePc = List.copyOf(probePc);
    }

    public static final int FBDRV_ABSENT = 0;
    public static final int FBDRV_BOUND = 1;
    public static final int FBDRV_REMOVED = 2;
    public static final int CORRUPTED_FRAMEBUFFER = 1;
    public static final int CORRUPTED_TABLES = 2;

    public HandoffState withFwPc(int v) {
        return new HandoffState(v, driverPc, probePc, ddrvPc, mcPc, v2, v3, driver, devices, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    public HandoffState withDriverPc(int v) {
        return new HandoffState(fwPc, v, probePc, ddrvPc, mcPc, v2, v3, driver, devices, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    /** Client {@code i}'s probe program counter replaced. */
    public HandoffState withProbePc(int i, int v) {
        List<Integer> l = new ArrayList<>(probePc);
        l.set(i, v);
        return new HandoffState(fwPc, driverPc, l, ddrvPc, mcPc, v2, v3, driver, devices, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    /** Every client's probe program counter replaced. */
    public HandoffState withProbePcs(List<Integer> v) {
        return new HandoffState(fwPc, driverPc, v, ddrvPc, mcPc, v2, v3, driver, devices, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    /** Client {@code i}'s probe program counter. */
    public int probePc(int i) {
        return probePc.get(i);
    }

    /** Steps the IOMMU core has taken, over every client. */
    public int corePc() {
        int n = 0;
        for (int pc : probePc) {
            n += pc;
        }
        return n;
    }

    public HandoffState withDdrvPc(int v) {
        return new HandoffState(fwPc, driverPc, probePc, v, mcPc, v2, v3, driver, devices, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    public HandoffState withMcPc(int v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, v, v2, v3, driver, devices, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    public HandoffState withV2(SmmuV2 v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v, v3, driver, devices, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    public HandoffState withV3(SmmuV3 v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v2, v, driver, devices, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    public HandoffState withDriver(DriverState v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v2, v3, v, devices, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    public HandoffState withDevices(List<DeviceState> v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v2, v3, driver, v, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    /** Client {@code i}'s state replaced. */
    public HandoffState withDevice(int i, DeviceState v) {
        List<DeviceState> l = new ArrayList<>(devices);
        l.set(i, v);
        return withDevices(l);
    }

    /** Client {@code i}'s state ({@link HandoffConfig#clients()}). */
    public DeviceState device(int i) {
        return devices.get(i);
    }

    /** The display's IOMMU state (client 0). */
    public DeviceState display() {
        return devices.get(0);
    }

    public HandoffState withDdrv(DisplayDriverState v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v2, v3, driver, devices, v, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    public HandoffState withTables(PageState v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v2, v3, driver, devices, ddrv, v, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    public HandoffState withFramebuffer(PageState v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v2, v3, driver, devices, ddrv, tables, v, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    public HandoffState withFbdrv(int v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v2, v3, driver, devices, ddrv, tables, framebuffer, v, scanout, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    public HandoffState withScanout(Scanout v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v2, v3, driver, devices, ddrv, tables, framebuffer, fbdrv, v, extraPipe, lateInit, mcSid, failure, corrupted);
    }

    public HandoffState withExtraPipe(boolean v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v2, v3, driver, devices, ddrv, tables, framebuffer, fbdrv, scanout, v, lateInit, mcSid, failure, corrupted);
    }

    public HandoffState withLateInit(boolean v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v2, v3, driver, devices, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, v, mcSid, failure, corrupted);
    }

    public HandoffState withMcSid(int v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v2, v3, driver, devices, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, v, failure, corrupted);
    }

    public HandoffState withFailure(Failure v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v2, v3, driver, devices, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, v, corrupted);
    }

    public HandoffState withCorrupted(int v) {
        return new HandoffState(fwPc, driverPc, probePc, ddrvPc, mcPc, v2, v3, driver, devices, ddrv, tables, framebuffer, fbdrv, scanout, extraPipe, lateInit, mcSid, failure, v);
    }
}
