package moq.relay.fanout;

import org.agrona.DirectBuffer;


/**
 * Where one downstream subscription's objects go: implemented by the transport's per-subscription stream writer
 * (one unidirectional QUIC stream per subgroup), and by recording writers in tests.
 * <p>
 * <b>Threading.</b> Every call comes from the egress loop the subscribing session was bound to, in the order the
 * objects must go out; never concurrently.
 * <p>
 * <b>Buffer ownership.</b> {@link #writeObject} passes a view into the track's off-heap log: {@code buffer} from
 * {@code propertiesOffset} holds the object's properties exactly as received, and from {@code payloadOffset} its
 * payload. (The engine calls the two-buffer form: there the properties may instead be in the egress loop's conversion
 * buffer, converted into this writer's {@link #propertiesEncoding()}, valid during the call only.) A writer that copies the bytes during the call owns nothing afterwards. A writer that keeps a zero-copy
 * reference (for example a wrapped {@code ByteBuf} queued on a stream) must have subscribed with
 * {@code retainsPayload = true} and call the engine's {@code DownstreamSubscription.release()} (on the egress loop)
 * once it holds no view any more; until then the engine keeps that memory from being reused, and counts it against
 * the subscriber's backlog. After {@link #resetSubgroup} or {@link #publishDone} returns, the writer must hold no view of
 * that subgroup or subscription.
 */
public interface ObjectWriter
{
    /**
     * Whether an object can be written now (stream and connection credit). False makes the engine keep the object
     * in the subscriber's backlog (its cursor in the log) and try again on a later poll.
     */
    boolean isWritable();

    /** A new subgroup stream starts with {@code firstObject} (which need not be the subgroup's first object). */
    void openSubgroup(long group, long subgroup, long firstObject, int publisherPriority);

    /**
     * Same, saying whether {@code firstObject} is the first object the original publisher published in the subgroup
     * (as the publisher told the relay): a draft-18 subgroup stream that starts with it must carry the FIRST_OBJECT
     * bit. The engine calls this one; the default ignores the flag.
     */
    default void openSubgroup(long group, long subgroup, long firstObject, boolean firstInSubgroup,
        int publisherPriority)
    {
        openSubgroup(group, subgroup, firstObject, publisherPriority);
    }

    /** One object on the open subgroup stream {@code (group, subgroup)}; {@code status} 0 is a normal object. */
    void writeObject(
        long group,
        long subgroup,
        long objectId,
        int publisherPriority,
        int status,
        DirectBuffer buffer,
        int propertiesOffset,
        int propertiesLength,
        int payloadOffset,
        int payloadLength);

    /**
     * {@link #writeObject(long, long, long, int, int, DirectBuffer, int, int, int, int)} with the properties in a buffer
     * of their own: the engine calls this one. {@code properties} is the log's buffer, or, where the object's
     * properties were converted into this writer's {@link #propertiesEncoding()}, the egress loop's conversion buffer
     * (valid during the call only; the payload stays in the log either way). A writer that declares an encoding
     * overrides this; the default serves writers that take the log's bytes as they are ({@link
     * PropertiesEncoding#AS_STORED}), which are never given a converted block.
     */
    default void writeObject(
        long group,
        long subgroup,
        long objectId,
        int publisherPriority,
        int status,
        DirectBuffer properties,
        int propertiesOffset,
        int propertiesLength,
        DirectBuffer payload,
        int payloadOffset,
        int payloadLength)
    {
        writeObject(group, subgroup, objectId, publisherPriority, status, payload,
            storedPropertiesOffset(properties, propertiesOffset, propertiesLength, payload, payloadOffset),
            propertiesLength, payloadOffset, payloadLength);
    }

    /**
     * Where the properties of a two-buffer call sit in {@code payload}'s buffer, for a writer that takes the log's
     * bytes as they are ({@link PropertiesEncoding#AS_STORED}): such a writer is never given a converted block.
     */
    static int storedPropertiesOffset(final DirectBuffer properties, final int propertiesOffset,
        final int propertiesLength, final DirectBuffer payload, final int payloadOffset)
    {
        if (propertiesLength > 0 && properties != payload)
        {
            throw new IllegalStateException("converted properties for a writer that reads them as stored");
        }
        return properties == payload ? propertiesOffset : payloadOffset;
    }

    /**
     * One object that arrived as an OBJECT_DATAGRAM, to be sent as one (no subgroup stream is involved). Same buffer
     * rules as {@link #writeObject}, except that the view is valid during the call only: a writer copies what it
     * sends. Called only while {@link #isWritable()} (until then the object waits in the backlog, in log order); a
     * transport that cannot send it then drops it. {@code status} 0 is a normal object; {@code endOfGroup} is the datagram's
     * END_OF_GROUP bit. The default drops it (a writer that cannot send datagrams).
     */
    default void writeDatagram(
        long group,
        long objectId,
        int publisherPriority,
        int status,
        boolean endOfGroup,
        DirectBuffer buffer,
        int propertiesOffset,
        int propertiesLength,
        int payloadOffset,
        int payloadLength)
    {
    }

