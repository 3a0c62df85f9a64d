package moq.relay.wire.lite;

/** TRACK (lite-05, the only request on a Track Stream 0x6): asks for a track's immutable properties. */
public record TrackRequest(String broadcast, String track) implements LiteMessage
{
    public TrackRequest
    {
        LiteMessage.checkString(broadcast, "broadcast");
        LiteMessage.checkString(track, "track");
    }

    @Override
    public String name()
    {
        return "TRACK";
    }
}
