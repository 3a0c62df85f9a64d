package moq.relay.wire.d18;

import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Names;

/**
 * NAMESPACE (0x8, §"NAMESPACE"): {@code Track Namespace Suffix}, relative to the SUBSCRIBE_NAMESPACE prefix on
 * the same stream.
 */
public record Namespace(TrackNamespace suffix) implements Draft18Message
{
    public Namespace
    {
        Names.requireValid(suffix);
    }

    @Override
    public long type()
    {
        return MessageType.NAMESPACE;
    }

    public static Namespace read(final WireReader reader) throws WireException
    {
        return new Namespace(reader.namespace(0, true));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.namespace(suffix);
    }
}
