package moq.relay.wire.lite;

/**
 * PROBE (moq-lite-03 §"PROBE"), both ways on a Probe Stream: from the opener the target bitrate to pad up to, from
 * the publisher the measured one (bits per second).
 *
 * @param rttMs lite-04+: the publisher's smoothed round-trip time in milliseconds, 0 when unknown (so is a bitrate
 *              of 0, per {@code @moq/net}, which rounds a measured 0 up to 1). Not on the wire in lite-03 (0 there).
 */
public record Probe(long bitrate, long rttMs) implements LiteMessage
{
    public Probe
    {
        LiteMessage.checkVarint(bitrate, "bitrate");
        LiteMessage.checkVarint(rttMs, "rtt");
    }

    public Probe(final long bitrate)
    {
        this(bitrate, 0);
    }

    @Override
    public String name()
    {
        return "PROBE";
    }
}
