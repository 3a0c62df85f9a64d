package moq.relay.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import java.util.ArrayList;
import java.util.List;
import moq.relay.wire.Draft;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupHeaderType;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One track the ceiling sender generates and pushes straight to its subscribers: per group one unidirectional stream
 * per subscriber (SUBGROUP_HEADER, the objects, End of Group, FIN). Each object's header is encoded once per draft and
 * joined with the payload into one composite buffer (no copy), shared by every subscriber's stream as a retained
 * duplicate: one stream write per object and subscriber, so one QUIC send, as the relay does (a header and a payload
 * written separately cost quiche a connection send and a UDP send each). Every subscriber of a track gets the same
 * track alias, so the stream header is encoded once too, and goes in front of the group's first object in the same
 * write (as the relay's does). Runs on the generator loop only.
 */
final class GeneratedTrack
{
    private static final int PRIORITY = 128;

    final TrackKey key;
    final long alias;
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final ByteBuf template;
    private final ByteBuf firstTemplate;
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final SubgroupStreamEncoder[] encoders = new SubgroupStreamEncoder[Draft.values().length];
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
    /** Drafts that have a stream in the current group (the others' encoders are idle until the next group). */
    private final boolean[] activeDrafts = new boolean[Draft.values().length];
    /** Per draft, the current group's SUBGROUP_HEADER until it goes out in front of the group's first object. */
    private final ByteBuf[] groupHeaders = new ByteBuf[Draft.values().length];
    private long sequence;

    /** A subscriber: its connection, draft and the stream of the current group. */
    static final class Subscriber
    {
        final QuicChannel connection;
        final Draft draft;
        CeilingStream stream;

        Subscriber(final QuicChannel connection, final Draft draft)
        {
            this.connection = connection;
            this.draft = draft;
        }
    }

    GeneratedTrack(final TrackKey key, final long alias, final EventLoop loop, final ByteBufAllocator alloc)
    {
        this.key = key;
        this.alias = alias;
        this.loop = loop;
        this.alloc = alloc;
        this.template = Payloads.template(key.spec().objectSize());
        this.firstTemplate = Payloads.template(key.spec().firstObjectSize());
        for (final Draft d : Draft.values())
        {
            encoders[d.ordinal()] = new SubgroupStreamEncoder(d);
        }
    }

    void add(final Subscriber s)
    {
        subscribers.add(s);
    }

    void removeConnection(final QuicChannel connection)
    {
        subscribers.removeIf(s -> s.connection == connection);
    }

    long published()
    {
        return sequence;
    }

    /** Whether every subscriber's current stream takes more now (rate 0 pacing). */
    boolean writable()
    {
        for (int i = 0; i < subscribers.size(); i++)
        {
            final CeilingStream s = subscribers.get(i).stream;
            if (s != null && !s.writable())
            {
                return false;
            }
        }
        return true;
    }

    /** Generates and sends the next object (opening the group's streams first, ending the group after its last). */
    void sendNext()
    {
        final int groupLength = key.spec().groupLength();
        final long group = sequence / groupLength;
        final long object = sequence % groupLength;
        if (object == 0)
        {
            openGroup(group);
        }
        final ByteBuf payload = Payloads.stamped(alloc, object == 0 ? firstTemplate : template);
        for (final Draft d : Draft.values())
        {
            if (!activeDrafts[d.ordinal()])
            {
                continue;
            }
            // The composite takes the headers' references and one of the payload's; each stream's duplicate holds
            // one of the composite's, so all are freed once the last subscriber's write has gone out.
            final ByteBuf objectHeader = encodeObject(d, object, ObjectStatus.NORMAL, payload.readableBytes());
            final ByteBuf groupHeader = groupHeaders[d.ordinal()];
            groupHeaders[d.ordinal()] = null;
            final ByteBuf headerAndPayload = groupHeader == null
                ? Unpooled.wrappedBuffer(2, objectHeader, payload.retain())
                : Unpooled.wrappedBuffer(3, groupHeader, objectHeader, payload.retain());
            for (int i = 0; i < subscribers.size(); i++)
            {
                final Subscriber s = subscribers.get(i);
                if (s.draft == d && s.stream != null)
                {
                    s.stream.write(headerAndPayload.retainedDuplicate());
                    s.stream.flush();
                }
            }
            headerAndPayload.release();
        }
        payload.release();
        sequence++;
        if (object == groupLength - 1)
        {
            endGroup(groupLength);
        }
    }

    /** Ends the current group early (when generation stops mid-group). */
    void finish()
    {
        final long inGroup = sequence % key.spec().groupLength();
        if (inGroup != 0)
        {
            endGroup(inGroup);
        }
        template.release();
        firstTemplate.release();
    }

    private void openGroup(final long group)
    {
        for (final Draft d : Draft.values())
        {
            ByteBuf header = null;
            for (int i = 0; i < subscribers.size(); i++)
            {
                final Subscriber s = subscribers.get(i);
                if (s.draft != d)
                {
                    continue;
                }
                if (header == null)
                {
                    final int type = SubgroupHeaderType.of(d, false, SubgroupHeaderType.MODE_ZERO, false, false,
                        false);
                    final int n = encoders[d.ordinal()].writeHeader(d, scratch, 0, type, alias, group, 0, PRIORITY);
                    header = alloc.directBuffer(n).writeBytes(scratch.byteArray(), 0, n);
                }
                s.stream = new CeilingStream(s.connection, loop);
            }
            activeDrafts[d.ordinal()] = header != null;
            // Sent in front of the group's first object, in the same write (as the relay does).
            groupHeaders[d.ordinal()] = header;
        }
    }

    private void endGroup(final long endObjectId)
    {
        for (final Draft d : Draft.values())
        {
            if (!activeDrafts[d.ordinal()])
            {
                continue;
            }
            activeDrafts[d.ordinal()] = false;
            final ByteBuf header = encodeObject(d, endObjectId, ObjectStatus.END_OF_GROUP, 0);
            for (int i = 0; i < subscribers.size(); i++)
            {
                final Subscriber s = subscribers.get(i);
                if (s.draft == d && s.stream != null)
                {
                    s.stream.finish(header.retainedDuplicate());
                    s.stream = null;
                }
            }
            header.release();
        }
    }

    private ByteBuf encodeObject(final Draft d, final long objectId, final long status, final int payloadLength)
    {
        final int n = encoders[d.ordinal()].writeObject(scratch, 0, objectId, status, null, 0, 0, payloadLength);
        return alloc.directBuffer(n).writeBytes(scratch.byteArray(), 0, n);
    }
}
