package moq.relay.transport.webtransport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.DefaultAttributeMap;
import io.netty.util.ReferenceCountUtil;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.FuzzSeedCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link WtStreamHeaderDecoder}, the first handler of a peer-opened stream, on an embedded channel in front of
 * a real {@link WebTransportConnection} (over a stand-in QUIC connection that only records a connection close).
 * Input: one flags byte (bit 0: a bidirectional stream, whose first varint may be the WT_STREAM signal; bit 1: FIN
 * after the bytes; the rest seeds a random split), then the stream's bytes. Fed whole, one byte at a time and in a
 * random split, the outcome must be what a plain reading of the header says: an HTTP/3 request stream gets every
 * byte passed on untouched; a WebTransport stream names its session (one not client-initiated bidirectional closes
 * the connection with H3_ID_ERROR, others wait for the session); FIN inside the header closes the stream. Nothing
 * may throw, and every buffer is released once the stream closes. Seeds: headers of both stream kinds.
 */
class WtStreamHeaderDecoderFuzzTest
{
    private static final WebTransportSettings SETTINGS = new WebTransportSettings("/moq", List.of("*"), List.of(), 4,
        RelayConfiguration.WEBTRANSPORT_MAX_BUFFERED_STREAMS_DEFAULT, 16, 65536, 16);

    static
    {
        // The connection logs every connection close at INFO: once per fuzzed input would drown the run's output.
        ((ch.qos.logback.classic.Logger)org.slf4j.LoggerFactory.getLogger("moq.relay.webtransport"))
            .setLevel(ch.qos.logback.classic.Level.WARN);
    }

    @FuzzTest(maxDuration = "10s")
    void streamHeader(final byte[] input)
    {
        if (input.length == 0)
        {
            return;
        }
        final int flags = input[0] & 0xFF;
        final boolean bidirectional = (flags & 1) != 0;
        final boolean fin = (flags & 2) != 0;
        final byte[] data = Arrays.copyOfRange(input, 1, input.length);
        final String expected = model(data, bidirectional, fin);

        final int[] everyByte = new int[Math.max(0, data.length - 1)];
        Arrays.setAll(everyByte, i -> i + 1);
        final Random random = new Random(flags >>> 2);
        final int[] someCuts = data.length < 2 ? new int[0] :
            random.ints(1 + random.nextInt(Math.min(16, data.length - 1)), 1, data.length).sorted().distinct().toArray();
        for (final int[] cuts : new int[][] {new int[0], everyByte, someCuts})
        {
            assertThat(decode(data, cuts, bidirectional, fin)).isEqualTo(expected);
        }
    }

    private static String decode(final byte[] data, final int[] cuts, final boolean bidirectional, final boolean fin)
    {
        final long[] connectionClose = {-1};
        final WebTransportConnection connection = new WebTransportConnection(quicConnection(connectionClose), SETTINGS,
            null);
        final WtStreamHeaderDecoder decoder = new WtStreamHeaderDecoder(connection, bidirectional);
        final Http3Stand_in http3 = new Http3Stand_in();
        final EmbeddedChannel stream = new EmbeddedChannel(decoder, http3);
        final List<ByteBuf> fed = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length && stream.isOpen(); i++)
        {
            final int to = i < cuts.length ? cuts[i] : data.length;
            // Not Unpooled.copiedBuffer: for no bytes it returns the shared EMPTY_BUFFER, which release() leaves at 1.
            final ByteBuf chunk = Unpooled.buffer(to - from).writeBytes(data, from, to - from);
            fed.add(chunk);
            stream.writeInbound(chunk);
            from = to;
        }
        if (fin && stream.isOpen())
        {
            stream.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
        final String outcome = outcome(decoder.sessionId(), http3.received.toByteArray(), connectionClose[0],
            !stream.isOpen(), !stream.config().isAutoRead());
        stream.finishAndReleaseAll();
        stream.close();
        for (final ByteBuf chunk : fed)
        {
            assertThat(chunk.refCnt()).as("a fed buffer leaked").isZero();
        }
        return outcome;
    }

