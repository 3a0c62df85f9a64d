package moq.relay.wire.d14;

/**
 * The Joining Fetch structure of FETCH types 0x2 and 0x3 (§"Joining Fetches"): {@code Joining Request ID (i),
 * Joining Start (i)}. For a relative joining fetch Joining Start counts groups back from the subscription's
 * largest group; for an absolute one it is the start group.
 */
public record JoiningFetch(long joiningRequestId, long joiningStart)
{
    public JoiningFetch
    {
        Fields.varint(joiningRequestId, "joiningRequestId");
        Fields.varint(joiningStart, "joiningStart");
    }
}
