package moq.relay.transport.webtransport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Error code mapping, capsules and varints. */
class WebTransportCodecsTest
{
    @Test
    void applicationErrorCodesMapIntoTheHttp3RangeSkippingReservedCodepoints()
    {
        assertThat(WebTransportErrorCodes.toHttp3(0)).isEqualTo(0x52e4a40fa8dbL);
        assertThat(WebTransportErrorCodes.toHttp3(0xffff_ffffL)).isEqualTo(0x52e5ac983162L);
        for (long code = 0; code < 200; code++)
        {
            final long http3 = WebTransportErrorCodes.toHttp3(code);
            assertThat((http3 - 0x21) % 0x1f).as("never a reserved codepoint").isNotZero();
            assertThat(WebTransportErrorCodes.fromHttp3(http3)).isEqualTo(code);
        }
        assertThat(WebTransportErrorCodes.fromHttp3(0xffff_ffffL + 0x52e4a40fa8dbL + 0xffff_ffffL / 0x1e))
            .isEqualTo(0xffff_ffffL);
        assertThat(WebTransportErrorCodes.fromHttp3(WebTransportErrorCodes.WT_SESSION_GONE))
            .isEqualTo(WebTransportErrorCodes.NOT_AN_APPLICATION_ERROR);
        assertThatThrownBy(() -> WebTransportErrorCodes.toHttp3(1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeSessionCapsuleRoundTripsAndTruncatesLongReasonsAtACharacterBoundary()
    {
        final ByteBuf capsule = Capsules.closeSession(ByteBufAllocator.DEFAULT, 0xfffffffeL, "\u00e9".repeat(600));
        assertThat(WtVarint.read(capsule)).isEqualTo(Capsules.WT_CLOSE_SESSION);
        final long length = WtVarint.read(capsule);
        assertThat(length).isEqualTo(4 + 1024);
        assertThat(capsule.readUnsignedInt()).isEqualTo(0xfffffffeL);
        assertThat(Capsules.closeMessage(capsule)).isEqualTo("\u00e9".repeat(512));
        capsule.release();
        assertThat(Capsules.closeMessage(Unpooled.wrappedBuffer(new byte[] {(byte)0xc3}))).isNull();
    }

    @Test
    void capsuleDecoderReassemblesCapsulesSplitAnywhereAndStopsAtTheSizeLimit()
    {
        final List<String> seen = new ArrayList<>();
        final CapsuleDecoder decoder = new CapsuleDecoder(16, new CapsuleDecoder.Listener()
        {
            @Override
            public void capsule(final long type, final ByteBuf payload)
            {
                seen.add(Long.toHexString(type) + ":" + payload.toString(StandardCharsets.UTF_8));
            }

            @Override
            public void capsuleTooLarge(final long type, final long length)
            {
                seen.add("too large " + length);
            }
        });
        final ByteBuf stream = Unpooled.buffer();
        final ByteBuf drain = Capsules.drainSession(ByteBufAllocator.DEFAULT);
        stream.writeBytes(drain);
        drain.release();
        WtVarint.write(stream, 0x190b4d3dL); // WT_MAX_DATA of draft-16: ignored by the session, still framed
        WtVarint.write(stream, 3);
        stream.writeBytes("abc".getBytes(StandardCharsets.UTF_8));
        WtVarint.write(stream, 0x2843);
        WtVarint.write(stream, 17);
        while (stream.isReadable())
        {
            decoder.feed(ByteBufAllocator.DEFAULT, stream.readRetainedSlice(1));
        }
        stream.release();
        assertThat(seen).containsExactly("78ae:", "190b4d3d:abc", "too large 17");
        decoder.release();
    }

    @Test
    void varintsOfEverySizeRoundTrip()
    {
        for (final long value : new long[] {0, 63, 64, 16383, 16384, (1L << 30) - 1, 1L << 30, (1L << 62) - 1})
        {
            final ByteBuf buf = Unpooled.buffer();
            WtVarint.write(buf, value);
            assertThat(buf.readableBytes()).isEqualTo(WtVarint.encodedLength(value));
            final ByteBuf partial = buf.slice(0, buf.readableBytes() - 1);
            assertThat(WtVarint.read(partial)).isEqualTo(WtVarint.INCOMPLETE);
            assertThat(partial.readerIndex()).isZero();
            assertThat(WtVarint.read(buf)).isEqualTo(value);
        }
    }
}