    /** What a plain reading of draft-ietf-webtrans-http3-16 4.2 / 4.3 says the stream's bytes mean. */
    private static String model(final byte[] data, final boolean bidirectional, final boolean fin)
    {
        int position = 0;
        if (bidirectional)
        {
            final long[] signal = varint(data, 0);
            if (signal == null)
            {
                return outcome(-1, new byte[0], -1, fin, false);
            }
            if (signal[0] != WtStreamHeaderDecoder.WT_STREAM_SIGNAL)
            {
                return outcome(-1, data, -1, false, false);
            }
            position = (int)signal[1];
        }
        final long[] session = varint(data, position);
        if (session == null)
        {
            return outcome(-1, new byte[0], -1, fin, false);
        }
        if ((session[0] & 3) != 0)
        {
            return outcome(session[0], new byte[0], WebTransportErrorCodes.H3_ID_ERROR, false, false);
        }
        return outcome(session[0], new byte[0], -1, false, true);
    }

    private static String outcome(final long sessionId, final byte[] passedOn, final long connectionClose,
        final boolean streamClosed, final boolean parked)
    {
        return "session=" + sessionId + " passed on=" + HexFormat.of().formatHex(passedOn) +
            " connection close=" + connectionClose + " stream closed=" + streamClosed + " parked=" + parked;
    }

    /** {value, next position}, or null when the QUIC varint at {@code position} is incomplete. */
    private static long[] varint(final byte[] data, final int position)
    {
        if (position >= data.length)
        {
            return null;
        }
        final int size = 1 << ((data[position] & 0xFF) >>> 6);
        if (data.length - position < size)
        {
            return null;
        }
        long value = data[position] & 0x3F;
        for (int i = 1; i < size; i++)
        {
            value = (value << 8) | (data[position + i] & 0xFF);
        }
        return new long[] {value, position + size};
    }

    /** Stands in for the HTTP/3 request stream handlers behind the decoder: keeps the bytes it is given. */
    private static final class Http3Stand_in extends ChannelInboundHandlerAdapter
    {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf buf = (ByteBuf)msg;
            final byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            received.writeBytes(bytes);
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * A QUIC connection that holds attributes and records {@code close(applicationClose, code, reason)}; anything
     * else the decoder's paths were not expected to use fails the run.
     */
    private static QuicChannel quicConnection(final long[] closeCode)
    {
        final DefaultAttributeMap attributes = new DefaultAttributeMap();
        final EmbeddedChannel futures = new EmbeddedChannel();
        return (QuicChannel)Proxy.newProxyInstance(QuicChannel.class.getClassLoader(), new Class<?>[] {QuicChannel.class},
            (proxy, method, args) ->
            {
                switch (method.getName())
                {
                    case "attr":
                        return attributes.attr((io.netty.util.AttributeKey<?>)args[0]);
                    case "remoteSocketAddress":
                        return null;
                    case "close":
                        if (args != null && args.length == 3)
                        {
                            closeCode[0] = ((Number)args[1]).longValue();
                            ReferenceCountUtil.release(args[2]);
                            return futures.newSucceededFuture();
                        }
                        break;
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    case "toString":
                        return "fuzzed QUIC connection";
                    default:
                        break;
                }
                throw new UnsupportedOperationException("QuicChannel." + method.getName());
            });
    }

    /** Regenerates the committed seed corpus (docs/fuzzing.md); skipped unless -Dfuzz.writeSeeds=true. */
    @Test
    @EnabledIfSystemProperty(named = "fuzz.writeSeeds", matches = "true")
    void writeSeedCorpus()
    {
        FuzzSeedCorpus.write(getClass(), "streamHeader", seeds());
    }

    /** The seed corpus, by file name. */
    static Map<String, byte[]> seeds()
    {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("uni-session-0", seed(0, 0));
        seeds.put("uni-session-4-then-data", seed(0, 4, 0x40, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o'));
        seeds.put("uni-session-2-byte-id", seed(2, 0x41, 0x00));
        seeds.put("uni-not-a-bidi-session", seed(0, 0x01));
        seeds.put("bidi-wt-stream-session-0", seed(1, 0x40, 0x41, 0x00, 0x2a));
        seeds.put("bidi-wt-stream-8-byte-id", seed(3, 0x40, 0x41, 0xc0, 0, 0, 0, 0, 0, 0x01, 0x00));
        seeds.put("bidi-http3-headers-frame", seed(1, 0x01, 0x03, 0x00, 0x00, 0xd1));
        seeds.put("bidi-fin-inside-header", seed(3, 0x40));
        return seeds;
    }

    private static byte[] seed(final int flags, final int... bytes)
    {
        final byte[] seed = new byte[1 + bytes.length];
        seed[0] = (byte)flags;
        for (int i = 0; i < bytes.length; i++)
        {
            seed[i + 1] = (byte)bytes[i];
        }
        return seed;
    }
}
