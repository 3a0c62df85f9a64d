package moq.relay.wire.lite;

/** SUBSCRIBE_UPDATE (moq-lite-03 §"SUBSCRIBE_UPDATE"): the subscriber's new preferences; fields as {@link Subscribe}. */
public record SubscribeUpdate(int priority, boolean ordered, long maxLatencyMs, long startGroup, long endGroup)
    implements LiteMessage
{
    public SubscribeUpdate
    {
        LiteMessage.checkU8(priority, "priority");
        LiteMessage.checkVarint(maxLatencyMs, "max latency");
        LiteMessage.checkVarint(startGroup, "start group");
        LiteMessage.checkVarint(endGroup, "end group");
    }

    @Override
    public String name()
    {
        return "SUBSCRIBE_UPDATE";
    }
}
