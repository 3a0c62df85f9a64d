package moq.relay.session;

import java.util.Optional;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.d14.Draft14ControlCodec;

/**
 * Draft 14 ({@code moq-00}, version negotiation in CLIENT_SETUP) as a {@link Dialect}: one bidirectional control
 * stream carrying every request with its id, MAX_REQUEST_ID flow control ({@link Draft14RequestIds}), and an OK and
 * ERROR message with its own code table per request kind ({@link Draft14Replies}, {@link Draft14Codes}). Its shape is
 * the control stream's, so its session ({@link Draft14Session}) is its own; what it varies per peer is the codec.
 */
final class Draft14Dialect implements Dialect
{
    static final Draft14Dialect INSTANCE = new Draft14Dialect();

    private Draft14Dialect()
    {
    }

    @Override
    public Draft draft()
    {
        return Draft.DRAFT_14;
    }

    @Override
    public PeerQuirks quirks(final Optional<Bytes> implementation)
    {
        return PeerQuirks.draft14(implementation);
    }

    /** The codec that reads the control stream of a peer with {@code quirks} ({@link PeerQuirks#draft14Codec()}). */
    Draft14ControlCodec codec(final PeerQuirks quirks)
    {
        return quirks.draft14Codec();
    }
}
