package moq.relay.wire.lite;

import java.util.List;

/**
 * ANNOUNCE (moq-lite-03 §"ANNOUNCE"; ANNOUNCE_BROADCAST in lite-05's text): a change in one broadcast's availability,
 * sent by the publisher on an Announce Stream. The full path is the ANNOUNCE_PLEASE prefix followed by
 * {@code suffix}.
 *
 * @param hops the hop chain: on lite-04+ the origin id of each hop; lite-03 carries only the count, so its hops
 *             decode as that many 0s ("unknown origin", as {@code @moq/net} models them) and only the count is
 *             encoded. At most {@link LiteLimits#MAX_HOPS}.
 */
public record Announce(AnnounceStatus status, String suffix, List<Long> hops) implements LiteMessage
{
    public Announce
    {
        if (status == null)
        {
            throw new IllegalArgumentException("status is null");
        }
        LiteMessage.checkString(suffix, "suffix");
        hops = List.copyOf(hops);
        if (hops.size() > LiteLimits.MAX_HOPS)
        {
            throw new IllegalArgumentException(hops.size() + " hops");
        }
        for (final Long hop : hops)
        {
            LiteMessage.checkVarint(hop, "hop");
        }
    }

    /** An announcement with {@code hopCount} unknown hops (the lite-03 form). */
    public static Announce of(final AnnounceStatus status, final String suffix, final int hopCount)
    {
        return new Announce(status, suffix, java.util.Collections.nCopies(hopCount, 0L));
    }

    @Override
    public String name()
    {
        return "ANNOUNCE";
    }
}
