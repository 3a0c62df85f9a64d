package moq.relay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicException;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of one HTTP/3 request stream: an Extended CONNECT (RFC 9220) for WebTransport is checked and
 * answered 200 without FIN, and the stream then carries the session's capsules (draft-ietf-webtrans-http3-16 3.2);
 * anything else is answered with an error status. The stream's end, either way, ends the session (6).
 */
final class ConnectStreamHandler extends Http3RequestStreamInboundHandler implements CapsuleDecoder.Listener
{
    /** Added by netty to every request stream; {@code @Sharable}, it creates the per-stream handler. */
    @ChannelHandler.Sharable
    static final class Initializer extends ChannelInitializer<QuicStreamChannel>
    {
        static final Initializer INSTANCE = new Initializer();

        @Override
        protected void initChannel(final QuicStreamChannel stream)
        {
            stream.pipeline().addLast(new ConnectStreamHandler(WebTransportConnection.of(stream.parent())));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger("moq.relay.webtransport");
    private static final String DRAFT02_REQUEST_HEADER = "sec-webtransport-http3-draft02";
    private static final String DRAFT02_RESPONSE_HEADER = "sec-webtransport-http3-draft";
    private static final String AVAILABLE_PROTOCOLS_HEADER = "wt-available-protocols";
    private static final String PROTOCOL_HEADER = "wt-protocol";

    private final WebTransportConnection connection;
    private Http3WebTransportSession session;
    private CapsuleDecoder capsules;
    private boolean headersSeen;
    private boolean closeReceived;
    private long peerCloseCode;
    private String peerCloseReason = "";

    ConnectStreamHandler(final WebTransportConnection connection)
    {
        this.connection = connection;
    }

    @Override
    protected void channelRead(final ChannelHandlerContext ctx, final Http3HeadersFrame frame)
    {
        if (headersSeen)
        {
            return; // trailers: nothing in WebTransport uses them
        }
        headersSeen = true;
        final Http3Headers request = frame.headers();
        if (!connection.whenPeerSettingsKnown(() ->
        {
            if (ctx.channel().isActive())
            {
                handleRequest(ctx, request);
            }
        }))
        {
            respond(ctx, request, 429, "too_many_early_connects");
        }
    }

    private void handleRequest(final ChannelHandlerContext ctx, final Http3Headers request)
    {
        final QuicStreamChannel stream = (QuicStreamChannel)ctx.channel();
        final WebTransportSettings settings = connection.settings();
        final CharSequence path = request.path();
        final CharSequence protocol = request.protocol();
        final CharSequence origin = request.get("origin");
        final int status;
        final String reason;
        if (path == null || !served(settings.path(), pathWithoutQuery(path)))
        {
            status = 404;
            reason = "path";
        }
        else if (!"CONNECT".contentEquals(request.method() == null ? "" : request.method()) || protocol == null ||
            !("webtransport".contentEquals(protocol) || "webtransport-h3".contentEquals(protocol)))
        {
            status = 405;
            reason = "not_webtransport";
        }
        else if (!settings.originAllowed(origin))
        {
            status = 403;
            reason = "origin";
        }
        else if (!connection.acceptsSessions())
        {
            status = 429;
            reason = "session_limit";
        }
        else
        {
            accept(ctx, stream, request, path, origin);
            return;
        }
        respond(ctx, request, status, reason);
    }

    /**
     * The relay's path, or a sub-path below it (its segments are the session's connection path, which an
     * authorization token may be scoped to: {@code /moq/room/123?jwt=...}, docs/auth.md).
     */
    static boolean served(final String mount, final CharSequence requested)
    {
        final String r = requested.toString();
        return r.equals(mount) || (r.startsWith(mount) && (mount.endsWith("/") || r.charAt(mount.length()) == '/'));
    }

    /** Refuses the request with {@code status} and FIN; {@code reason} is the metrics label. */
    private void respond(final ChannelHandlerContext ctx, final Http3Headers request, final int status,
        final String reason)
    {
        LOG.info("refused {} {} from {} origin {}: {}", request.method(),
            request.path() == null ? null : pathWithoutQuery(request.path()), connection.peerAddress(),
            request.get("origin"), status);
        final Http3Headers response = new DefaultHttp3Headers().status(Integer.toString(status));
        ctx.writeAndFlush(new DefaultHttp3HeadersFrame(response)).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        connection.sessionRefused(((QuicStreamChannel)ctx.channel()).streamId(), reason);
    }

    private void accept(final ChannelHandlerContext ctx, final QuicStreamChannel stream, final Http3Headers request,
        final CharSequence path, final CharSequence origin)
    {
        final WebTransportSettings settings = connection.settings();
        final String chosen = ProtocolNegotiation.choose(settings.protocols(),
            request.get(AVAILABLE_PROTOCOLS_HEADER));
        final Http3Headers response = new DefaultHttp3Headers().status("200");
        if (request.contains(DRAFT02_REQUEST_HEADER))
        {
            response.set(DRAFT02_RESPONSE_HEADER, "draft02");
        }
        if (chosen != null)
        {
            response.set(PROTOCOL_HEADER, StructuredFields.serializeString(chosen));
        }
        // No FIN: the open CONNECT stream is the session (draft-16 3.2).
        ctx.writeAndFlush(new DefaultHttp3HeadersFrame(response));
        session = new Http3WebTransportSession(connection, stream, path.toString(),
            request.authority() == null ? "" : request.authority().toString(),
            origin == null ? null : origin.toString(), chosen);
        capsules = new CapsuleDecoder(settings.maxCapsuleSize(), this);
        // The query is not logged: it may carry a token (?jwt=).
        LOG.info("session {} {} from {} origin {} protocol {}", stream.streamId(), pathWithoutQuery(path),
            connection.peerAddress(),
            origin, chosen);
        connection.sessionAccepted(session);
    }

    @Override
    protected void channelRead(final ChannelHandlerContext ctx, final Http3DataFrame frame)
    {
        final ByteBuf content = frame.content();
        if (session == null || (session.isClosed() && !closeReceived))
        {
            content.release();
            return;
        }
        if (closeReceived)
        {
            // Draft-16 6: stream data after WT_CLOSE_SESSION.
            content.release();
            StreamResets.abort((QuicStreamChannel)ctx.channel(), WebTransportErrorCodes.H3_MESSAGE_ERROR);
            return;
        }
        capsules.feed(ctx.alloc(), content);
    }

    @Override
    public void capsule(final long type, final ByteBuf payload)
    {
        if (type == Capsules.WT_CLOSE_SESSION)
        {
            final String reason = payload.readableBytes() >= 4 ? Capsules.closeMessage(payload.skipBytes(4)) : null;
            if (reason == null)
            {
                session.abort(WebTransportErrorCodes.H3_MESSAGE_ERROR, "malformed WT_CLOSE_SESSION capsule");
                capsules.release();
                return;
            }
            closeReceived = true;
            peerCloseCode = payload.getUnsignedInt(payload.readerIndex() - 4);
            peerCloseReason = reason;
            capsules.release();
            session.closedByPeer(peerCloseCode, peerCloseReason);
        }
        else if (type == Capsules.WT_DRAIN_SESSION)
        {
            session.drainRequested();
        }
        // Other capsules (flow control of later drafts, DATAGRAM capsules) are ignored (RFC 9297 3.2).
    }

    @Override
    public void capsuleTooLarge(final long type, final long length)
    {
        session.abort(WebTransportErrorCodes.H3_EXCESSIVE_LOAD,
            "capsule 0x" + Long.toHexString(type) + " of " + length + " bytes exceeds the limit");
        capsules.release();
    }

    @Override
    protected void channelInputClosed(final ChannelHandlerContext ctx)
    {
        if (session == null)
        {
            return;
        }
        if (capsules.hasPartialCapsule() && !closeReceived)
        {
            session.abort(WebTransportErrorCodes.H3_MESSAGE_ERROR, "CONNECT stream ended inside a capsule");
            return;
        }
        // Draft-16 6: a clean FIN without WT_CLOSE_SESSION means code 0 and an empty message.
        session.closedByPeer(peerCloseCode, peerCloseReason);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (session != null)
        {
            session.terminate(closeReceived ? peerCloseCode : 0,
                closeReceived ? peerCloseReason : "CONNECT stream closed");
            capsules.release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    protected void handleQuicException(final ChannelHandlerContext ctx, final QuicException exception)
    {
        if (session != null)
        {
            session.terminate(0, "CONNECT stream reset: " + exception.getMessage());
        }
        ctx.close();
    }

    @Override
    protected void handleHttp3Exception(final ChannelHandlerContext ctx, final Http3Exception exception)
    {
        LOG.info("HTTP/3 error on request stream of {}: {}", connection.peerAddress(), exception.getMessage());
        if (session != null)
        {
            session.abort(exception.errorCode().code(), "HTTP/3 error: " + exception.getMessage());
        }
        ctx.close();
    }

    private static CharSequence pathWithoutQuery(final CharSequence path)
    {
        for (int i = 0; i < path.length(); i++)
        {
            if (path.charAt(i) == '?')
            {
                return path.subSequence(0, i);
            }
        }
        return path;
    }
}
