package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.Limits;

import java.util.Objects;

/**
 * GOAWAY (0x10, §"GOAWAY"): {@code New Session URI Length (i), New Session URI (..)}, at most 8,192 bytes;
 * empty means "reconnect to the current URI". A server that receives a non-empty URI, or anyone receiving a
 * second GOAWAY, closes with PROTOCOL_VIOLATION: both depend on session state, so the session checks them.
 */
public record Goaway(Bytes newSessionUri) implements Draft14Message
{
    public Goaway
    {
        Objects.requireNonNull(newSessionUri, "newSessionUri");
        if (newSessionUri.length() > Limits.MAX_GOAWAY_URI_LENGTH)
        {
            throw new IllegalArgumentException("GOAWAY URI longer than " + Limits.MAX_GOAWAY_URI_LENGTH);
        }
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.GOAWAY;
    }
}
