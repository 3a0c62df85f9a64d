package moq.relay.transport.quic;

import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicCodecDispatcher;
import io.netty.handler.codec.quic.QuicConnectionIdGenerator;

/**
 * Shared by all SO_REUSEPORT sockets of one port: the kernel hashes a packet to any of them, so each codec
 * encodes its index into the connection ids it issues and this dispatcher forwards short-header packets to the
 * codec that owns the connection. Initial packets (no id of ours yet) stay on the socket the kernel picked, which
 * is stable per client 4-tuple.
 */
public final class ReusePortCodecDispatcher extends QuicCodecDispatcher
{
    private final QuicServerCodecs codecs;

    public ReusePortCodecDispatcher(final QuicServerCodecs codecs)
    {
        this.codecs = codecs;
    }

    @Override
    protected void initChannel(final Channel channel, final int localConnectionIdLength,
        final QuicConnectionIdGenerator idGenerator)
    {
        channel.pipeline().addLast(codecs.newCodec(localConnectionIdLength, idGenerator));
    }
}
