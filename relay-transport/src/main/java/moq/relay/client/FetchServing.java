package moq.relay.client;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.FetchStreamEncoder;
import moq.relay.wire.data.ObjectStatus;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A publishing client's answer to a standalone FETCH from its peer, from its {@link FetchSource}: FETCH_OK (or the
 * error), then one fetch stream with FETCH_HEADER, the source's entries and FIN. Every draft's FETCH and answers are
 * read and built here, so the sessions only hand the message over. Event loop.
 */
final class FetchServing
{
    /** A FETCH as the source is asked: its track and range (end in draft 18's encoding). */
    record Request(long requestId, TrackNamespace namespace, Bytes name, Location start, Location end)
    {
    }

    private FetchServing()
    {
    }

    /** The standalone FETCH {@code m} is, or null (another message, or a joining FETCH). */
    static Request request(final ControlMessage m)
    {
        if (m instanceof moq.relay.wire.d18.Fetch f && f.standalone() != null)
        {
            return new Request(f.requestId(), f.standalone().namespace(), f.standalone().trackName(),
                f.standalone().start(), f.standalone().end());
        }
        if (m instanceof moq.relay.wire.d14.Fetch f && f.standalone() != null)
        {
            return new Request(f.requestId(), f.standalone().trackNamespace(), f.standalone().trackName(),
                f.standalone().start(), f.standalone().end());
        }
        if (m instanceof moq.relay.wire.d20.Fetch f)
        {
            final moq.relay.wire.d20.LocationFilter r = f.range();
            if (r.kind() != moq.relay.wire.d20.LocationFilter.Kind.ABSOLUTE || !r.hasEnd())
            {
                return null;
            }
            return new Request(f.requestId(), f.namespace(), f.trackName(), new Location(r.startGroup(),
                r.startObject()), r.hasEndObject() ? new Location(r.endGroup(), r.endObject() + 1) :
                new Location(r.endGroup(), 0));
        }
        return null;
    }

    /** FETCH_OK of {@code draft} with {@code end} in draft 18's encoding. */
    static ControlMessage fetchOk(final Draft draft, final long requestId, final Location end)
    {
        if (draft.atLeast(20))
        {
            return new moq.relay.wire.d20.FetchOk(false, new Location(end.group(), end.object() - 1),
                moq.relay.wire.d20.MessageParameters.of(), moq.relay.wire.param.Properties.EMPTY);
        }
        if (draft.atLeast(18))
        {
            return new moq.relay.wire.d18.FetchOk(false, end, moq.relay.wire.d18.MessageParameters.of(),
                moq.relay.wire.param.Properties.EMPTY);
        }
        return new moq.relay.wire.d14.FetchOk(requestId, moq.relay.wire.d14.GroupOrder.ASCENDING, false, end,
            moq.relay.wire.d14.MessageParameters.EMPTY);
    }

    /** The FETCH_OK's end for {@code items}: the last object plus one. */
    static Location end(final List<FetchSource.Item> items)
    {
        final FetchSource.Item last = items.get(items.size() - 1);
        return new Location(last.group(), last.objectId() + 1);
    }

    /** Opens the fetch stream and writes {@code items} and FIN; {@code done} runs once it is written (or failed). */
    static void stream(final ClientSession session, final long requestId, final List<FetchSource.Item> items,
        final Runnable done)
    {
        final Draft draft = session.draft();
        session.opener().open(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter(), stream ->
        {
            final FetchStreamEncoder encoder = new FetchStreamEncoder(draft);
            final UnsafeBuffer header = new UnsafeBuffer(new byte[FetchStreamEncoder.MAX_STREAM_HEADER_LENGTH]);
            final int h = encoder.writeHeader(draft, header, 0, requestId, false);
            stream.write(session.alloc().directBuffer(h).writeBytes(header.byteArray(), 0, h));
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[FetchStreamEncoder.maxObjectHeaderLength(0)]);
            for (final FetchSource.Item item : items)
            {
                final int n;
                if (item.nonExistentUpTo())
                {
                    if (!draft.atLeast(18))
                    {
                        continue;
                    }
                    n = encoder.writeEndOfRange(scratch, 0, item.group(), item.objectId(), false);
                }
                else
                {
                    n = encoder.writeObject(scratch, 0, item.group(), item.subgroup(), false, item.objectId(),
                        item.publisherPriority(), ObjectStatus.NORMAL, null, 0, 0, item.payload().length);
                }
                final ByteBuf out = session.alloc().directBuffer(n + item.payload().length);
                out.writeBytes(scratch.byteArray(), 0, n);
                if (!item.nonExistentUpTo())
                {
                    out.writeBytes(item.payload());
                }
                stream.write(out);
            }
            stream.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT)
                .addListener(f -> done.run());
        });
    }
}
