package moq.relay.transport.quic;

import java.net.InetSocketAddress;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InitialPacketGateTest
{
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5000);

    private static DatagramPacket packet(final int firstByte)
    {
        return new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {(byte)firstByte, 0, 0, 0, 1}), PEER);
    }

    @Test
    void openGatePassesEveryPacket()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new InitialPacketGate());

        channel.writeInbound(packet(0xC3));
        channel.writeInbound(packet(0x41));

        assertThat(channel.inboundMessages()).hasSize(2);
        channel.finishAndReleaseAll();
    }

    @Test
    void closedGateDropsAndReleasesInitialPacketsOnly()
    {
        final InitialPacketGate gate = new InitialPacketGate();
        final EmbeddedChannel channel = new EmbeddedChannel(gate);
        gate.close();
        final DatagramPacket initial = packet(0xC3);

        channel.writeInbound(initial);              // long header, type Initial (v1)
        channel.writeInbound(packet(0xE3));         // long header, type Handshake: an existing handshake goes on
        channel.writeInbound(packet(0x41));         // short header: established connection

        assertThat(initial.refCnt()).isZero();
        assertThat(channel.inboundMessages()).hasSize(2);
        channel.finishAndReleaseAll();
    }
}
