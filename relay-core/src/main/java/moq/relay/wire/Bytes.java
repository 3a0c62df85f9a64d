package moq.relay.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable byte string with value equality: namespace fields, track names, reason phrases and
 * opaque parameter values as the control plane carries them. Control messages are rare, so they may
 * allocate these; the data plane never does.
 */
public final class Bytes implements Comparable<Bytes>
{
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final byte[] bytes;

    private Bytes(final byte[] bytes)
    {
        this.bytes = bytes;
    }

    /** Takes a copy, so the caller may reuse {@code bytes}. */
    public static Bytes copyOf(final byte[] bytes)
    {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    /** Takes ownership: the caller must not modify {@code bytes} afterwards. */
    public static Bytes wrap(final byte[] bytes)
    {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes);
    }

    public static Bytes utf8(final String text)
    {
        return wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Bytes fromHex(final String hex)
    {
        final String h = hex.replaceAll("\\s+", "");
        if ((h.length() & 1) != 0)
        {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        final byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++)
        {
            final int hi = Character.digit(h.charAt(2 * i), 16);
            final int lo = Character.digit(h.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0)
            {
                throw new IllegalArgumentException("not a hex digit near position " + 2 * i);
            }
            out[i] = (byte)((hi << 4) | lo);
        }
        return wrap(out);
    }

    public int length()
    {
        return bytes.length;
    }

    public byte byteAt(final int index)
    {
        return bytes[index];
    }

    /** A copy of the content. */
    public byte[] toByteArray()
    {
        return bytes.clone();
    }

    /** The backing array, for writing it out; callers must not modify it. */
    public byte[] array()
    {
        return bytes;
    }

    public String utf8()
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public String hex()
    {
        final char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++)
        {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /** True when every byte is printable ASCII, so the value reads well as text. */
    public boolean isPrintableAscii()
    {
        for (final byte b : bytes)
        {
            if (b < 0x20 || b > 0x7E)
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Bytes && Arrays.equals(bytes, ((Bytes)o).bytes);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(final Bytes o)
    {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString()
    {
        return isPrintableAscii() ? utf8() : "0x" + hex();
    }
}
