package dev.handoff.model.display;

/** What the display engine is doing (BRIEF 6.9). */
public enum Scanout {
    /** Not fetching: never started, quiesced by firmware, or reset by the driver. */
    STOPPED,
    /** Fetching the firmware's framebuffer at the firmware's IOVA: the window of the properties. */
    FIRMWARE_BUFFER,
    /** Fetching the driver's buffer after the first modeset. */
    DRIVER_BUFFER
}
