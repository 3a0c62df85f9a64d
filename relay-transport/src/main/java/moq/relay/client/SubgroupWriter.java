package moq.relay.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.ArrayList;
import java.util.List;
import moq.relay.wire.Draft;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupHeaderType;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes the objects of one subgroup: one unidirectional stream per subscriber, SUBGROUP_HEADER then objects, FIN
 * on {@link #close} or with the status object of {@link #endGroup} / {@link #endTrack} (behind every write). Object
 * headers are encoded once and the same bytes (and the payload buffer) are shared by every subscriber's stream; each
 * object is one write (header and payload, the first with the SUBGROUP_HEADER in front), because QUIC sends on
 * every write.
 *
 * <p>Thread-safe like {@link TrackPublisher}: calls hop to the event loop in order. Object ids must ascend.
 */
public final class SubgroupWriter
{
    private final ClientSession session;
    private final TrackPublisher track;
    private final long groupId;
    private final long subgroupId;
    private final SubgroupStreamEncoder encoder;
    private final List<OutStream> streams = new ArrayList<>();
    private boolean closed;

    SubgroupWriter(final ClientSession session, final TrackPublisher track, final long groupId, final long subgroupId,
        final int priority, final boolean withProperties)
    {
        this.session = session;
        this.track = track;
        this.groupId = groupId;
        this.subgroupId = subgroupId;
        final Draft draft = session.draft();
        this.encoder = new SubgroupStreamEncoder(draft);
        final int mode = subgroupId == 0 ? SubgroupHeaderType.MODE_ZERO : SubgroupHeaderType.MODE_EXPLICIT;
        // The original publisher opens each subgroup at its start: draft-18 says so with FIRST_OBJECT (a MUST).
        final int type = SubgroupHeaderType.of(draft, withProperties, mode, false, false, draft.atLeast(18));
        session.execute(() -> open(type, priority));
    }

    private void open(final int type, final int priority)
    {
        final UnsafeBuffer scratch = session.scratch();
        for (final OutgoingSubscription s : track.subscribers)
        {
            final int n = encoder.writeHeader(session.draft(), scratch, 0, type, s.trackAlias, groupId, subgroupId,
                priority);
            final byte[] header = new byte[n];
            scratch.getBytes(0, header);
            final OutStream.Opener opener = onOpen -> session.opener().open(QuicStreamType.UNIDIRECTIONAL,
                new ChannelInboundHandlerAdapter(), onOpen);
            streams.add(new OutStream(s, opener, header, session.alloc(), session.queuedBytes));
        }
        if (streams.isEmpty())
        {
            // No subscriber: the encoder still needs a header to track object ids.
            encoder.writeHeader(session.draft(), scratch, 0, type, 0, groupId, subgroupId, priority);
        }
    }

    public long groupId()
    {
        return groupId;
    }

    public long subgroupId()
    {
        return subgroupId;
    }

    /** Writes a Normal object; takes ownership of {@code payload}. */
    public void write(final long objectId, final ByteBuf payload)
    {
        write(objectId, null, payload);
    }

    /**
     * Writes a Normal object with a raw properties block (the subgroup must have been opened with properties);
     * takes ownership of {@code payload}.
     */
    public void write(final long objectId, final byte[] properties, final ByteBuf payload)
    {
        session.execute(() -> writeObject(objectId, ObjectStatus.NORMAL, properties, payload, false));
    }

    /** Writes an End of Group status object with {@code objectId}, then FIN. */
    public void endGroup(final long objectId)
    {
        session.execute(() ->
        {
            writeObject(objectId, ObjectStatus.END_OF_GROUP, null, Unpooled.EMPTY_BUFFER, true);
        });
    }

    /** Writes an End of Track status object with {@code objectId}, then FIN. */
    public void endTrack(final long objectId)
    {
        session.execute(() ->
        {
            writeObject(objectId, ObjectStatus.END_OF_TRACK, null, Unpooled.EMPTY_BUFFER, true);
        });
    }

    /** FIN on every stream of this subgroup, after the last object. */
    public void close()
    {
        session.execute(this::finish);
    }

    /** One object to every stream, header and payload in one write; with {@code last}, the FIN in the same frame. */
    private void writeObject(final long objectId, final long status, final byte[] properties, final ByteBuf payload,
        final boolean last)
    {
        try
        {
            if (closed)
            {
                throw new IllegalStateException("subgroup " + groupId + "/" + subgroupId + " is closed");
            }
            final UnsafeBuffer scratch = session.scratch();
            final int propertiesLength = properties == null ? 0 : properties.length;
            final UnsafeBuffer props = propertiesLength == 0 ? null : new UnsafeBuffer(properties);
            final int n = encoder.writeObject(scratch, 0, objectId, status, props, 0, propertiesLength,
                payload.readableBytes());
            track.objectWritten(groupId, objectId);
            if (last)
            {
                closed = true;
            }
            if (streams.isEmpty())
            {
                return;
            }
            final ByteBuf header = session.alloc().directBuffer(n).writeBytes(scratch.byteArray(), 0, n);
            for (final OutStream stream : streams)
            {
                final ByteBuf object = payload.isReadable()
                    ? Unpooled.wrappedBuffer(2, header.retainedDuplicate(), payload.retainedDuplicate())
                    : header.retainedDuplicate();
                if (last)
                {
                    stream.finish(object);
                }
                else
                {
                    stream.write(object);
                }
            }
            header.release();
        }
        finally
        {
            payload.release();
        }
    }

    private void finish()
    {
        if (!closed)
        {
            closed = true;
            for (final OutStream stream : streams)
            {
                stream.finish();
            }
        }
    }
}
