package moq.relay.client;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.session.PublisherDialect;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.data.FetchStreamEncoder;
import moq.relay.wire.data.ObjectStatus;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A publishing client's answer to a standalone FETCH from its peer, from its {@link FetchSource}: FETCH_OK (or the
 * error), then one fetch stream with FETCH_HEADER, the source's entries and FIN. The FETCH is read, and its answers
 * written, by the relay's dialect of the session's draft ({@link PublisherDialect}), so the sessions only hand the
 * message over and say how an answer is sent. Event loop.
 */
final class FetchServing
{
    /** How the session sends an answer to the FETCH; {@code last}: the request is over with it. */
    interface Answer
    {
        void send(ControlMessage answer, boolean last);
    }

    private FetchServing()
    {
    }

    /**
     * Answers {@code fetch} from {@code source}: the error when the source has no such track (DOES_NOT_EXIST) or
     * nothing in the range (INVALID_RANGE), else FETCH_OK and the fetch stream; {@code written} runs once the stream is
     * written (or failed).
     */
    static void serve(final ClientSession session, final PublisherDialect dialect, final FetchSource source,
        final PublisherDialect.PeerFetch fetch, final Answer answer, final Runnable written)
    {
        final List<FetchSource.Item> items = source.items(fetch.track().namespace(), fetch.track().name(),
            fetch.start(), fetch.end());
        if (items == null || items.isEmpty())
        {
            answer.send(dialect.error(RequestKind.FETCH, fetch.requestId(), items == null ?
                RequestErrorCode.DOES_NOT_EXIST : RequestErrorCode.INVALID_RANGE, "nothing to fetch"), true);
            return;
        }
        answer.send(dialect.fetchOk(fetch.requestId(), false, end(items)), false);
        stream(session, fetch.requestId(), items, written);
    }

    /** The FETCH_OK's end for {@code items}: the last object plus one. */
    private static Location end(final List<FetchSource.Item> items)
    {
        final FetchSource.Item last = items.get(items.size() - 1);
        return new Location(last.group(), last.objectId() + 1);
    }

    /** Opens the fetch stream and writes {@code items} and FIN; {@code done} runs once it is written (or failed). */
    private static void stream(final ClientSession session, final long requestId, final List<FetchSource.Item> items,
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
