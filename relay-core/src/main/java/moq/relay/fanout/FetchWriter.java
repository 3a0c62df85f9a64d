package moq.relay.fanout;

import org.agrona.DirectBuffer;


/**
 * Where one FETCH's objects go (one unidirectional stream): implemented by the transport, by recording writers in
 * tests. Same threading and buffer-ownership rules as {@link ObjectWriter}: calls come from the egress loop, the views
 * are valid during the call only.
 */
public interface FetchWriter
{
    boolean isWritable();

    /**
     * The next object, in the requested group order and ascending object order within a group. {@code status} 0 is
     * a normal object; otherwise an object status with an empty payload (End of Group 0x3, End of Track 0x4), which
     * a draft whose fetch streams carry no status (draft-18) leaves out. {@code datagram}: the object arrived as an
     * OBJECT_DATAGRAM (forwarding preference Datagram; its {@code subgroup} is then its object id).
     */
    void writeObject(
        long group,
        long subgroup,
        boolean datagram,
        long objectId,
        int publisherPriority,
        int status,
        DirectBuffer buffer,
        int propertiesOffset,
        int propertiesLength,
        int payloadOffset,
        int payloadLength);

    /**
     * {@link #writeObject(long, long, boolean, long, int, int, DirectBuffer, int, int, int, int)} with the properties in
     * a buffer of their own, as {@link ObjectWriter}'s two-buffer {@code writeObject}: the engine calls this one.
     */
    default void writeObject(
        long group,
        long subgroup,
        boolean datagram,
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
        writeObject(group, subgroup, datagram, objectId, publisherPriority, status, payload,
            ObjectWriter.storedPropertiesOffset(properties, propertiesOffset, propertiesLength, payload, payloadOffset),
            propertiesLength, payloadOffset, payloadLength);
    }

    /** As {@link ObjectWriter#propertiesEncoding()}. */
    default PropertiesEncoding propertiesEncoding()
    {
        return PropertiesEncoding.AS_STORED;
    }

    /**
     * Objects from the previous one written (or the start of the range) up to and including {@code (group, object)}
     * have unknown status: they are older than the cache and no publisher was asked (End of Unknown Range marker).
     */
    void unknownRange(long group, long object);

    /**
     * Objects from the previous one written (or the start of the range) up to and including {@code (group, object)}
     * do not exist (End of Non-Existent Range): relayed from a publisher's fetch stream (upstream FETCH). A draft
     * without range markers (draft-14) leaves it out.
     */
    default void nonexistentRange(final long group, final long object)
    {
    }

    /** As {@link ObjectWriter#readsRelayProperties()}. */
    default boolean readsRelayProperties()
    {
        return false;
    }

    /** Every object of the range was written: FIN. */
    void end();

    /** The fetch is abandoned: RESET_STREAM with {@code code}. */
    void reset(StreamResetCode code);
}
