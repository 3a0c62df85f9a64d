package moq.relay.session.lite;

import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import moq.relay.auth.Action;
import moq.relay.auth.AuthRequest;
import moq.relay.auth.Grant;
import moq.relay.engine.FetchCallback;
import moq.relay.engine.FetchRequest;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.fanout.StreamResetCode;
import moq.relay.session.egress.LiteFetchWriter;
import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.Fetch;
import moq.relay.wire.lite.LiteMessage;
import moq.relay.wire.lite.LiteMessageSink;
import moq.relay.wire.lite.LitePaths;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteTimestamps;

/**
 * A moq-lite subscriber's Fetch Streams (moq-lite-03 §"Fetch", every version): FETCH(broadcast, track, priority,
 * group) is the engine's standalone FETCH of that whole group, served like a MoQT FETCH (from the cache, or asked of
 * a MoQT publisher that serves FETCH when the cache lacks it), the subscriber priority 255 - p; its frames go back on
 * the same stream ({@link LiteFetchWriter}), FIN after the last. Refusals reset the stream with the request error code
 * (DOES_NOT_EXIST 0x10 for a broadcast path with no namespace or an unknown track, UNAUTHORIZED without the session's
 * grant to FETCH); a group the cache does not hold from its start is reset with DOES_NOT_EXIST too. The subscriber's
 * reset cancels the fetch; a grant's expiry resets the stream with EXPIRED_AUTH_TOKEN. Event-loop confined.
 */
final class LiteFetches
{
    private final LiteSession session;
    private final Set<Request> live = new HashSet<>();

    LiteFetches(final LiteSession session)
    {
        this.session = session;
    }

    void accept(final QuicStreamChannel stream)
    {
        final Request r = new Request(stream);
        stream.pipeline().addLast(session.reader(stream, LiteStreamSide.FETCH, r, r::streamClosed));
    }

    void closeAll()
    {
        for (final Request r : new ArrayList<>(live))
        {
            r.end(StreamResetCode.CANCELLED.code());
        }
        live.clear();
    }

    /** One Fetch Stream. */
    private final class Request implements LiteMessageSink
    {
        private final QuicStreamChannel stream;
        private long requestId = -1;
        private LiteFetchWriter writer;
        private ScheduledFuture<?> expiry;
        private boolean ended;

        Request(final QuicStreamChannel stream)
        {
            this.stream = stream;
        }

        @Override
        public void onMessage(final LiteMessage message)
        {
            final Fetch f = (Fetch)message; // the side's only message
            final TrackNamespace namespace = LitePaths.toNamespace(f.broadcast());
            if (namespace == null)
            {
                refuse(RequestErrorCode.DOES_NOT_EXIST);
                return;
            }
            final FullTrackName track = new FullTrackName(namespace, Bytes.utf8(f.track()));
            final Grant grant = session.auth.authorize(AuthRequest.of(Action.FETCH, namespace, track.name()),
                List.of(), (code, reason) -> refuse(code));
            if (grant == null)
            {
                return;
            }
            live.add(this);
            expiry = session.auth.atExpiry(grant, () ->
            {
                if (!ended && !session.closed)
                {
                    end(RequestErrorCode.EXPIRED_AUTH_TOKEN.code());
                }
            });
            requestId = session.nextEngineRequestId();
            writer = new LiteFetchWriter(session.transport, session.engine.egressLoop(), session.version, stream,
                complete -> release());
            final Location group = new Location(f.group(), 0); // end (g, 0): the whole group g
            session.engine.fetch(requestId, new FetchRequest(FetchRequest.Type.STANDALONE, track, group, group, -1, 0,
                255 - f.priority(), GroupOrder.ASCENDING), writer, new FetchCallback()
                {
                    @Override
                    public void ok(final boolean endOfTrack, final Location endLocation,
                        final List<KeyValuePair> trackProperties)
                    {
                        session.transport.eventLoop().execute(() ->
                        {
                            if (!ended)
                            {
                                writer.start(LiteTimestamps.timescale(trackProperties));
                            }
                        });
                    }

                    @Override
                    public void error(final RequestErrorCode code, final String reason)
                    {
                        session.transport.eventLoop().execute(() ->
                        {
                            if (!ended)
                            {
                                release();
                                refuse(code);
                            }
                        });
                    }
                });
        }

        @Override
        public void onEnd()
        {
            // The subscriber FINed its side after FETCH: the reply goes on.
        }

        private void refuse(final RequestErrorCode code)
        {
            ended = true;
            session.transport.resetStream(stream, code.code());
        }

        /** The stream is gone (the subscriber reset it, or both sides ended): cancel what still runs. */
        void streamClosed()
        {
            if (!ended)
            {
                end(StreamResetCode.CANCELLED.code());
            }
        }

        /** Ends the fetch early: its stream reset with {@code code}. */
        void end(final long code)
        {
            if (writer != null)
            {
                writer.cancel(code);
            }
            release();
        }

        /** The fetch is over (its FIN or reset, or ended early): released in the engine. */
        private void release()
        {
            if (ended && !live.contains(this))
            {
                return;
            }
            ended = true;
            live.remove(this);
            if (expiry != null)
            {
                expiry.cancel(false);
            }
            if (requestId >= 0 && !session.closed)
            {
                session.engine.cancel(requestId);
            }
        }
    }
}
