package moq.relay.wire.d20;

/** Draft-20 Setup Option types (draft-21 §9.1, IANA Table 10); a namespace separate from Message Parameters. */
public final class SetupOption
{
    public static final long PATH = 0x01;
    public static final long AUTHORIZATION_TOKEN = 0x03;
    public static final long MAX_AUTH_TOKEN_CACHE_SIZE = 0x04;
    public static final long AUTHORITY = 0x05;
    /** New in draft-20 (§9.1.6): total Ranges the sender accepts per subscription or fetch; default 0 = none. */
    public static final long MAX_FILTER_RANGES = 0x06;
    public static final long MOQT_IMPLEMENTATION = 0x07;
    /** New in draft-20 (§9.1.7): unanswered REQUEST_UPDATEs per request stream the sender accepts; 0 = no limit. */
    public static final long MAX_REQUEST_UPDATES = 0x08;

    private SetupOption()
    {
    }

    /** Options this draft defines; every other one is ignored (kept, never interpreted). */
    public static boolean isKnown(final long type)
    {
        return type == PATH || type == AUTHORIZATION_TOKEN || type == MAX_AUTH_TOKEN_CACHE_SIZE ||
            type == AUTHORITY || type == MAX_FILTER_RANGES || type == MOQT_IMPLEMENTATION || type == MAX_REQUEST_UPDATES;
    }

    /** Only AUTHORIZATION_TOKEN may repeat ("one or more tokens in SETUP"). */
    public static boolean isRepeatable(final long type)
    {
        return type == AUTHORIZATION_TOKEN;
    }
}
