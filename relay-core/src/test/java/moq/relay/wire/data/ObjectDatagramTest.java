package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static moq.relay.wire.data.Feed.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectDatagramTest
{
    private final ObjectDatagram datagram = new ObjectDatagram();

    private ObjectDatagram decode(final Draft draft, final byte[] bytes) throws WireException
    {
        assertThat(datagram.decode(draft, new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();
        return datagram;
    }

    private SessionError error(final Draft draft, final byte[] bytes)
    {
        try
        {
            datagram.decode(draft, new UnsafeBuffer(bytes), 0, bytes.length);
        }
        catch (final WireException ex)
        {
            return ex.error();
        }
        throw new AssertionError("no error for " + java.util.HexFormat.of().formatHex(bytes));
    }

    @Test
    void decodesHandWrittenDatagrams() throws WireException
    {
        // Draft-18 type 0x00: alias 1, group 5, object 7, priority 0x80, payload "hi".
        ObjectDatagram d = decode(Draft.DRAFT_18, hex("00 01 05 07 80 6869"));
        assertThat(d.trackAlias()).isEqualTo(1);
        assertThat(d.groupId()).isEqualTo(5);
        assertThat(d.objectId()).isEqualTo(7);
        assertThat(d.publisherPriority()).isEqualTo(0x80);
        assertThat(d.hasStatus()).isFalse();
        assertThat(d.payloadLength()).isEqualTo(2);
        assertThat(d.payloadOffset()).isEqualTo(5);

        // Draft-18 type 0x2C: STATUS, ZERO_OBJECT_ID, DEFAULT_PRIORITY; status End of Group.
        d = decode(Draft.DRAFT_18, hex("2C 01 05 03"));
        assertThat(d.objectId()).isZero();
        assertThat(d.publisherPriority()).isEqualTo(ObjectDatagram.DEFAULT_PRIORITY);
        assertThat(d.hasStatus()).isTrue();
        assertThat(d.status()).isEqualTo(ObjectStatus.END_OF_GROUP);
        assertThat(d.payloadLength()).isZero();

        // Draft-14 type 0x21: status with extensions, object id present, priority always present.
        d = decode(Draft.DRAFT_14, hex("21 01 05 07 80 02 0201 00"));
        assertThat(d.objectId()).isEqualTo(7);
        assertThat(d.publisherPriority()).isEqualTo(0x80);
        assertThat(d.propertiesLength()).isEqualTo(2);
        assertThat(d.propertiesOffset()).isEqualTo(6);
        assertThat(d.status()).isEqualTo(ObjectStatus.NORMAL);

        // Draft-14 type 0x07: end of group, extensions, no object id.
        d = decode(Draft.DRAFT_14, hex("07 01 05 80 02 0400 7a"));
        assertThat(d.endOfGroup()).isTrue();
        assertThat(d.objectId()).isZero();
        assertThat(d.payloadLength()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Draft.class)
    void everyValidTypeRoundTrips(final Draft draft) throws WireException
    {
        int valid = 0;
        for (int type = 0; type < 0x40; type++)
        {
            if (!DatagramType.isValid(draft, type))
            {
                continue;
            }
            valid++;
            final boolean props = (type & DatagramType.PROPERTIES) != 0;
            final boolean eog = (type & DatagramType.END_OF_GROUP) != 0;
            final boolean zero = (type & DatagramType.ZERO_OBJECT_ID) != 0;
            final boolean defaultPriority = (type & DatagramType.DEFAULT_PRIORITY) != 0;
            final boolean status = (type & DatagramType.STATUS) != 0;
            final long objectId = zero ? 0 : 70_000;
            final int priority = defaultPriority ? ObjectDatagram.DEFAULT_PRIORITY : 17;
            final byte[] properties = hex("0203 0b0161");
            final byte[] payload = "payload".getBytes();
            final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
            final int n;
            if (status)
            {
                n = ObjectDatagramEncoder.writeHeader(draft, out, 0, 12, 34, objectId, priority, eog,
                    props ? ObjectStatus.NORMAL : ObjectStatus.END_OF_TRACK, new UnsafeBuffer(properties), 0,
                    props ? properties.length : 0);
            }
            else
            {
                n = ObjectDatagramEncoder.write(draft, out, 0, 12, 34, objectId, priority, eog,
                    new UnsafeBuffer(properties), 0, props ? properties.length : 0, new UnsafeBuffer(payload), 0, payload.length);
            }
            assertThat(out.getByte(0)).as("type 0x%x", type).isEqualTo((byte)type);
            final ObjectDatagram d = decode(draft, java.util.Arrays.copyOf(out.byteArray(), n));
            assertThat(d.type()).isEqualTo(type);
            assertThat(d.trackAlias()).isEqualTo(12);
            assertThat(d.groupId()).isEqualTo(34);
            assertThat(d.objectId()).isEqualTo(objectId);
            assertThat(d.publisherPriority()).isEqualTo(priority);
            assertThat(d.endOfGroup()).isEqualTo(eog);
            assertThat(d.hasStatus()).isEqualTo(status);
            assertThat(d.propertiesLength()).isEqualTo(props ? properties.length : 0);
            if (status)
            {
                assertThat(d.status()).isEqualTo(props ? ObjectStatus.NORMAL : ObjectStatus.END_OF_TRACK);
                assertThat(d.payloadLength()).isZero();
            }
            else
            {
                final byte[] got = new byte[d.payloadLength()];
                d.buffer().getBytes(d.payloadOffset(), got);
                assertThat(got).isEqualTo(payload);
            }
        }
        assertThat(valid).isEqualTo(draft.atLeast(18) ? 24 : 10);
    }

    @ParameterizedTest
    @EnumSource(Draft.class)
    void invalidTypesAreProtocolViolations(final Draft draft)
    {
        for (int type = 0; type < 0x80; type++)
        {
            if (!DatagramType.isValid(draft, type))
            {
                final UnsafeBuffer b = new UnsafeBuffer(new byte[16]);
                final int n = draft.varint().encode(b, 0, type);
                assertThat(error(draft, java.util.Arrays.copyOf(b.byteArray(), n + 6))).as("type 0x%x", type)
                    .isEqualTo(SessionError.PROTOCOL_VIOLATION);
            }
        }
        for (final int type : new int[]{0x22, 0x23, 0x26, 0x27, 0x2A, 0x2B, 0x2E, 0x2F, 0x10, 0x30})
        {
            assertThat(DatagramType.isValid(Draft.DRAFT_18, type)).as("0x%x", type).isFalse();
        }
        for (final int type : new int[]{0x08, 0x0F, 0x24, 0x28, 0x2C, 0x2D})
        {
            assertThat(DatagramType.isValid(Draft.DRAFT_14, type)).as("0x%x", type).isFalse();
            assertThat(DatagramType.isValid(Draft.DRAFT_18, type)).as("0x%x", type).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Draft.class)
    void emptyPropertiesWithThePropertiesBitAreInvalid(final Draft draft)
    {
        assertThat(error(draft, hex("01 01 05 07 80 00 6869"))).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        assertThat(error(draft, hex("21 01 05 07 80 00 00"))).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void statusValuesPerDraft() throws WireException
    {
        assertThat(decode(Draft.DRAFT_14, hex("20 01 05 07 80 01")).status()).isEqualTo(ObjectStatus.DOES_NOT_EXIST);
        assertThat(error(Draft.DRAFT_18, hex("20 01 05 07 80 01"))).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        assertThat(error(Draft.DRAFT_18, hex("20 01 05 07 80 02"))).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        assertThat(error(Draft.DRAFT_14, hex("20 01 05 07 80 05"))).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // Properties only on Normal (draft-18); extensions forbidden only on Does Not Exist (draft-14).
        assertThat(error(Draft.DRAFT_18, hex("21 01 05 07 80 02 0201 03"))).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        assertThat(decode(Draft.DRAFT_14, hex("21 01 05 07 80 02 0201 03")).status()).isEqualTo(ObjectStatus.END_OF_GROUP);
        assertThat(error(Draft.DRAFT_14, hex("21 01 05 07 80 02 0201 01"))).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        // A status datagram has no payload.
        assertThat(error(Draft.DRAFT_18, hex("20 01 05 07 80 00 ff"))).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @ParameterizedTest
    @EnumSource(Draft.class)
    void truncatedDatagramsAreProtocolViolations(final Draft draft)
    {
        final byte[] whole = hex("01 01 05 07 80 02 0201 6869");
        for (int n = 0; n < 8; n++)
        {
            final byte[] cut = java.util.Arrays.copyOf(whole, n);
            assertThat(error(draft, cut)).as("%d bytes", n).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        }
    }

    @Test
    void malformedPropertiesAreKeyValueFormattingErrors()
    {
        // Odd type 1 claims 5 value bytes, the block has 1.
        assertThat(error(Draft.DRAFT_18, hex("01 01 05 07 80 03 01 05 61 6869"))).isEqualTo(SessionError.KEY_VALUE_FORMATTING_ERROR);
        // Even type with its varint value missing.
        assertThat(error(Draft.DRAFT_14, hex("01 01 05 07 80 01 02 6869"))).isEqualTo(SessionError.KEY_VALUE_FORMATTING_ERROR);
    }

    @Test
    void paddingDatagramIsReportedNotDecoded() throws WireException
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[16]);
        final int n = Draft.DRAFT_18.varint().encode(b, 0, StreamType.PADDING_DATAGRAM_TYPE);
        assertThat(datagram.decode(Draft.DRAFT_18, b, 0, n + 3)).isFalse();
    }

    @Test
    void encoderRejectsWhatTheDraftCannotSay()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        assertThatThrownBy(() -> ObjectDatagramEncoder.writeHeader(Draft.DRAFT_18, b, 0, 1, 2, 3, 4, true,
            ObjectStatus.END_OF_TRACK, null, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectDatagramEncoder.writeHeader(Draft.DRAFT_14, b, 0, 1, 2, 3, -1, false,
            ObjectDatagramEncoder.NO_STATUS, null, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
