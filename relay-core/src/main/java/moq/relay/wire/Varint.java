package moq.relay.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A variable-length integer scheme. Both schemes in use tell the encoded length from the first byte,
 * so reading is two allocation-free steps: {@link #sizeAt} (check that many bytes are available), then
 * {@link #valueAt}.
 *
 * <p>Values are unsigned 64-bit and carried in a {@code long}; compare them with
 * {@link Long#compareUnsigned}.
 */
public interface Varint
{
    /** Encoded length in bytes, from the first byte alone. */
    int sizeAt(DirectBuffer buffer, int offset);

    /** Value of the varint at {@code offset}; the caller has checked that {@link #sizeAt} bytes are there. */
    long valueAt(DirectBuffer buffer, int offset);

    /** Bytes the minimal encoding of {@code value} takes. */
    int encodedLength(long value);

    /** Largest encodable value, unsigned. */
    long maxValue();

    /**
     * Writes the minimal encoding of {@code value}.
     *
     * @return bytes written.
     * @throws IllegalArgumentException if the value is larger than {@link #maxValue()}: a local bug, not peer input.
     */
    int encode(MutableDirectBuffer buffer, int offset, long value);

    /** Writes {@code value} in exactly {@code length} bytes (non-minimal encodings, for tests and padding). */
    int encode(MutableDirectBuffer buffer, int offset, long value, int length);
}
