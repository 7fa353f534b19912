package dev.handoff.model.constraints;

import java.util.List;

/**
 * The stream IDs of a set that match exactly the same SMR indices, represented by one of them.
 *
 * @param matching SMR indices that match, ascending (empty: unmatched)
 * @param witness  one stream ID of the set with exactly that match
 */
public record MatchClass(List<Integer> matching, int witness) {
    public MatchClass {
        matching = List.copyOf(matching);
    }
}
