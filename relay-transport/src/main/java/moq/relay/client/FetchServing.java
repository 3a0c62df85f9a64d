package moq.relay.client;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.session.PublisherDialect;
import moq.relay.session.request.ResponderSide;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.data.FetchStreamEncoder;
import moq.relay.wire.data.ObjectStatus;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A publishing client's answer to one standalone FETCH from its peer, from its {@link FetchSource}: FETCH_OK (or the
 * error), then one fetch stream with FETCH_HEADER, the source's entries and FIN. Its life is the {@link ResponderSide}
 * the relay's downstream fetches run ({@code DownstreamFetch}): the session's table ({@link ClientSession#servedFetches})
 * holds it from the FETCH until its stream is written, it is refused, or the peer cancels it (draft 14: FETCH_CANCEL;
 * drafts 18, 20: its request stream ends), which resets the fetch stream with CANCELLED, as the relay resets its own.
 * The FETCH is read, and its answers written, by the relay's dialect of the session's draft ({@link PublisherDialect}),
 * so the sessions only hand the message over and say how an answer is sent. Event loop.
 */
final class FetchServing
{
    /** How the session sends an answer to the FETCH; {@code last}: the request is over with it. */
    interface Answer
    {
        void send(ControlMessage answer, boolean last);
    }

    private final ClientSession session;
    private final long requestId;
    private final Answer answer;
    /** Runs once the fetch stream is written (or failed), not after a cancel. */
    private final Runnable written;
    private final ResponderSide side = new ResponderSide();
    /** The fetch stream, once open. */
    private QuicStreamChannel stream;

    /**
     * The peer's FETCH {@code requestId}, answered through {@code answer}; {@code written} runs once its stream is
     * written (drafts 18, 20: our side of the request stream then ends).
     */
    FetchServing(final ClientSession session, final long requestId, final Answer answer, final Runnable written)
    {
        this.session = session;
        this.requestId = requestId;
        this.answer = answer;
        this.written = written;
    }

    /**
     * Answers {@code fetch} ({@code null}: one this client does not serve, NOT_SUPPORTED) from {@code source}: refused
     * with EXCESSIVE_LOAD while the session serves as many requests as it may ({@link ClientSession#atRequestLimit},
     * as the relay refuses a request beyond {@code moq.relay.session.max.requests}), with DOES_NOT_EXIST when the source
     * has no such track, INVALID_RANGE when it has nothing in the range; else FETCH_OK and the fetch stream.
     */
    void serve(final PublisherDialect dialect, final FetchSource source, final PublisherDialect.PeerFetch fetch)
    {
        if (fetch == null || source == null)
        {
            refuse(dialect, RequestErrorCode.NOT_SUPPORTED, "this client serves no fetches");
            return;
        }
        if (session.atRequestLimit())
        {
            refuse(dialect, RequestErrorCode.EXCESSIVE_LOAD,
                ClientSession.refusalReason(RequestErrorCode.EXCESSIVE_LOAD));
            return;
        }
        if (session.servedFetches.putIfAbsent(requestId, this) != null)
        {
            refuse(dialect, RequestErrorCode.INTERNAL_ERROR, "request ID in use"); // as the relay's engine refuses it
            return;
        }
        final List<FetchSource.Item> items = source.items(fetch.track().namespace(), fetch.track().name(),
            fetch.start(), fetch.end());
        if (items == null || items.isEmpty())
        {
            refuse(dialect, items == null ? RequestErrorCode.DOES_NOT_EXIST : RequestErrorCode.INVALID_RANGE,
                "nothing to fetch");
            return;
        }
        if (side.accepted())
        {
            answer.send(dialect.fetchOk(requestId, false, end(items)), false);
            stream(items);
        }
    }

    /**
     * The peer cancelled the FETCH (FETCH_CANCEL, or its request stream ended): the request is freed and its stream, if
     * still being written, reset with CANCELLED (draft-14 §"FETCH_CANCEL", draft-18 §"Fetch State Management"); one
     * that opens later is reset at once. Nothing once the fetch ended.
     */
    void cancel()
    {
        if (leave() && stream != null && stream.isActive())
        {
            stream.shutdownOutput(ClientSession.CANCELLED);
        }
    }

    private void refuse(final PublisherDialect dialect, final RequestErrorCode code, final String reason)
    {
        if (leave())
        {
            answer.send(dialect.error(RequestKind.FETCH, requestId, code, reason), true);
        }
    }

    /** Ends the request ({@link ResponderSide#ended}) and frees its place in the session's table; false if it had ended. */
    private boolean leave()
    {
        if (!side.ended())
        {
            return false;
        }
        session.servedFetches.remove(requestId, this);
        return true;
    }

    /** The fetch stream was written (or failed): the request is over. */
    private void finished()
    {
        if (leave())
        {
            written.run();
        }
    }

    /** The FETCH_OK's end for {@code items}: the last object plus one. */
    private static Location end(final List<FetchSource.Item> items)
    {
        final FetchSource.Item last = items.get(items.size() - 1);
        return new Location(last.group(), last.objectId() + 1);
    }

    /** Opens the fetch stream and writes {@code items} and FIN, unless the FETCH was cancelled meanwhile. */
    private void stream(final List<FetchSource.Item> items)
    {
        final Draft draft = session.draft();
        session.opener().open(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter(), s ->
        {
            if (s == null)
            {
                finished(); // the session is closing
                return;
            }
            stream = s;
            if (!side.active())
            {
                s.shutdownOutput(ClientSession.CANCELLED); // cancelled before its stream opened
                return;
            }
            final FetchStreamEncoder encoder = new FetchStreamEncoder(draft);
            final UnsafeBuffer header = new UnsafeBuffer(new byte[FetchStreamEncoder.MAX_STREAM_HEADER_LENGTH]);
            final int h = encoder.writeHeader(draft, header, 0, requestId, false);
            s.write(session.alloc().directBuffer(h).writeBytes(header.byteArray(), 0, h));
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
                s.write(out);
            }
            s.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT)
                .addListener(f -> finished());
        });
    }
}
