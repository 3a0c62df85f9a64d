package moq.relay.wire.lite;

import moq.relay.wire.Bytes;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.data.BufferBudget;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Malformed moq-lite input ends in a typed error (PROTOCOL_VIOLATION, the code the later lite drafts reuse from
 * MoqTransport), raised before anything is sized by the offending field; and what a decoder holds grows with the
 * bytes that arrived, charged to its budget, never with a declared length.
 */
class LiteMalformedInputTest
{
    private static byte[] hex(final String hex)
    {
        return Bytes.fromHex(hex.replace(" ", "")).array();
    }

    @ParameterizedTest(name = "{0} {1}: {3}")
    @CsvSource(delimiter = ';', value = {
        // Opener sides check their STREAM_TYPE.
        "moq-lite-03; ANNOUNCE; 02 05 04 726f6f6d; stream type of another stream",
        // §"Message Length": a length that does not match the fields.
        "moq-lite-03; ANNOUNCE; 01 06 04 726f6f6d 00; trailing byte in the message",
        "moq-lite-03; ANNOUNCE; 01 04 04 726f6f6d; string longer than the message",
        "moq-lite-03; ANNOUNCE; 01 02 04 726f6f6d; string length past the message, the rest after it",
        // Only ANNOUNCE_PLEASE on its side.
        "moq-lite-03; ANNOUNCE; 01 05 04 726f6f6d 00; bytes after the only message",
        // Appendix B: names are UTF-8.
        "moq-lite-03; ANNOUNCE; 01 03 02 c328; invalid UTF-8",
        // §"SUBSCRIBE" Subscriber Ordered is 0x0 or 0x1.
        "moq-lite-03; SUBSCRIBE; 02 09 07 01 61 01 62 02 02 00 00 00; ordered byte 2",
        // §"Subscribe": SUBSCRIBE_DROP before SUBSCRIBE_OK.
        "moq-lite-03; SUBSCRIBE_REPLY; 01 03 05 06 00; drop before ok",
        "moq-lite-03; SUBSCRIBE_REPLY; 02 01 00; unknown reply type",
        "moq-lite-05; SUBSCRIBE_REPLY; 03 01 00; unknown lite-05 reply type",
        // §"ANNOUNCE" status is 0 or 1 before lite-05.
        "moq-lite-04; ANNOUNCE_REPLY; 04 02 01 61 00; restart status before lite-05",
        "moq-lite-05; ANNOUNCE_REPLY; 02 00 00  04 03 01 61 00; status 3",
        // lite-05's reply starts with ANNOUNCE_OK: an ANNOUNCE in its place is a length mismatch.
        "moq-lite-05; ANNOUNCE_REPLY; 04 01 01 61 00; ANNOUNCE where ANNOUNCE_OK belongs",
        // Hop count bounded (@moq/net MAX_HOPS).
        "moq-lite-03; ANNOUNCE_REPLY; 04 01 01 61 21; 33 hops",
        // Message Length bound checked as soon as it is read.
        "moq-lite-03; PROBE; 04 80010000; Message Length 65536",
        // SETUP: duplicate id, parameter past the message.
        "moq-lite-05; SETUP; 01 07 02 01 01 01 01 01 02; duplicate parameter",
        "moq-lite-05; SETUP; 01 04 01 02 05 61; parameter longer than the message",
        "moq-lite-05; SETUP; 01 02 41 00; 65 parameters",
        "moq-lite-05; TRACK_REPLY; 04 00 00 00 00; timescale 0",
        // FIN before an opener's first message, or inside a message.
        "moq-lite-03; SUBSCRIBE; 02; FIN after the stream type",
        "moq-lite-03; PROBE_REPLY; 04 80; FIN inside a message",
    })
    void controlStreamErrors(final String alpn, final String side, final String bytes, final String what)
    {
        final LiteVersion version = LiteVersion.ofAlpn(alpn);
        assertThat(LiteRecorder.controlOutcome(version, LiteStreamSide.valueOf(side), hex(bytes), new int[0],
            BufferBudget.UNBOUNDED)).as(what).last().isEqualTo("error " + SessionError.PROTOCOL_VIOLATION);
    }

