package moq.relay.wire.d20;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Names;

/**
 * PUBLISH_SKIPPED (0xF, draft-21 §9.19; draft-18's PUBLISH_BLOCKED renamed, same layout): {@code Track Namespace
 * Suffix, Track Name Length, Track Name}, on a
 * SUBSCRIBE_TRACKS stream. The 4,096-byte limit is applied to suffix plus name (the prefix is not in the message).
 */
public record PublishSkipped(TrackNamespace suffix, Bytes trackName) implements Draft20Message
{
    public PublishSkipped
    {
        Names.requireFullTrackName(suffix, trackName);
    }

    @Override
    public long type()
    {
        return MessageType.PUBLISH_SKIPPED;
    }

    public static PublishSkipped read(final WireReader reader) throws WireException
    {
        final TrackNamespace suffix = reader.namespace(0, true);
        return new PublishSkipped(suffix, reader.trackName(suffix));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.namespace(suffix).lengthPrefixed(trackName);
    }
}
