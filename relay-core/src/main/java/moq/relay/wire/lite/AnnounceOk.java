package moq.relay.wire.lite;

/**
 * ANNOUNCE_OK (lite-05): the publisher's first message on an Announce Stream's reply.
 *
 * @param origin      the publisher's own origin (hop) id, the implicit last hop of every ANNOUNCE on the stream;
 *                    0 means unknown.
 * @param activeCount how many {@code active} ANNOUNCEs follow at once as the initial set.
 */
public record AnnounceOk(long origin, long activeCount) implements LiteMessage
{
    public AnnounceOk
    {
        LiteMessage.checkVarint(origin, "origin");
        LiteMessage.checkVarint(activeCount, "active count");
    }

    @Override
    public String name()
    {
        return "ANNOUNCE_OK";
    }
}
