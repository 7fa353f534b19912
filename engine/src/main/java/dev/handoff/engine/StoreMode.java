package dev.handoff.engine;

/** What the visited set keeps of each state. */
public enum StoreMode {
    /** A 64-bit fingerprint per state; the result reports the estimated probability of a missed state. */
    FINGERPRINT,
    /** Every state's packed words; no state can be missed. */
    EXACT
}
