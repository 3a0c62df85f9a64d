package moq.relay.wire.lite;

/**
 * FETCH (moq-lite-03 §"FETCH"): the only message of a Fetch Stream's request side, asking for the single group
 * {@code group} (absolute sequence); answered by bare FRAMEs ({@link LiteFrameDecoder.Mode#FETCH_REPLY}).
 */
public record Fetch(String broadcast, String track, int priority, long group) implements LiteMessage
{
    public Fetch
    {
        LiteMessage.checkString(broadcast, "broadcast");
        LiteMessage.checkString(track, "track");
        LiteMessage.checkU8(priority, "priority");
        LiteMessage.checkVarint(group, "group");
    }

    @Override
    public String name()
    {
        return "FETCH";
    }
}
