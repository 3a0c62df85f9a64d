package moq.relay.wire.d18;

import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Names;

/**
 * NAMESPACE_DONE (0xE, §"NAMESPACE_DONE"): {@code Track Namespace Suffix}, relative to the SUBSCRIBE_NAMESPACE
 * prefix on the same stream.
 */
public record NamespaceDone(TrackNamespace suffix) implements Draft18Message
{
    public NamespaceDone
    {
        Names.requireValid(suffix);
    }

    @Override
    public long type()
    {
        return MessageType.NAMESPACE_DONE;
    }

    public static NamespaceDone read(final WireReader reader) throws WireException
    {
        return new NamespaceDone(reader.namespace(0, true));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.namespace(suffix);
    }
}
