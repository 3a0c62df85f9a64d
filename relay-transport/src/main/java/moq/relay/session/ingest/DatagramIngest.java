package moq.relay.session.ingest;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import moq.relay.engine.TrackIngest;
import moq.relay.wire.Draft;
import moq.relay.wire.WireException;
import moq.relay.wire.data.ObjectDatagram;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A session's incoming OBJECT_DATAGRAMs: decodes each one in place (a view over the received buffer, no copy before
 * the log's) and hands it to the ingest of the upstream subscription its track alias names, flagged as a datagram.
 * A datagram for an alias the session does not know is dropped (and counted): datagrams are unreliable and may
 * arrive before the SUBSCRIBE_OK/PUBLISH that names the alias, or after the subscription ended. A malformed one is
 * a PROTOCOL_VIOLATION (thrown to the session, which closes). One the ingest refuses (store exhausted) is dropped and
 * reported to the session, which ends the subscription with EXCESSIVE_LOAD. Event-loop confined; allocation-free per
 * datagram.
 */
public final class DatagramIngest
{
    /** Default publisher priority of a datagram without one (draft-18 DEFAULT_PRIORITY), as for streams. */
    private static final int DEFAULT_PRIORITY = 128;

    private final Draft draft;
    private final SubgroupIngestHandler.Tracks tracks;
    private final int maxPayload;
    private final ObjectDatagram datagram = new ObjectDatagram();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private byte[] copy = new byte[0];
    private long received;
    private long dropped;

    public DatagramIngest(final Draft draft, final SubgroupIngestHandler.Tracks tracks, final int maxPayload)
    {
        this.draft = draft;
        this.tracks = tracks;
        this.maxPayload = maxPayload;
    }

    /** One datagram; {@code buf} stays owned by the caller, which releases it after the call. */
    public void receive(final ByteBuf buf) throws WireException
    {
        final int length = buf.readableBytes();
        wrap(buf, length);
        if (!datagram.decode(draft, view, 0, length))
        {
            return; // padding
        }
        received++;
        final TrackIngest ingest = tracks.ingestFor(datagram.trackAlias());
        if (ingest == null || datagram.payloadLength() > maxPayload)
        {
            dropped++;
            return;
        }
        final int priority = datagram.publisherPriority() == ObjectDatagram.DEFAULT_PRIORITY ? DEFAULT_PRIORITY :
            datagram.publisherPriority();
        final int flags = TrackIngest.DATAGRAM | (datagram.endOfGroup() ? TrackIngest.END_OF_GROUP : 0) |
            (draft == Draft.DRAFT_14 ? TrackIngest.DRAFT14_PROPERTIES : 0);
        if (!ingest.object(flags, datagram.groupId(), datagram.objectId(), datagram.objectId(), priority,
            (int)datagram.status(), view, datagram.propertiesOffset(), datagram.propertiesLength(), view,
            datagram.payloadOffset(), datagram.payloadLength()))
        {
            dropped++;
            tracks.objectDropped(datagram.trackAlias()); // TrackIngest's contract: the subscription ends, EXCESSIVE_LOAD
        }
    }

    private void wrap(final ByteBuf buf, final int length)
    {
        final int index = buf.readerIndex();
        if (buf.hasMemoryAddress())
        {
            view.wrap(buf.memoryAddress() + index, length);
        }
        else if (buf.hasArray())
        {
            view.wrap(buf.array(), buf.arrayOffset() + index, length);
        }
        else if (buf.nioBufferCount() == 1)
        {
            final ByteBuffer nio = buf.internalNioBuffer(index, length);
            view.wrap(nio, nio.position(), length);
        }
        else
        {
            if (copy.length < length)
            {
                copy = new byte[Math.max(length, 2048)];
            }
            buf.getBytes(index, copy, 0, length);
            view.wrap(copy, 0, length);
        }
    }

    /** Datagrams decoded (padding excluded). */
    public long received()
    {
        return received;
    }

    /** Datagrams dropped: unknown alias, too large for the store, or the store refused them. */
    public long dropped()
    {
        return dropped;
    }
}
