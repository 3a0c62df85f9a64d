package moq.relay.wire.d14;

import moq.relay.wire.Bytes;

/**
 * PUBLISH_DONE (0xB, §"PUBLISH_DONE"): {@code Request ID (i), Status Code (i), Stream Count (i),
 * Error Reason (Reason Phrase)}. Stream Count is 2^62-1 when the publisher cannot count exactly
 * ({@link #UNKNOWN_STREAM_COUNT}). Codes: {@link RequestErrorCodes.PublishDoneStatus}.
 */
public record PublishDone(long requestId, long statusCode, long streamCount, Bytes reason) implements Draft14Message
{
    /** "If the publisher is unable to set Stream Count to the exact number ... it MUST set Stream Count to 2^62 - 1". */
    public static final long UNKNOWN_STREAM_COUNT = (1L << 62) - 1;

    public PublishDone
    {
        Fields.varint(requestId, "requestId");
        Fields.varint(statusCode, "statusCode");
        Fields.varint(streamCount, "streamCount");
        Fields.reason(reason);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.PUBLISH_DONE;
    }
}
