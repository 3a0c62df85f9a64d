package moq.relay.transport.webtransport;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Capsules (RFC 9297 3.2) WebTransport sends on the CONNECT stream: WT_CLOSE_SESSION and WT_DRAIN_SESSION
 * (draft-ietf-webtrans-http3-16 4.7 and 6).
 */
final class Capsules
{
    static final long WT_CLOSE_SESSION = 0x2843;
    static final long WT_DRAIN_SESSION = 0x78ae;
    /** Draft-16 6: the close message is at most 1024 bytes of UTF-8. */
    static final int MAX_CLOSE_MESSAGE_BYTES = 1024;

    private Capsules()
    {
    }

    /** A WT_CLOSE_SESSION capsule; the reason is truncated to 1024 bytes at a character boundary. The caller owns it. */
    static ByteBuf closeSession(final ByteBufAllocator alloc, final long applicationCode, final String reason)
    {
        final byte[] message = truncatedUtf8(reason == null ? "" : reason);
        final ByteBuf out = alloc.buffer(16 + message.length);
        WtVarint.write(out, WT_CLOSE_SESSION);
        WtVarint.write(out, 4 + message.length);
        out.writeInt((int)applicationCode);
        out.writeBytes(message);
        return out;
    }

    /** A WT_DRAIN_SESSION capsule. The caller owns it. */
    static ByteBuf drainSession(final ByteBufAllocator alloc)
    {
        final ByteBuf out = alloc.buffer(8);
        WtVarint.write(out, WT_DRAIN_SESSION);
        WtVarint.write(out, 0);
        return out;
    }

    /** Decodes a WT_CLOSE_SESSION message, or returns null when it is not valid UTF-8 or too long. */
    static String closeMessage(final ByteBuf payload)
    {
        if (payload.readableBytes() > MAX_CLOSE_MESSAGE_BYTES)
        {
            return null;
        }
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try
        {
            return decoder.decode(payload.nioBuffer()).toString();
        }
        catch (final CharacterCodingException ex)
        {
            return null;
        }
    }

    private static byte[] truncatedUtf8(final String reason)
    {
        final byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_CLOSE_MESSAGE_BYTES)
        {
            return bytes;
        }
        int end = MAX_CLOSE_MESSAGE_BYTES;
        while (end > 0 && (bytes[end] & 0xc0) == 0x80)
        {
            end--; // back to the first byte of the character that crosses the limit
        }
        final byte[] truncated = new byte[end];
        ByteBuffer.wrap(bytes, 0, end).get(truncated);
        return truncated;
    }
}
