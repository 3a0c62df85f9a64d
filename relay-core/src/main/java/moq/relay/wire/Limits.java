package moq.relay.wire;

/** Limits the drafts themselves fix (the relay's own, configurable bounds live in the configuration class). */
public final class Limits
{
    /** Control message payload: the 16-bit Message Length field. */
    public static final int MAX_CONTROL_PAYLOAD = 65_535;
    /** Reason Phrase Length: both drafts. */
    public static final int MAX_REASON_PHRASE_LENGTH = 1024;
    /** GOAWAY New Session URI: both drafts. */
    public static final int MAX_GOAWAY_URI_LENGTH = 8192;

    private Limits()
    {
    }
}
