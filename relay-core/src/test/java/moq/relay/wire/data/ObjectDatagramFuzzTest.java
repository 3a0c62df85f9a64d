package moq.relay.wire.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import moq.relay.wire.Draft;
import moq.relay.wire.FuzzSeedCorpus;
import moq.relay.wire.WireException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link ObjectDatagram#decode}. Input: one flags byte (bit 0: draft-14; else bit 1: draft-20; else draft-18),
 * then the datagram.
 * Only a WireException may escape; a datagram that decodes has its properties and payload inside the datagram, the
 * payload running to its end, and re-encodes with {@link ObjectDatagramEncoder} to a datagram that decodes to the
 * same object. Seeds: a datagram of every valid type of each draft, and a draft-18 padding datagram.
 */
class ObjectDatagramFuzzTest
{
    private final ObjectDatagram datagram = new ObjectDatagram();
    private final ObjectDatagram again = new ObjectDatagram();

    @FuzzTest(maxDuration = "10s")
    void datagram(final byte[] input) throws WireException
    {
        if (input.length == 0)
        {
            return;
        }
        final Draft draft = (input[0] & 1) != 0 ? Draft.DRAFT_14 : (input[0] & 2) != 0 ? Draft.DRAFT_20 : Draft.DRAFT_18;
        // Offset 1 in the input buffer: views must respect the datagram's offset, not assume 0.
        final UnsafeBuffer buffer = new UnsafeBuffer(input);
        final int length = input.length - 1;
        try
        {
            if (!datagram.decode(draft, buffer, 1, length))
            {
                return; // padding
            }
        }
        catch (final WireException e)
        {
            assertThat(e.error()).isNotNull();
            return;
        }
        assertThat(datagram.propertiesLength()).isBetween(0, length);
        if (datagram.propertiesLength() > 0)
        {
            assertThat(datagram.propertiesOffset()).isBetween(1, input.length - datagram.propertiesLength());
        }
        assertThat(datagram.payloadOffset() + datagram.payloadLength()).isEqualTo(input.length);
        if (datagram.hasStatus())
        {
            assertThat(datagram.payloadLength()).isZero();
        }

        final UnsafeBuffer out = new UnsafeBuffer(new byte[ObjectDatagramEncoder.maxHeaderLength(
            datagram.propertiesLength()) + datagram.payloadLength()]);
        final int n;
        if (datagram.hasStatus())
        {
            n = ObjectDatagramEncoder.writeHeader(draft, out, 0, datagram.trackAlias(), datagram.groupId(),
                datagram.objectId(), datagram.publisherPriority(), datagram.endOfGroup(), datagram.status(),
                buffer, datagram.propertiesOffset(), datagram.propertiesLength());
        }
        else
        {
            n = ObjectDatagramEncoder.write(draft, out, 0, datagram.trackAlias(), datagram.groupId(),
                datagram.objectId(), datagram.publisherPriority(), datagram.endOfGroup(), buffer,
                datagram.propertiesOffset(), datagram.propertiesLength(), buffer, datagram.payloadOffset(),
                datagram.payloadLength());
        }
        assertThat(again.decode(draft, out, 0, n)).isTrue();
        assertThat(describe(again)).isEqualTo(describe(datagram));
    }

    /** Everything a datagram carries except its type, which the encoder may choose differently (e.g. for object 0). */
    private static String describe(final ObjectDatagram d)
    {
        return d.trackAlias() + "/" + d.groupId() + "/" + d.objectId() + " p=" + d.publisherPriority() +
            " eog=" + d.endOfGroup() + " status=" + (d.hasStatus() ? d.status() : "none") +
            " props=" + hex(d.buffer(), d.propertiesOffset(), d.propertiesLength()) +
            " payload=" + hex(d.buffer(), d.payloadOffset(), d.payloadLength());
    }

    private static String hex(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Regenerates the committed seed corpus (docs/fuzzing.md); skipped unless -Dfuzz.writeSeeds=true. */
    @Test
    @EnabledIfSystemProperty(named = "fuzz.writeSeeds", matches = "true")
    void writeSeedCorpus()
    {
        FuzzSeedCorpus.write(getClass(), "datagram", seeds());
    }

    /** The seed corpus: a datagram of every valid type of each draft (as ObjectDatagramTest builds them). */
    static Map<String, byte[]> seeds()
    {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        final byte[] properties = Feed.hex("0203 0b0161");
        final byte[] payload = "payload".getBytes(StandardCharsets.US_ASCII);
        for (final Draft draft : Draft.values())
        {
            for (int type = 0; type < 0x40; type++)
            {
                if (!DatagramType.isValid(draft, type))
                {
                    continue;
                }
                final boolean props = (type & DatagramType.PROPERTIES) != 0;
                final boolean eog = (type & DatagramType.END_OF_GROUP) != 0;
                final boolean status = (type & DatagramType.STATUS) != 0;
                final long objectId = (type & DatagramType.ZERO_OBJECT_ID) != 0 ? 0 : 70_000;
                final int priority = (type & DatagramType.DEFAULT_PRIORITY) != 0 ? ObjectDatagram.DEFAULT_PRIORITY : 17;
                final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
                out.putByte(0, (byte)(draft == Draft.DRAFT_14 ? 1 : draft == Draft.DRAFT_20 ? 2 : 0));
                final int n = status ?
                    ObjectDatagramEncoder.writeHeader(draft, out, 1, 12, 34, objectId, priority, eog,
                        props ? ObjectStatus.NORMAL : ObjectStatus.END_OF_TRACK, new UnsafeBuffer(properties), 0,
                        props ? properties.length : 0) :
                    ObjectDatagramEncoder.write(draft, out, 1, 12, 34, objectId, priority, eog,
                        new UnsafeBuffer(properties), 0, props ? properties.length : 0, new UnsafeBuffer(payload), 0,
                        payload.length);
                seeds.put(draft + "-type-" + String.format("%02x", type), Arrays.copyOf(out.byteArray(), n + 1));
            }
        }
        final UnsafeBuffer padding = new UnsafeBuffer(new byte[16]);
        final int n = Draft.DRAFT_18.varint().encode(padding, 1, StreamType.PADDING_DATAGRAM_TYPE);
        seeds.put("DRAFT_18-padding", Arrays.copyOf(padding.byteArray(), n + 1 + 4));
        return seeds;
    }
}
