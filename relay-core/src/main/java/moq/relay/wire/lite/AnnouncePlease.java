package moq.relay.wire.lite;

/**
 * ANNOUNCE_PLEASE (moq-lite-03 §"ANNOUNCE_PLEASE"; ANNOUNCE_REQUEST in lite-05's text): the first and only message a
 * subscriber sends on an Announce Stream, asking for every broadcast whose path starts with {@code prefix}.
 *
 * @param excludeHop lite-04 and lite-05 only (0 elsewhere, not on the wire): the asking peer's origin id, so the
 *                   publisher can leave out announcements that already passed through it; 0 excludes nothing.
 */
public record AnnouncePlease(String prefix, long excludeHop) implements LiteMessage
{
    public AnnouncePlease
    {
        LiteMessage.checkString(prefix, "prefix");
        LiteMessage.checkVarint(excludeHop, "exclude hop");
    }

    public AnnouncePlease(final String prefix)
    {
        this(prefix, 0);
    }

    @Override
    public String name()
    {
        return "ANNOUNCE_PLEASE";
    }
}
