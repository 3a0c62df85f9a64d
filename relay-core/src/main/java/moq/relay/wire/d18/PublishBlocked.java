package moq.relay.wire.d18;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Names;

/**
 * PUBLISH_BLOCKED (0xF, §"PUBLISH_BLOCKED"): {@code Track Namespace Suffix, Track Name Length, Track Name}, on a
 * SUBSCRIBE_TRACKS stream. The 4,096-byte limit is applied to suffix plus name (the prefix is not in the message).
 */
public record PublishBlocked(TrackNamespace suffix, Bytes trackName) implements Draft18Message
{
    public PublishBlocked
    {
        Names.requireFullTrackName(suffix, trackName);
    }

    @Override
    public long type()
    {
        return MessageType.PUBLISH_BLOCKED;
    }

    public static PublishBlocked read(final WireReader reader) throws WireException
    {
        final TrackNamespace suffix = reader.namespace(0, true);
        return new PublishBlocked(suffix, reader.trackName(suffix));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.namespace(suffix).lengthPrefixed(trackName);
    }
}
