package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static moq.relay.wire.data.Feed.decode;
import static moq.relay.wire.data.Feed.errorOf;
import static moq.relay.wire.data.Feed.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MalformedStreamTest
{
    private static final SessionError PV = SessionError.PROTOCOL_VIOLATION;

    @ParameterizedTest
    @EnumSource(Draft.class)
    void finInsideAnObjectOrHeader(final Draft draft)
    {
        // Header 0x10 alias 1 group 2 priority 3, then an object of 4 bytes with only 2 sent.
        assertThat(errorOf(draft, hex("10 01 02 03  00 04 6162"), true)).isEqualTo(PV);
        // Object header cut after the delta.
        assertThat(errorOf(draft, hex("10 01 02 03  00"), true)).isEqualTo(PV);
        // Stream header cut short, and a stream with nothing at all.
        assertThat(errorOf(draft, hex("10 01"), true)).isEqualTo(PV);
        assertThat(errorOf(draft, new byte[0], true)).isEqualTo(PV);
        // Fetch object cut inside its payload.
        assertThat(errorOf(draft, draft.atLeast(18) ? hex("05 01 1C 05 07 80 02 61") :
            hex("05 01 05 00 07 80 00 02 61"), true)).isEqualTo(PV);
        // Unfinished header without FIN is not an error (more may come).
        assertThat(Feed.decodeBytewiseNoError(draft, hex("10 01 02 03  00 04 6162"))).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(Draft.class)
    void propertiesOverTheBound(final Draft draft)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        int n = 0;
        b.putBytes(n, hex("11 01 02 03 00"));
        n += 5;
        n += draft.varint().encode(b, n, Feed.MAX_PROPERTIES + 1);
        assertThat(errorOf(draft, java.util.Arrays.copyOf(b.byteArray(), n + 10), true)).isEqualTo(PV);
        // A huge length is rejected before anything is sized or awaited by it.
        assertThat(errorOf(draft, draft.atLeast(18) ? hex("11 01 02 03 00 ffffffffffffffffff") :
            hex("11 01 02 03 00 ffffffffffffffff"), false)).isEqualTo(PV);
    }

    @Test
    void statusValuesPerDraft() throws WireException
    {
        // Zero-length object with status 0x1: Does Not Exist on draft-14 only.
        assertThat(errorOf(Draft.DRAFT_18, hex("10 01 02 03  00 00 01"), true)).isEqualTo(PV);
        assertThat(decode(Draft.DRAFT_14, hex("10 01 02 03  00 00 01"))).hasSize(4);
        for (final Draft draft : Draft.values())
        {
            assertThat(errorOf(draft, hex("10 01 02 03  00 00 02"), true)).isEqualTo(PV);
            assertThat(errorOf(draft, hex("10 01 02 03  00 00 05"), true)).isEqualTo(PV);
        }
    }

    @Test
    void propertiesOnlyWhereTheDraftAllowsThem() throws WireException
    {
        // Draft-18: properties only on Normal objects.
        assertThat(errorOf(Draft.DRAFT_18, hex("11 01 02 03  00 02 0201 00 03"), true)).isEqualTo(PV);
        assertThat(decode(Draft.DRAFT_18, hex("11 01 02 03  00 02 0201 00 00"))).hasSize(4);
        // Draft-14: extensions on anything but Does Not Exist.
        assertThat(decode(Draft.DRAFT_14, hex("11 01 02 03  00 02 0201 00 03"))).hasSize(4);
        assertThat(errorOf(Draft.DRAFT_14, hex("11 01 02 03  00 02 0201 00 01"), true)).isEqualTo(PV);
        // Draft-14 fetch objects too.
        assertThat(errorOf(Draft.DRAFT_14, hex("05 01  05 00 07 80 02 0201 00 01"), true)).isEqualTo(PV);
    }

    @ParameterizedTest
    @EnumSource(Draft.class)
    void malformedPropertyBlocks(final Draft draft)
    {
        // Odd type 1 with length 5 but one byte in a 3-byte block.
        assertThat(errorOf(draft, hex("11 01 02 03  00 03 010561 00 00"), true)).isEqualTo(SessionError.KEY_VALUE_FORMATTING_ERROR);
        // Even type whose value is missing.
        assertThat(errorOf(draft, hex("11 01 02 03  00 01 02 00 00"), true)).isEqualTo(SessionError.KEY_VALUE_FORMATTING_ERROR);
        // Value length above 65,535 is a PROTOCOL_VIOLATION (both drafts' key-value pair rules).
        final byte[] overLong = draft.atLeast(18) ? hex("11 01 02 03  00 05 01 e0010000 00 00") :
            hex("11 01 02 03  00 05 01 80010000 00 00");
        assertThat(errorOf(draft, overLong, true)).isEqualTo(PV);
    }

    @ParameterizedTest
    @EnumSource(Draft.class)
    void noObjectAfterEndOfGroupOrTrack(final Draft draft) throws WireException
    {
        assertThat(errorOf(draft, hex("10 01 02 03  00 00 03  00 01 61"), true)).isEqualTo(PV);
        assertThat(errorOf(draft, hex("10 01 02 03  00 00 04  00 01 61"), true)).isEqualTo(PV);
        assertThat(decode(draft, hex("10 01 02 03  00 01 61  00 00 03"))).hasSize(6);
    }

    @Test
    void objectIdOverflow()
    {
        // Draft-18: object 1, then delta 2^64-2 -> 1 + 2^64-2 + 1 = 2^64.
        assertThat(errorOf(Draft.DRAFT_18, hex("10 01 02 03  01 00 00  fffffffffffffffffe 00 00"), true)).isEqualTo(PV);
        // Draft-14: ids above 2^62-1 cannot be expressed there.
        assertThat(errorOf(Draft.DRAFT_14, hex("10 01 02 03  ffffffffffffffff 00 00  00 00 00"), true)).isEqualTo(PV);
    }

    @Test
    void decoderRefusesInputAfterFinOrFailureUntilReset() throws WireException
    {
        final Recorder recorder = new Recorder();
        final DataStreamDecoder decoder = new DataStreamDecoder(Draft.DRAFT_18, recorder, 64);
        final byte[] ok = hex("10 01 02 03");
        decoder.onData(new UnsafeBuffer(ok), 0, ok.length);
        decoder.onFin();
        assertThatThrownBy(() -> decoder.onData(new UnsafeBuffer(ok), 0, ok.length)).isInstanceOf(WireException.class);
        decoder.reset(Draft.DRAFT_14);
        final byte[] bad = hex("16 01 02 03");
        assertThatThrownBy(() -> decoder.onData(new UnsafeBuffer(bad), 0, bad.length)).isInstanceOf(WireException.class);
        assertThatThrownBy(decoder::onFin).isInstanceOf(WireException.class);
        decoder.reset(Draft.DRAFT_14);
        decoder.onData(new UnsafeBuffer(ok), 0, ok.length);
        decoder.onFin();
        assertThat(recorder.events).filteredOn(e -> e.startsWith("subgroup")).hasSize(2);
    }
}
