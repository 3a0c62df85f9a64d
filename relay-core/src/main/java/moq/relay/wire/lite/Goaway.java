package moq.relay.wire.lite;

/** GOAWAY (lite-04, on a Goaway Stream 0x5): the sender is shutting the session down; {@code uri} may redirect. */
public record Goaway(String uri) implements LiteMessage
{
    public Goaway
    {
        LiteMessage.checkString(uri, "uri");
    }

    @Override
    public String name()
    {
        return "GOAWAY";
    }
}
