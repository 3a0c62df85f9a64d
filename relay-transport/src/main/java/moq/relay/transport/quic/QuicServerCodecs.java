package moq.relay.transport.quic;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.QuicConnectionIdGenerator;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;

/**
 * Builds QUIC server codecs (one per UDP socket) from {@link QuicSettings}. Every transport parameter is set
 * explicitly: quiche's defaults for unset ones are 0, which would let the peer open no streams and send nothing.
 */
public final class QuicServerCodecs
{
    private final QuicSettings settings;
    private final QuicSslContext sslContext;
    private final UdpTransport transport;
    private final ChannelHandler connectionHandler;
    private final InitialAdmission admission;

    /**
     * @param connectionHandler added to every new QuicChannel's pipeline; must be {@code @Sharable}.
     */
    public QuicServerCodecs(final QuicSettings settings, final QuicSslContext sslContext,
        final UdpTransport transport, final ChannelHandler connectionHandler)
    {
        this(settings, sslContext, transport, connectionHandler, InitialAdmission.Policy.ALL, InitialRefusals.NONE);
    }

    /**
     * @param connectionHandler added to every new QuicChannel's pipeline; must be {@code @Sharable}.
     * @param admission         asked at each new connection's first Initial packet, before quiche reads it.
     * @param refusals          answers an Initial the admission refuses (the same one the sockets' gate offers to).
     */
    public QuicServerCodecs(final QuicSettings settings, final QuicSslContext sslContext,
        final UdpTransport transport, final ChannelHandler connectionHandler, final InitialAdmission.Policy admission,
        final InitialRefusals refusals)
    {
        this.settings = settings;
        this.sslContext = sslContext;
        this.transport = transport;
        this.connectionHandler = connectionHandler;
        this.admission = new InitialAdmission(admission, refusals);
    }

    /** A codec for a socket that is alone on its port. */
    public ChannelHandler newCodec()
    {
        return builder().build();
    }

    /** A codec for one of several SO_REUSEPORT sockets, with ids that {@link ReusePortCodecDispatcher} routes. */
    public ChannelHandler newCodec(final int localConnectionIdLength, final QuicConnectionIdGenerator ids)
    {
        return builder().localConnectionIdLength(localConnectionIdLength).connectionIdAddressGenerator(ids).build();
    }

    private QuicServerCodecBuilder builder()
    {
        final QuicServerCodecBuilder builder = new QuicServerCodecBuilder();
        if (settings.qlog())
        {
            builder.option(QuicChannelOption.QLOG, QLogs.configuration(settings.qlogDir()));
        }
        return builder
            .sslContext(sslContext)
            .maxIdleTimeout(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .initialMaxData(settings.initialMaxData())
            .initialMaxStreamDataBidirectionalLocal(settings.initialMaxStreamDataBidiLocal())
            .initialMaxStreamDataBidirectionalRemote(settings.initialMaxStreamDataBidiRemote())
            .initialMaxStreamDataUnidirectional(settings.initialMaxStreamDataUni())
            .initialMaxStreamsBidirectional(settings.initialMaxStreamsBidi())
            .initialMaxStreamsUnidirectional(settings.initialMaxStreamsUni())
            .congestionControlAlgorithm(QuicCongestionControlAlgorithm.valueOf(settings.congestionControl().name()))
            .maxSendUdpPayloadSize(settings.maxSendUdpPayloadSize())
            .maxRecvUdpPayloadSize(settings.maxRecvUdpPayloadSize())
            // MoQT over raw QUIC must negotiate DATAGRAM support (draft-18 2.2); this also enables it.
            .datagram(settings.datagramRecvQueue(), settings.datagramSendQueue())
            .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, transport.segmentedAllocator())
            // No Retry (address validation costs a round trip and netty ships no secure token handler); the token
            // handler is where a connection beyond the limits is dropped before its handshake.
            .tokenHandler(admission)
            .handler(connectionHandler);
    }
}
