package moq.relay.wire.d20;

import moq.relay.wire.Bytes;
import moq.relay.wire.Limits;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Names;

/**
 * PUBLISH_DONE (0xB, draft-21 §9.9): {@code Status Code (vi64), Stream Count (vi64), Error Reason (Reason
 * Phrase)}. Status codes are in {@link PublishDoneCode}; unknown ones are carried. Stream Count counts fill fetch
 * streams too, and 2^64-1 ({@link PublishDoneCode#STREAM_COUNT_UNKNOWN}) says the publisher could not count.
 */
public record PublishDone(long statusCode, long streamCount, Bytes reason)
    implements Draft20Message, Messages.PublishDone
{
    public PublishDone
    {
        Names.require(reason, "reason");
        if (reason.length() > Limits.MAX_REASON_PHRASE_LENGTH)
        {
            throw new IllegalArgumentException("reason phrase longer than " + Limits.MAX_REASON_PHRASE_LENGTH);
        }
    }

    @Override
    public long type()
    {
        return MessageType.PUBLISH_DONE;
    }

    public static PublishDone read(final WireReader reader) throws WireException
    {
        final long status = reader.varint();
        final long count = reader.varint();
        return new PublishDone(status, count, reader.reasonPhrase());
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.varint(statusCode).varint(streamCount).lengthPrefixed(reason);
    }
}
