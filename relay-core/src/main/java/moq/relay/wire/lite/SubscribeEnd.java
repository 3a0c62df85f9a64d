package moq.relay.wire.lite;

/**
 * SUBSCRIBE_END (lite-05, reply type 0x1): where the subscription's groups end. The value is a plain group sequence
 * whose meaning the sources disagree on: {@code @moq/net} 0.3.4 reads it as exclusive (no group at or after it will
 * be produced; 0: the track ended before its first group), the lite-05 text in {@code moq-dev/drafts} as inclusive
 * (the last group that may be delivered). The codec carries the value as is; the dialect sends the library's
 * (exclusive) meaning to browsers.
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
