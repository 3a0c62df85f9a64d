package moq.relay.wire.data;

import org.agrona.DirectBuffer;

/**
 * Callbacks from a {@link DataStreamDecoder}, in stream order, on the thread that feeds the decoder.
 *
 * <p>Buffer ownership: every buffer, flyweight and view passed here belongs to the decoder or to the
 * caller of {@link DataStreamDecoder#onData}, and is valid only for the duration of the callback. Copy
 * what must outlive it (for payload, into the track's log; that single copy is the only one).
 *
 * <p>For one stream the sequence is: one header callback ({@link #onSubgroupHeader} or
 * {@link #onFetchHeader}), then per object {@link #onObjectHeader}, zero or more {@link #onPayload}
 * (never empty; chunk boundaries depend on how the bytes arrived), {@link #onObjectEnd}; on fetch
 * streams {@link #onEndOfRange} may appear between objects; {@link #onStreamEnd} after a clean FIN.
 */
public interface DataStreamHandler
{
    void onSubgroupHeader(SubgroupHeader header);

    /**
     * A FETCH_HEADER. Draft-18 group deltas run in the fetch's group order, which only the session knows
     * (from the FETCH exchange for {@code requestId}), so the handler answers it here.
     *
     * @return true if the fetch's group order is Descending; ignored on draft-14 (absolute ids).
     */
    boolean onFetchHeader(long requestId);

    void onObjectHeader(ObjectHeader header);

    /** {@code length} (at least 1) payload bytes of the current object. */
    void onPayload(DirectBuffer buffer, int offset, int length);

    void onObjectEnd();

    /**
     * Draft-18 fetch End of Range (§"End of Range"): every object after the previous one up to and including
     * {@code (groupId, objectId)} does not exist (0x8C) or has unknown status ({@code unknown}, 0x10C).
     */
    void onEndOfRange(long groupId, long objectId, boolean unknown);

    /**
     * Draft-20 fetch End of Timed-Out Range (0x20C, draft-21 §11.4.1.2): the objects after the previous one up to and
     * including {@code (groupId, objectId)} were not obtained before the Fill Timeout expired. Their status is as
     * unknown to the receiver as an Unknown Range's, so a handler that does not tell the two apart gets that
     * callback.
     */
    default void onEndOfTimedOutRange(final long groupId, final long objectId)
    {
        onEndOfRange(groupId, objectId, true);
    }

    /** FIN at an object boundary. */
    void onStreamEnd();
}
