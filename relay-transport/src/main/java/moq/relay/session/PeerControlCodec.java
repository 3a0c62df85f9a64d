package moq.relay.session;

import java.util.function.Supplier;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;

/**
 * The codec that reads one request-stream session's streams: its dialect's codec for the peer's quirks as known when
 * each message is decoded ({@link RequestStreamDialect#codec(PeerQuirks)}). A stream opened before the peer's SETUP
 * arrived thus reads the messages that follow SETUP in that peer's form; what was decoded before SETUP is the
 * draft's. Encoding is the dialect's: the records write their own form.
 */
final class PeerControlCodec implements ControlCodec
{
    private final RequestStreamDialect dialect;
    private final Supplier<PeerQuirks> quirks;

    PeerControlCodec(final RequestStreamDialect dialect, final Supplier<PeerQuirks> quirks)
    {
        this.dialect = dialect;
        this.quirks = quirks;
    }

    @Override
    public Draft draft()
    {
        return dialect.draft();
    }

    @Override
    public ControlMessage decodePayload(final long type, final WireReader payload) throws WireException
    {
        return dialect.codec(quirks.get()).decodePayload(type, payload);
    }

    @Override
    public void encodePayload(final ControlMessage message, final WireWriter writer)
    {
        dialect.codec().encodePayload(message, writer);
    }
}
