package moq.relay.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectDatagram;
import moq.relay.wire.data.ObjectDatagramEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A track this client publishes. Registered with {@link MoqClient#track}; the client answers incoming SUBSCRIBEs
 * for it with SUBSCRIBE_OK, and {@link #publish()} offers it with PUBLISH. Objects written here go to every
 * subscriber active when their subgroup was opened (live delivery: subscription filters are not applied, nothing
 * is cached for late joiners).
 *
 * <p>Thread-safe: calls from other threads hop to the client's event loop, preserving their order. Payload
 * buffers passed in are owned by the publisher from then on (released once written to every subscriber).
 */
public final class TrackPublisher
{
    private final ClientSession session;
    private final TrackNamespace namespace;
    private final Bytes name;
    private final int defaultPriority;
    final List<OutgoingSubscription> subscribers = new ArrayList<>();
    private final CompletableFuture<Void> firstSubscriber = new CompletableFuture<>();
    private volatile Location largest;
    private volatile List<KeyValuePair> trackProperties = List.of();
    private volatile int subscriberCount;

    TrackPublisher(final ClientSession session, final TrackNamespace namespace, final Bytes name,
        final int defaultPriority)
    {
        this.session = session;
        this.namespace = namespace;
        this.name = name;
        this.defaultPriority = defaultPriority;
    }

    public TrackNamespace namespace()
    {
        return namespace;
    }

    public Bytes name()
    {
        return name;
    }

    /** Largest Location written so far, or null; reported in SUBSCRIBE_OK and PUBLISH. */
    public Location largest()
    {
        return largest;
    }

    /** Track Properties sent in SUBSCRIBE_OK and PUBLISH (none by default). */
    public List<KeyValuePair> trackProperties()
    {
        return trackProperties;
    }

    /** Sets the Track Properties later SUBSCRIBE_OKs and PUBLISHes carry; returns this publisher. */
    public TrackPublisher trackProperties(final List<KeyValuePair> properties)
    {
        trackProperties = List.copyOf(properties);
        return this;
    }

    /**
     * Bytes written on this client's subgroup streams that QUIC has not taken yet (waiting for flow control or
     * stream credit), over all tracks. Writers that can outpace the network pause while this is high.
     */
    public long queuedBytes()
    {
        return session.queuedBytes.get();
    }

    public int subscriberCount()
    {
        return subscriberCount;
    }

    /** Completes when the first subscriber is active (SUBSCRIBE answered, or PUBLISH accepted). */
    public CompletableFuture<Void> firstSubscriber()
    {
        return firstSubscriber;
    }

    /** Sends PUBLISH for this track; completes when the peer accepts (its subscription is then active). */
    public CompletableFuture<Void> publish()
    {
        final CompletableFuture<Void> result = new CompletableFuture<>();
        session.execute(() -> session.publish(this, result));
        return result;
    }

    /**
     * Opens a subgroup: one unidirectional stream per current subscriber, SUBGROUP_HEADER first.
     *
     * @param publisherPriority 0..255, or -1 for this track's default.
     * @param withProperties    whether objects of this subgroup carry properties (header type bit 0x01).
     */
    public SubgroupWriter openSubgroup(final long groupId, final long subgroupId, final int publisherPriority,
        final boolean withProperties)
    {
        return new SubgroupWriter(session, this, groupId, subgroupId,
            publisherPriority < 0 ? defaultPriority : publisherPriority, withProperties);
    }

    public SubgroupWriter openSubgroup(final long groupId, final long subgroupId)
    {
        return openSubgroup(groupId, subgroupId, -1, false);
    }

    /** Sends one object as an OBJECT_DATAGRAM to every subscriber; takes ownership of {@code payload}. */
    public void sendDatagram(final long groupId, final long objectId, final ByteBuf payload)
    {
        sendDatagram(groupId, objectId, -1, null, false, payload);
    }

    /**
     * Sends one object as an OBJECT_DATAGRAM to every subscriber, with {@code properties} (an encoded properties
     * block in the session's draft, or null), the END_OF_GROUP bit, and {@code publisherPriority} (-1: the track's);
     * takes ownership of {@code payload}.
     */
    public void sendDatagram(final long groupId, final long objectId, final int publisherPriority,
        final byte[] properties, final boolean endOfGroup, final ByteBuf payload)
    {
        session.execute(() -> writeDatagram(groupId, objectId, publisherPriority < 0 ? defaultPriority :
            publisherPriority, properties, endOfGroup, ObjectDatagramEncoder.NO_STATUS, payload));
    }

    /** Sends an Object Status (e.g. End of Group 0x3) as a status OBJECT_DATAGRAM to every subscriber. */
    public void sendStatusDatagram(final long groupId, final long objectId, final long status)
    {
        session.execute(() -> writeDatagram(groupId, objectId, defaultPriority, null, false, status,
            Unpooled.EMPTY_BUFFER));
    }

    /** PUBLISH_DONE with {@code statusCode} (0x2 TRACK_ENDED) to every subscriber; the track accepts none after. */
    public void finish(final long statusCode, final String reason)
    {
        session.execute(() -> session.finishTrack(this, statusCode, reason));
    }

    void objectWritten(final long groupId, final long objectId)
    {
        final Location l = largest;
        final Location next = new Location(groupId, objectId);
        if (l == null || next.compareTo(l) > 0)
        {
            largest = next;
        }
    }

    void added(final OutgoingSubscription subscription)
    {
        subscribers.add(subscription);
        subscriberCount = subscribers.size();
        firstSubscriber.complete(null);
    }

    void removed(final OutgoingSubscription subscription)
    {
        subscribers.remove(subscription);
        subscriberCount = subscribers.size();
    }

    private void writeDatagram(final long groupId, final long objectId, final int priority,
        final byte[] properties, final boolean endOfGroup, final long status, final ByteBuf payload)
    {
        try
        {
            objectWritten(groupId, objectId);
            final int propertiesLength = properties == null ? 0 : properties.length;
            final UnsafeBuffer props = propertiesLength == 0 ? null : new UnsafeBuffer(properties);
            final UnsafeBuffer scratch = propertiesLength == 0 ? session.scratch() :
                new UnsafeBuffer(new byte[ObjectDatagramEncoder.maxHeaderLength(propertiesLength)]);
            for (final OutgoingSubscription s : subscribers)
            {
                final int n = ObjectDatagramEncoder.writeHeader(session.draft(), scratch, 0, s.trackAlias, groupId,
                    objectId, priority, endOfGroup, status, props, 0, propertiesLength);
                final ByteBuf header = session.alloc().directBuffer(n).writeBytes(scratch.byteArray(), 0, n);
                session.sendDatagram(Unpooled.wrappedBuffer(header, payload.retainedDuplicate()));
            }
        }
        finally
        {
            payload.release();
        }
    }

    int defaultPriority()
    {
        return defaultPriority == ObjectDatagram.DEFAULT_PRIORITY ? 128 : defaultPriority;
    }
}
