package moq.relay.wire.lite;

/**
 * SUBSCRIBE_DROP (moq-lite-03 §"SUBSCRIBE_DROP", reply type 0x1; 0x2 on lite-05): groups {@code start} to
 * {@code end} (absolute, inclusive) will not be served; {@code errorCode} 0 means simply unavailable.
 */
public record SubscribeDrop(long start, long end, long errorCode) implements LiteMessage
{
    public SubscribeDrop
    {
        LiteMessage.checkVarint(start, "start group");
        LiteMessage.checkVarint(end, "end group");
        LiteMessage.checkVarint(errorCode, "error code");
    }

    @Override
    public String name()
    {
        return "SUBSCRIBE_DROP";
    }
}
