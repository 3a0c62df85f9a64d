package moq.relay.wire.lite;

/**
 * SUBSCRIBE_END (lite-05, reply type 0x1): no group at or after {@code group} (exclusive) will be produced; 0 means
 * the track ended before its first group.
 */
public record SubscribeEnd(long group) implements LiteMessage
{
    public SubscribeEnd
    {
        LiteMessage.checkVarint(group, "group");
    }

    @Override
    public String name()
    {
        return "SUBSCRIBE_END";
    }
}
