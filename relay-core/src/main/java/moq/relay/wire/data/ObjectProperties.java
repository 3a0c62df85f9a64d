package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireException;
import org.agrona.DirectBuffer;

/**
 * Structural check of an Object Properties (draft-18) or Extension Headers (draft-14) block, without
 * decoding it into objects: the relay stores the block byte for byte (forwarding it so, or converted for a
 * subscriber of the other encoding), but must not accept
 * a block whose key-value pairs do not parse. Draft-18 types are delta coded, draft-14 types absolute.
 * The value of Immutable Properties (0xB, draft-14 Immutable Extensions) is itself a Key-Value-Pair sequence, which
 * the relay reads (filters) and converts for a subscriber of the other draft ({@link PropertiesTranscoder}): it is
 * checked the same way, one level deep (draft-21 §8.3: a value that does not match its understood Type's
 * serialization is KEY_VALUE_FORMATTING_ERROR).
 */
public final class ObjectProperties
{
    private ObjectProperties()
    {
    }

    /**
     * @throws WireException KEY_VALUE_FORMATTING_ERROR when a pair runs past the block, PROTOCOL_VIOLATION
     *                       for a value length above 65,535 or a delta type past 2^64-1 (draft-18 §1.4.3).
     */
    public static void validate(final Draft draft, final DirectBuffer buffer, final int offset, final int length)
        throws WireException
    {
        validate(draft.atLeast(18), buffer, offset, length, true);
    }

    private static void validate(final boolean moqt, final DirectBuffer buffer, final int offset, final int length,
        final boolean outer) throws WireException
    {
        final int end = offset + length;
        int position = offset;
        long type = 0;
        while (position < end)
        {
            int size = moqt ? MoqtVarint.size(buffer, position) : QuicVarint.size(buffer, position);
            if (size > end - position)
            {
                throw WireException.kvpFormatting("property type runs past the properties block");
            }
            final long raw = moqt ? MoqtVarint.value(buffer, position) : QuicVarint.value(buffer, position);
            position += size;
            if (moqt)
            {
                final long next = type + raw;
                if (Long.compareUnsigned(next, type) < 0)
                {
                    throw WireException.protocolViolation("property delta type overflows 2^64-1");
                }
                type = next;
            }
            else
            {
                type = raw;
            }
            if (position >= end)
            {
                throw WireException.kvpFormatting("property value missing at the end of the properties block");
            }
            size = moqt ? MoqtVarint.size(buffer, position) : QuicVarint.size(buffer, position);
            if (size > end - position)
            {
                throw WireException.kvpFormatting("property value runs past the properties block");
            }
            if (KeyValuePair.isBytesType(type))
            {
                final long valueLength = moqt ? MoqtVarint.value(buffer, position) : QuicVarint.value(buffer, position);
                position += size;
                if (Long.compareUnsigned(valueLength, KeyValuePair.MAX_VALUE_LENGTH) > 0)
                {
                    throw WireException.protocolViolation("property length " + Long.toUnsignedString(valueLength) +
                        " exceeds " + KeyValuePair.MAX_VALUE_LENGTH);
                }
                if (valueLength > end - position)
                {
                    throw WireException.kvpFormatting("property value runs past the properties block");
                }
                if (outer && type == PropertiesTranscoder.IMMUTABLE)
                {
                    validate(moqt, buffer, position, (int)valueLength, false);
                }
                position += (int)valueLength;
            }
            else
            {
                position += size;
            }
        }
    }
}
