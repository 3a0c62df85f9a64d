package moq.relay.transport.quic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The server's Initial protection against RFC 9001 Appendix A (QUIC version 1). */
class InitialPacketProtectionTest
{
    private static final HexFormat HEX = HexFormat.of();
    /** A.1: the client's first Destination Connection ID. */
    private static final byte[] DCID = HEX.parseHex("8394c8f03e515708");

    @Test
    void serverInitialKeysAreTheRfcs() throws Exception
    {
        final InitialPacketProtection p = InitialPacketProtection.server(DCID);
        assertThat(HEX.formatHex(p.key())).isEqualTo("cf3a5331653c364c88f0f379b6067e37");
        assertThat(HEX.formatHex(p.iv())).isEqualTo("0ac1493ca1905853b0bba03e");
        assertThat(HEX.formatHex(p.hp())).isEqualTo("c206b8d9b9f0f37644430b490eeaa314");
    }

    /** A.3: the server's Initial (ACK and CRYPTO frames, packet number 1 in two bytes), sealed byte for byte. */
    @Test
    void serverInitialPacketIsTheRfcsByteForByte() throws Exception
    {
        final byte[] header = HEX.parseHex("c1000000010008f067a5502a4262b50040750001");
        final byte[] payload = HEX.parseHex("02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf73988cfc798" +
            "25df566dc5430b9a045a1200130100002e00330024001d00209d3c940d89690b84d08a60993c144eca684d1081287c834d53" +
            "11bcf32bb9da1a002b00020304");
        final byte[] packet = new byte[header.length + payload.length + InitialPacketProtection.TAG_LENGTH];
        System.arraycopy(header, 0, packet, 0, header.length);
        System.arraycopy(payload, 0, packet, header.length, payload.length);

        final int length = InitialPacketProtection.server(DCID).protect(packet, header.length - 2, 2, 1,
            payload.length);

        assertThat(length).isEqualTo(packet.length);
        assertThat(HEX.formatHex(packet)).isEqualTo("cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a" +
            "5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3dbcba3f6ea46c5b7684df3548e7ddeb9" +
            "c3bf9c73cc3f3bded74b562bfb19fb84022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4" +
            "2158407dd074ee");
    }
}
