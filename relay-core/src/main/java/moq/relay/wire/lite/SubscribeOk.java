package moq.relay.wire.lite;

/**
 * SUBSCRIBE_OK (moq-lite-03 §"SUBSCRIBE_OK", reply type 0x0; lite-03 and lite-04 only): the publisher's preferences
 * and the resolved range. The first reply on a Subscribe Stream; may be repeated to update them.
 *
 * @param startGroup resolved start, absolute sequence + 1; 0 means not yet known (a later SUBSCRIBE_OK resolves it).
 * @param endGroup   resolved end (inclusive), absolute sequence + 1; 0 means unbounded.
 */
public record SubscribeOk(int priority, boolean ordered, long maxLatencyMs, long startGroup, long endGroup)
    implements LiteMessage
{
    public SubscribeOk
    {
        LiteMessage.checkU8(priority, "priority");
        LiteMessage.checkVarint(maxLatencyMs, "max latency");
        LiteMessage.checkVarint(startGroup, "start group");
        LiteMessage.checkVarint(endGroup, "end group");
    }

    @Override
    public String name()
    {
        return "SUBSCRIBE_OK";
    }
}
