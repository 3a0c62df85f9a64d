package moq.relay.wire.d18;

/** Setup Option types (§"Setup Options", IANA "Setup Options"); a namespace separate from Message Parameters. */
public final class SetupOption
{
    public static final long PATH = 0x01;
    public static final long AUTHORIZATION_TOKEN = 0x03;
    public static final long MAX_AUTH_TOKEN_CACHE_SIZE = 0x04;
    public static final long AUTHORITY = 0x05;
    public static final long MOQT_IMPLEMENTATION = 0x07;

    private SetupOption()
    {
    }

    /** Options this draft defines; every other one is ignored (kept, never interpreted). */
    public static boolean isKnown(final long type)
    {
        return type == PATH || type == AUTHORIZATION_TOKEN || type == MAX_AUTH_TOKEN_CACHE_SIZE ||
            type == AUTHORITY || type == MOQT_IMPLEMENTATION;
    }

    /** Only AUTHORIZATION_TOKEN may repeat ("one or more tokens in SETUP"). */
    public static boolean isRepeatable(final long type)
    {
        return type == AUTHORIZATION_TOKEN;
    }
}
