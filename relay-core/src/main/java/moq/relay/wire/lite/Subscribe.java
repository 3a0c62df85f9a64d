package moq.relay.wire.lite;

/**
 * SUBSCRIBE (moq-lite-03 §"SUBSCRIBE"): the first message of a Subscribe Stream.
 *
 * <p>{@code startGroup} and {@code endGroup} are the wire values: 0 means the latest group (start) or unbounded
 * (end), any other value is the absolute group sequence + 1 ({@link LiteGroups}).
 *
 * @param priority     Subscriber Priority, a u8; higher first.
 * @param ordered      Subscriber Ordered: older groups first (0x1) or newer first (0x0).
 * @param maxLatencyMs Subscriber Max Latency in milliseconds (0: none given).
 */
public record Subscribe(long id, String broadcast, String track, int priority, boolean ordered, long maxLatencyMs,
    long startGroup, long endGroup) implements LiteMessage
{
    public Subscribe
    {
        LiteMessage.checkVarint(id, "subscribe id");
        LiteMessage.checkString(broadcast, "broadcast");
        LiteMessage.checkString(track, "track");
        LiteMessage.checkU8(priority, "priority");
        LiteMessage.checkVarint(maxLatencyMs, "max latency");
        LiteMessage.checkVarint(startGroup, "start group");
        LiteMessage.checkVarint(endGroup, "end group");
    }

    @Override
    public String name()
    {
        return "SUBSCRIBE";
    }
}