    @ParameterizedTest(name = "{0} {1}: {3}")
    @CsvSource(delimiter = ';', value = {
        "moq-lite-03; GROUP; 01 02 07 05; stream type 1 is not a Group Stream",
        "moq-lite-03; GROUP; 00 11 07 05; GROUP Message Length 17",
        "moq-lite-03; GROUP; 00 03 07 05 00; trailing byte in GROUP",
        "moq-lite-03; GROUP; 00 02 07 4005; varint past the GROUP Message Length",
        "moq-lite-03; GROUP; 00 02 07; FIN inside GROUP",
        "moq-lite-03; GROUP; 00 02 07 05 05 6162; FIN inside a frame",
        "moq-lite-05; FETCH_REPLY; 02; FIN between the timestamp and the length",
    })
    void frameStreamErrors(final String alpn, final String mode, final String bytes, final String what)
    {
        assertThat(LiteRecorder.frameOutcome(LiteVersion.ofAlpn(alpn), LiteFrameDecoder.Mode.valueOf(mode), hex(bytes),
            new int[0], BufferBudget.UNBOUNDED)).as(what).last().isEqualTo("error " + SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void messagesOfLaterVersionsDoNotExistInEarlierOnes()
    {
        assertThatThrownBy(() -> new LiteControlStreamDecoder(LiteVersion.LITE_03, LiteStreamSide.GOAWAY,
            new LiteRecorder(), 100, BufferBudget.UNBOUNDED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LiteCodec.of(LiteVersion.LITE_04).encode(new SubscribeStart(1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LiteCodec.of(LiteVersion.LITE_05).encode(new SubscribeOk(0, false, 0, 0, 0)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LiteCodec.of(LiteVersion.LITE_03).decode(LiteMessageKind.TRACK_INFO,
            new UnsafeBuffer(new byte[4]), 0, 4)).isInstanceOf(WireException.class);
        assertThatThrownBy(() -> new LiteDatagram().decode(LiteVersion.LITE_04, new UnsafeBuffer(new byte[4]), 0, 4))
            .isInstanceOf(WireException.class);
    }

    /** Counts what is held; refuses past {@code limit}. */
    private static final class Budget implements BufferBudget
    {
        final long limit;
        long held;
        long peak;

        Budget(final long limit)
        {
            this.limit = limit;
        }

        @Override
        public boolean reserve(final int bytes)
        {
            if (held + bytes > limit)
            {
                return false;
            }
            held += bytes;
            peak = Math.max(peak, held);
            return true;
        }

        @Override
        public void release(final int bytes)
        {
            held -= bytes;
        }
    }

    @Test
    void aDeclaredLengthIsNotBufferedAheadOfItsBytes() throws WireException
    {
        // A PROBE declaring 60,000 bytes (within the bound), of which 3 arrive: the scratch holds what arrived.
        final Budget budget = new Budget(1 << 20);
        final LiteControlStreamDecoder decoder = new LiteControlStreamDecoder(LiteVersion.LITE_03,
            LiteStreamSide.PROBE_REPLY, new LiteRecorder(), LiteLimits.DEFAULT_MAX_MESSAGE_LENGTH, budget);
        final byte[] head = hex("80 00 ea 60 01 02 03");
        decoder.onData(new UnsafeBuffer(head), 0, head.length);
        assertThat(decoder.heldBytes()).isLessThanOrEqualTo(64);
        assertThat(budget.held).isEqualTo(decoder.heldBytes());
        // Each growth at most doubles what is held.
        final byte[] more = new byte[1000];
        decoder.onData(new UnsafeBuffer(more), 0, more.length);
        assertThat(decoder.heldBytes()).isLessThanOrEqualTo(2 * (head.length + more.length));
        decoder.close();
        assertThat(budget.held).isZero();
    }

    @Test
    void aRefusedBudgetAbandonsTheStream() throws WireException
    {
        final Budget budget = new Budget(100);
        final LiteRecorder recorder = new LiteRecorder();
        final LiteControlStreamDecoder decoder = new LiteControlStreamDecoder(LiteVersion.LITE_03,
            LiteStreamSide.PROBE_REPLY, recorder, LiteLimits.DEFAULT_MAX_MESSAGE_LENGTH, budget);
        final byte[] head = hex("80 00 ea 60");
        decoder.onData(new UnsafeBuffer(head), 0, head.length);
        final byte[] more = new byte[500];
        decoder.onData(new UnsafeBuffer(more), 0, more.length);
        assertThat(decoder.abandoned()).isTrue();
        assertThat(budget.held).isZero();
        decoder.onData(new UnsafeBuffer(more), 0, more.length);
        decoder.onFin();
        assertThat(recorder.events).isEmpty();

        final Budget none = new Budget(0);
        final LiteFrameDecoder frames = new LiteFrameDecoder(LiteVersion.LITE_03, LiteFrameDecoder.Mode.GROUP,
            new LiteRecorder(), none);
        final byte[] cut = hex("00 02");
        frames.onData(new UnsafeBuffer(cut), 0, cut.length);
        assertThat(frames.abandoned()).isTrue();
        assertThat(none.held).isZero();
    }

    @Test
    void aFrameDecoderHoldsAtMostOneHeader() throws WireException
    {
        // A 1 GiB frame announced byte by byte: the header is gathered (at most 32 bytes), the payload never.
        final Budget budget = new Budget(1 << 20);
        final LiteFrameDecoder decoder = new LiteFrameDecoder(LiteVersion.LITE_05, LiteFrameDecoder.Mode.GROUP,
            new LiteRecorder(), budget);
        final byte[] bytes = hex("00 02 07 05 c000000000000002 c000000040000000 abcdef");
        for (int i = 0; i < bytes.length; i++)
        {
            decoder.onData(new UnsafeBuffer(bytes), i, 1);
        }
        assertThat(decoder.inPayload()).isTrue();
        assertThat(budget.peak).isLessThanOrEqualTo(64);
        decoder.close();
        assertThat(budget.held).isZero();
    }
}
