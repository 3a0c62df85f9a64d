package moq.relay.wire.lite;

/**
 * Bounds on what a moq-lite peer may make the decoders hold. moq-lite-03 names none; the ones here are
 * {@code @moq/net}'s where it has one (so a conforming browser never meets them) and the MoQT codecs' otherwise.
 */
public final class LiteLimits
{
    /**
     * Default bound on one control message's Message Length. The largest legitimate message (an ANNOUNCE with 32
     * hops and a long path, a SETUP) is far smaller; 65,535 is the MoQT control payload bound.
     */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 65_535;
    /** Most hops in an ANNOUNCE ({@code @moq/net} {@code MAX_HOPS}, Rust {@code model/origin.rs}). */
    public static final int MAX_HOPS = 32;
    /** Most parameters in a SETUP ({@code @moq/net} {@code MAX_PARAMS}). */
    public static final int MAX_SETUP_PARAMETERS = 64;

    private LiteLimits()
    {
    }
}
