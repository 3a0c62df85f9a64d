package moq.relay.wire;

/**
 * A key-value pair: an even type carries one varint value, an odd type a byte string (at most
 * {@link #MAX_VALUE_LENGTH} bytes). Used for setup options/parameters, message parameters (draft-14) and
 * track and object properties. Unknown types are kept as they came, so relays forward them unchanged.
 */
public record KeyValuePair(long type, long intValue, Bytes bytesValue)
{
    /** Both drafts: a byte value is at most 2^16-1 bytes. */
    public static final int MAX_VALUE_LENGTH = 65_535;

    public KeyValuePair
    {
        if (isBytesType(type))
        {
            if (bytesValue == null || intValue != 0)
            {
                throw new IllegalArgumentException("odd type 0x" + Long.toHexString(type) + " carries bytes");
            }
            if (bytesValue.length() > MAX_VALUE_LENGTH)
            {
                throw new IllegalArgumentException("value longer than " + MAX_VALUE_LENGTH);
            }
        }
        else if (bytesValue != null)
        {
            throw new IllegalArgumentException("even type 0x" + Long.toHexString(type) + " carries a varint");
        }
    }

    public static boolean isBytesType(final long type)
    {
        return (type & 1) == 1;
    }

    public static KeyValuePair ofVarint(final long type, final long value)
    {
        return new KeyValuePair(type, value, null);
    }

    public static KeyValuePair ofBytes(final long type, final Bytes value)
    {
        return new KeyValuePair(type, 0, value);
    }

    public boolean isBytes()
    {
        return isBytesType(type);
    }
}
