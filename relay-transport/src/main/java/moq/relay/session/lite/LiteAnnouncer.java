package moq.relay.session.lite;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.netty.util.concurrent.ScheduledFuture;
import moq.relay.auth.Action;
import moq.relay.auth.AuthRequest;
import moq.relay.auth.Grant;
import moq.relay.engine.NamespaceListener;
import moq.relay.engine.RequestCallback;
import moq.relay.engine.RequestErrorCode;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.Announce;
import moq.relay.wire.lite.AnnounceOk;
import moq.relay.wire.lite.AnnouncePlease;
import moq.relay.wire.lite.AnnounceStatus;
import moq.relay.wire.lite.LiteMessage;
import moq.relay.wire.lite.LiteMessageSink;
import moq.relay.wire.lite.LitePaths;
import moq.relay.wire.lite.LiteStreamSide;

/**
 * A moq-lite subscriber's Announce Stream: ANNOUNCE_PLEASE(prefix) becomes an engine namespace subscription
 * (SUBSCRIBE_NAMESPACE of the prefix's namespace), and each namespace the engine reports, published by any other
 * session (MoQT or moq-lite; never this session's own), is sent as ANNOUNCE active / ended with its path relative to
 * the prefix. The relay is the one hop it knows of: one hop (lite-03: the count 1; lite-04: this session's origin id;
 * lite-05: ANNOUNCE_OK names the session's origin first, the implicit last hop, and the ANNOUNCEs carry no hop).
 * Namespaces without a broadcast path ({@link LitePaths#toPath}) are not announced; at most
 * {@link LiteSettings#maxBroadcasts()} are active on one stream (others are left out). The subscriber's FIN or reset
 * ends the engine subscription. Authorization: ANNOUNCE_PLEASE is a SUBSCRIBE_NAMESPACE of its prefix (refused: the
 * stream is reset with the request error code), and only namespaces its grant reveals are announced; when the grant
 * expires the stream is reset with EXPIRED_AUTH_TOKEN. Event-loop confined (engine callbacks hop to the loop).
 */
final class LiteAnnouncer implements LiteMessageSink, NamespaceListener, RequestCallback
{
    private final LiteSession session;
    private final QuicStreamChannel stream;
    private final Set<String> active = new HashSet<>();
    private long requestId = -1;
    private boolean ended;
    /** What the session's authorization revealed to this stream (set before the engine subscription). */
    private Grant grant;
    private TrackNamespace prefix;
    /** The subscriber's Exclude Hop (lite-04+): broadcasts whose hop chain names it are not announced; 0 none. */
    private long excludeHop;
    private ScheduledFuture<?> expiry;

    LiteAnnouncer(final LiteSession session, final QuicStreamChannel stream)
    {
        this.session = session;
        this.stream = stream;
    }

    void install()
    {
        stream.pipeline().addLast(session.reader(stream, LiteStreamSide.ANNOUNCE, this, this::streamClosed));
    }

    @Override
    public void onMessage(final LiteMessage message)
    {
        final AnnouncePlease please = (AnnouncePlease)message; // the side's only message
        final TrackNamespace prefix = LitePaths.toNamespace(please.prefix());
        if (prefix == null)
        {
            ended = true;
            session.transport.resetStream(stream, RequestErrorCode.NAMESPACE_TOO_LARGE.code());
            return;
        }
        grant = session.auth.authorize(AuthRequest.of(Action.SUBSCRIBE_NAMESPACE, prefix, null), List.of(),
            (code, reason) -> reset(code));
        if (grant == null)
        {
            return;
        }
        this.prefix = prefix;
        this.excludeHop = please.excludeHop();
        expiry = session.auth.atExpiry(grant, () ->
        {
            if (!ended && !session.closed)
            {
                end();
                reset(RequestErrorCode.EXPIRED_AUTH_TOKEN);
            }
        });
        if (session.version.announceOk())
        {
            // lite-05: the relay's origin is the implicit last hop of every ANNOUNCE; no initial set is counted (the
            // engine reports the namespaces it has as live changes).
            session.send(stream, new AnnounceOk(session.origin, 0));
        }
        requestId = session.nextEngineRequestId();
        session.engine.subscribeNamespace(requestId, prefix, this, this);
    }

    @Override
    public void ok()
    {
    }

    @Override
    public void error(final RequestErrorCode code, final String reason)
    {
        session.transport.eventLoop().execute(() ->
        {
            if (!ended)
            {
                ended = true;
                session.transport.resetStream(stream, code.code());
            }
        });
    }

    @Override
    public void namespace(final TrackNamespace suffix)
    {
        session.transport.eventLoop().execute(() -> announce(suffix, true));
    }

    @Override
    public void namespaceDone(final TrackNamespace suffix)
    {
        session.transport.eventLoop().execute(() -> announce(suffix, false));
    }

    private void announce(final TrackNamespace suffix, final boolean isActive)
    {
        final String path = LitePaths.toPath(suffix);
        if (ended || path == null || !grant.reveals(prefix.append(suffix)))
        {
            return;
        }
        // The hops before the relay: a moq-lite publisher's chain (LiteHops), none for a MoQT publisher's namespace.
        final List<Long> chain = isActive ? session.hops.of(prefix.append(suffix)) : List.of();
        if (isActive)
        {
            if (excluded(chain) || active.size() >= session.settings.maxBroadcasts() || !active.add(path))
            {
                return;
            }
        }
        else if (!active.remove(path))
        {
            return;
        }
        final AnnounceStatus status = isActive ? AnnounceStatus.ACTIVE : AnnounceStatus.ENDED;
        session.send(stream, session.version.announceOk() ? new Announce(status, path, chain) :
            session.version.hopIds() ? new Announce(status, path, withOrigin(chain)) :
            Announce.of(status, path, chain.size() + 1));
    }

    /**
     * Whether the broadcast with hop chain {@code chain} is not announced on this stream: the subscriber's Exclude Hop
     * names one of its hops or the relay's own (lite-05 text: "including the publisher's own Hop ID from
     * ANNOUNCE_OK"; a relay excludes itself to avoid routing loops), or the chain with the relay's hop would exceed
     * the 32 hops moq-lite carries.
     */
    private boolean excluded(final List<Long> chain)
    {
        return chain.size() + 1 > moq.relay.wire.lite.LiteLimits.MAX_HOPS ||
            excludeHop != 0 && (excludeHop == session.origin || chain.contains(excludeHop));
    }

    /** lite-04: the chain, then the relay's own hop (lite-05 names it once, in ANNOUNCE_OK). */
    private List<Long> withOrigin(final List<Long> chain)
    {
        if (chain.isEmpty())
        {
            return List.of(session.origin);
        }
        final java.util.ArrayList<Long> c = new java.util.ArrayList<>(chain);
        c.add(session.origin);
        return c;
    }

    /** The subscriber FINed its side: no more announcements. */
    @Override
    public void onEnd()
    {
        if (!ended)
        {
            end();
            stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true), stream.voidPromise());
        }
    }

    private void streamClosed()
    {
        if (!ended)
        {
            end();
        }
    }

    private void reset(final RequestErrorCode code)
    {
        ended = true;
        session.transport.resetStream(stream, code.code());
    }

    private void end()
    {
        ended = true;
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