    /** {@link #writeDatagram(long, long, int, int, boolean, DirectBuffer, int, int, int, int)} as the two-buffer
     *  {@link #writeObject(long, long, long, int, int, DirectBuffer, int, int, DirectBuffer, int, int)} is: the
     *  engine calls this one. */
    default void writeDatagram(
        long group,
        long objectId,
        int publisherPriority,
        int status,
        boolean endOfGroup,
        DirectBuffer properties,
        int propertiesOffset,
        int propertiesLength,
        DirectBuffer payload,
        int payloadOffset,
        int payloadLength)
    {
        writeDatagram(group, objectId, publisherPriority, status, endOfGroup, payload,
            storedPropertiesOffset(properties, propertiesOffset, propertiesLength, payload, payloadOffset),
            propertiesLength, payloadOffset, payloadLength);
    }

    /**
     * The encoding of Object Properties this writer sends: the engine converts an object's properties into it where
     * its publisher encoded them otherwise (a draft-14 publisher to a draft-18 or draft-20 subscriber, and back).
     * The default, {@link PropertiesEncoding#AS_STORED}: the log's bytes, whatever their encoding.
     */
    default PropertiesEncoding propertiesEncoding()
    {
        return PropertiesEncoding.AS_STORED;
    }

    /**
     * The engine has written what it can for now. A writer may hold back the last object it was given, so that it
     * leaves together with whatever the engine calls next on that subgroup (typically {@link #endSubgroup}: object and
     * FIN in one send); here it must send what it holds. The engine calls this at the end of every pump that may have
     * written. The default holds nothing back.
     */
    default void flush()
    {
    }

    /**
     * The subscriber's OBJECT_DELIVERY_TIMEOUT (draft 20, draft-21 §5.2) in nanoseconds, 0 for none (the publisher's
     * track property still applies), or -1 when the writer's draft is not given delivery timeouts by the relay (the
     * default: drafts 14 and 18 behave as before). Read on the egress loop before each object; REQUEST_UPDATE may
     * change it.
     */
    default long objectDeliveryTimeoutNanos()
    {
        return -1;
    }

    /**
     * The subscriber's SUBGROUP_DELIVERY_TIMEOUT (draft 20, draft-21 §5.2) in nanoseconds, as {@link
     * #objectDeliveryTimeoutNanos()} has its OBJECT_DELIVERY_TIMEOUT: 0 for none, -1 for a draft the relay gives no
     * delivery timeouts.
     */
    default long subgroupDeliveryTimeoutNanos()
    {
        return -1;
    }

    /**
     * Whether this writer reads properties the relay wrote itself (draft-18 form: a moq-lite frame's TIMESTAMP,
     * {@code TrackLog.FLAG_RELAY_PROPERTIES}); false (the default): such an object comes with no properties.
     */
    default boolean readsRelayProperties()
    {
        return false;
    }

    /** The subgroup ended upstream and every object of it from the filter start was written: FIN the stream. */
    void endSubgroup(long group, long subgroup);

    /**
     * {@link #endSubgroup(long, long)} of a subgroup under a SUBGROUP_DELIVERY_TIMEOUT (draft 20): unless the stream
     * reached "all data committed" within {@code deliverWithinNanos} (> 0; draft-21 §5.2, timed from the publisher's
     * FIN), the writer resets it with {@link StreamResetCode#DELIVERY_TIMEOUT}, which also discards what the transport
     * still holds unsent. A writer that cannot tell (the default) just ends the stream.
     */
    default void endSubgroup(final long group, final long subgroup, final long deliverWithinNanos)
    {
        endSubgroup(group, subgroup);
    }

    /** Abandon the subgroup stream: RESET_STREAM with {@code code}. */
    void resetSubgroup(long group, long subgroup, StreamResetCode code);

    /**
     * The subscription fell too far behind ({@link StreamResetCode#TOO_FAR_BEHIND}; its open subgroup streams were
     * just reset, and it resumes at the next group): a writer whose ended streams (FIN asked) still hold bytes the
     * transport has not taken, and which counts them as not writable, resets those with {@code code} too, since what
     * they still carry is older than where the subscription resumes. The default holds none.
     */
    default void resetEndedStreams(final StreamResetCode code)
    {
    }

    /** The subscription ends: all its subgroup streams are already closed or reset. The last call. */
    void publishDone(PublishDoneStatus status, String reason);
}
