package moq.relay.wire.d14;

import moq.relay.wire.Bytes;

/**
 * The shape shared by SUBSCRIBE_ERROR, PUBLISH_ERROR, FETCH_ERROR, TRACK_STATUS_ERROR,
 * PUBLISH_NAMESPACE_ERROR and SUBSCRIBE_NAMESPACE_ERROR: {@code Request ID (i), Error Code (i),
 * Error Reason (Reason Phrase)}. Error codes are per message ({@link RequestErrorCodes}); unknown codes are
 * carried as they came.
 */
public interface RequestErrorMessage extends Draft14Message
{
    long requestId();

    long errorCode();

    /** Reason Phrase, UTF-8 by the draft's word, at most 1,024 bytes. */
    Bytes reason();
}
