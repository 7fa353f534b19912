package dev.handoff.checker.cli;

import dev.handoff.model.smmu.FetchOutcome;

/**
 * The mildest violation that fails a run ({@code --fail-on}): a gate at a severity fails on any
 * display fetch failure of that severity or worse (fatal > hang > fault > wrong-page); {@code any}
 * fails on every violated property, those without a severity (isolation, no-corruption,
 * no-stream-match-conflict, handoff-completes) included.
 */
enum FailOn {
    FATAL(FetchOutcome.FATAL), HANG(FetchOutcome.HANG), FAULT(FetchOutcome.FAULT), WRONG_PAGE(FetchOutcome.WRONG_PAGE),
    ANY(null);

    private final FetchOutcome outcome;

    FailOn(FetchOutcome outcome) {
        this.outcome = outcome;
    }

    FetchOutcome outcome() {
        return outcome;
    }

    /** The value as typed on the command line: fatal, hang, fault, wrong-page, any. */
    String label() {
        return this == ANY ? "any" : outcome.label();
    }

    static FailOn parse(String s) {
        for (FailOn f : values()) {
            if (f.label().equals(s)) {
                return f;
            }
        }
        return null;
    }
}
