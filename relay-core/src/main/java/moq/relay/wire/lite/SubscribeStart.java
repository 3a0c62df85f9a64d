package moq.relay.wire.lite;

/**
 * SUBSCRIBE_START (lite-05, reply type 0x0; replaces SUBSCRIBE_OK): the subscription's resolved absolute start group
 * (a plain sequence, not + 1). A start above the requested one drops the groups before it.
 */
public record SubscribeStart(long group) implements LiteMessage
{
    public SubscribeStart
    {
        LiteMessage.checkVarint(group, "group");
    }

    @Override
    public String name()
    {
        return "SUBSCRIBE_START";
    }
}
