package moq.relay.wire.d20;

import moq.relay.wire.Bytes;
import moq.relay.wire.Limits;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Names;

/**
 * GOAWAY (0x10, draft-21 §9.2): {@code New Session URI Length (vi64) <= 8192, New Session URI, Timeout (vi64)}.
 * Draft-20 removed draft-18's trailing Request ID (#1623), so bytes after Timeout are a length mismatch
 * (PROTOCOL_VIOLATION). Sent on the control stream for the session, or on a request stream for that request.
 */
public record Goaway(Bytes newSessionUri, long timeoutMillis) implements Draft20Message, Messages.Goaway
{
    public Goaway
    {
        Names.require(newSessionUri, "new session URI");
        if (newSessionUri.length() > Limits.MAX_GOAWAY_URI_LENGTH)
        {
            throw new IllegalArgumentException("new session URI longer than " + Limits.MAX_GOAWAY_URI_LENGTH);
        }
    }

    @Override
    public long type()
    {
        return MessageType.GOAWAY;
    }

    public static Goaway read(final WireReader reader) throws WireException
    {
        final Bytes uri = reader.lengthPrefixed(Limits.MAX_GOAWAY_URI_LENGTH, "new session URI");
        return new Goaway(uri, reader.varint());
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.lengthPrefixed(newSessionUri);
        writer.varint(timeoutMillis);
    }

    /** A client must send an empty URI: a server receiving a non-empty one closes with PROTOCOL_VIOLATION. */
    public void validateReceivedByServer() throws WireException
    {
        if (newSessionUri.length() != 0)
        {
            throw WireException.protocolViolation("client GOAWAY carries a new session URI");
        }
    }
}
