package moq.relay.wire.d18;

import moq.relay.wire.Bytes;
import moq.relay.wire.Limits;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Names;

/**
 * GOAWAY (0x10, §"GOAWAY"): {@code New Session URI Length (vi64) <= 8192, New Session URI, Timeout (vi64),
 * [Request ID (vi64)]}. The Request ID is present only on the control stream, so its presence is told by bytes
 * left after Timeout; {@code requestId} is null when absent.
 */
public record Goaway(Bytes newSessionUri, long timeoutMillis, Long requestId)
    implements Draft18Message, Messages.Goaway
{
    public Goaway
    {
        Names.require(newSessionUri, "new session URI");
        if (newSessionUri.length() > Limits.MAX_GOAWAY_URI_LENGTH)
        {
            throw new IllegalArgumentException("new session URI longer than " + Limits.MAX_GOAWAY_URI_LENGTH);
        }
    }

    /** On a request stream: no Request ID. */
    public static Goaway onRequestStream(final Bytes newSessionUri, final long timeoutMillis)
    {
        return new Goaway(newSessionUri, timeoutMillis, null);
    }

    /** On the control stream: with the smallest peer Request ID not (or maybe not) processed. */
    public static Goaway onControlStream(final Bytes newSessionUri, final long timeoutMillis, final long requestId)
    {
        return new Goaway(newSessionUri, timeoutMillis, requestId);
    }

    @Override
    public long type()
    {
        return MessageType.GOAWAY;
    }

    public static Goaway read(final WireReader reader) throws WireException
    {
        final Bytes uri = reader.lengthPrefixed(Limits.MAX_GOAWAY_URI_LENGTH, "new session URI");
        final long timeout = reader.varint();
        final Long requestId = reader.hasRemaining() ? reader.varint() : null;
        return new Goaway(uri, timeout, requestId);
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.lengthPrefixed(newSessionUri);
        writer.varint(timeoutMillis);
        if (requestId != null)
        {
            writer.varint(requestId);
        }
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
