package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireException;
import org.agrona.DirectBuffer;

/**
 * Structural check of an Object Properties (draft-18) or Extension Headers (draft-14) block, without
 * decoding it into objects: the relay stores and forwards the block byte for byte, but must not accept
 * a block whose key-value pairs do not parse. Draft-18 types are delta coded, draft-14 types absolute.
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
        final boolean moqt = draft.atLeast(18);
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
                position += (int)valueLength;
            }
            else
            {
                position += size;
            }
        }
    }
}
