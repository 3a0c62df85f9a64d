package moq.relay.transport.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development web server's routes (GET and HEAD only, every answer with {@code Access-Control-Allow-Origin: *}):
 * <ul>
 *   <li>{@code /fingerprint} and {@code /certificate.sha256}: the relay certificate's SHA-256 over its DER encoding,
 *   64 lower-case hex digits and nothing else. The second is moq-dev's path: {@code @moq/lite} and {@code @moq/net},
 *   given an {@code http://} relay URL, fetch it, pass the body untrimmed to their hex decoder (a trailing newline
 *   would break it) and connect to the {@code https://} URL pinning that hash;</li>
 *   <li>{@code /announced/PREFIX}: the published namespaces under PREFIX ("/"-separated fields), one per line;</li>
 *   <li>{@code /} and {@code /NAME}: the demo page and its assets, from the jar's {@code moq/relay/demo/}.</li>
 * </ul>
 * Anything else is 404.
 */
final class DevWebHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    static final String ASSETS = "moq/relay/demo/";
    /** One path segment of letters, digits, '-', '_' and '.', not starting with '.': no way out of ASSETS. */
    private static final Pattern ASSET_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*");
    private static final String ANNOUNCED = "/announced";
    /** Where moq-dev's browser libraries and relay look for the fingerprint (their {@code http://} URL mode). */
    private static final String CERTIFICATE_SHA256 = "/certificate.sha256";
    private static final Logger LOG = LoggerFactory.getLogger(DevWebHandler.class);

    private final String fingerprint;
    private final AnnouncedNamespaces announced;

    DevWebHandler(final String fingerprint, final AnnouncedNamespaces announced)
    {
        this.fingerprint = fingerprint;
        this.announced = announced;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final FullHttpResponse response;
        if (!request.decoderResult().isSuccess())
        {
            response = text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
        }
        else if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method()))
        {
            response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET or HEAD only\n");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        }
        else
        {
            response = route(new QueryStringDecoder(request.uri()).path());
        }
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (HttpMethod.HEAD.equals(request.method()))
        {
            response.content().clear();
        }
        final boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        HttpUtil.setKeepAlive(response, keepAlive);
        final var written = ctx.writeAndFlush(response);
        if (!keepAlive)
        {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse route(final String path)
    {
        if ("/fingerprint".equals(path) || CERTIFICATE_SHA256.equals(path))
        {
            return text(HttpResponseStatus.OK, fingerprint);
        }
        if (ANNOUNCED.equals(path) || path.startsWith(ANNOUNCED + "/"))
        {
            final List<String> prefix = new ArrayList<>();
            for (final String field : path.substring(ANNOUNCED.length()).split("/"))
            {
                if (!field.isEmpty())
                {
                    prefix.add(field);
                }
            }
            final StringBuilder body = new StringBuilder();
            for (final String namespace : announced.under(prefix))
            {
                body.append(namespace).append('\n');
            }
            return text(HttpResponseStatus.OK, body.toString());
        }
        final String name = "/".equals(path) ? "index.html" : path.substring(1);
        if (ASSET_NAME.matcher(name).matches())
        {
            final byte[] asset = asset(name);
            if (asset != null)
            {
                final FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(asset));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType(name));
                return response;
            }
        }
        return text(HttpResponseStatus.NOT_FOUND, "not found\n");
    }

    private static byte[] asset(final String name)
    {
        try (InputStream in = DevWebHandler.class.getClassLoader().getResourceAsStream(ASSETS + name))
        {
            return in == null ? null : in.readAllBytes();
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot read {}{}: {}", ASSETS, name, ex.toString());
            return null;
        }
    }

    private static String contentType(final String name)
    {
        final String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".html"))
        {
            return "text/html; charset=utf-8";
        }
        if (lower.endsWith(".js"))
        {
            return "text/javascript; charset=utf-8";
        }
        if (lower.endsWith(".css"))
        {
            return "text/css; charset=utf-8";
        }
        if (lower.endsWith(".map") || lower.endsWith(".json"))
        {
            return "application/json";
        }
        return "application/octet-stream";
    }

    private static FullHttpResponse text(final HttpResponseStatus status, final String body)
    {
        final ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        final FullHttpResponse response = new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return response;
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // A browser dropping a connection, or a failed TLS handshake: that connection only.
        LOG.debug("development web server connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
