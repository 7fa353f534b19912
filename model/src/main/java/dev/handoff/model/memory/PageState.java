package dev.handoff.model.memory;

/** Who holds a group of physical pages the firmware left in use (BRIEF 6.6). */
public enum PageState {
    /** Still the firmware's: never handed to the page allocator (reserved) or not yet allocated. */
    FIRMWARE,
    /** The kernel's allocator handed the pages out; contents still intact. */
    ALLOCATED,
    /** The kernel wrote the pages: what the firmware left there is gone. */
    WRITTEN
}
