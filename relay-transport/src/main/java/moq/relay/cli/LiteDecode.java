package moq.relay.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import moq.relay.wire.Bytes;
import moq.relay.wire.WireException;
import moq.relay.wire.data.BufferBudget;
import moq.relay.wire.lite.LiteControlStreamDecoder;
import moq.relay.wire.lite.LiteDatagram;
import moq.relay.wire.lite.LiteFrameDecoder;
import moq.relay.wire.lite.LiteFrameHandler;
import moq.relay.wire.lite.LiteLimits;
import moq.relay.wire.lite.LiteMessage;
import moq.relay.wire.lite.LiteMessageSink;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteVersion;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * {@code decode --protocol moq-lite-0N --kind SIDE}: one whole side of a moq-lite stream (its bytes up to FIN) or a
 * lite-05 datagram, as JSON. SIDE names a {@link LiteStreamSide} in lower case with dashes ({@code subscribe},
 * {@code subscribe-reply}, {@code group}, ...), or {@code datagram}. Off the hot path: collects what the decoders
 * report into a tree.
 */
final class LiteDecode
{
    private LiteDecode()
    {
    }

    /** The kinds {@code --kind} accepts with {@code --protocol moq-lite-*}. */
    static String kinds()
    {
        final StringBuilder s = new StringBuilder();
        for (final LiteStreamSide side : LiteStreamSide.values())
        {
            s.append(kindName(side)).append(", ");
        }
        return s.append("datagram").toString();
    }

    static String kindName(final LiteStreamSide side)
    {
        return side.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The side {@code kind} names, null for {@code datagram}; IllegalArgumentException if it names none. */
    static LiteStreamSide side(final String kind)
    {
        if ("datagram".equals(kind))
        {
            return null;
        }
        for (final LiteStreamSide side : LiteStreamSide.values())
        {
            if (kindName(side).equals(kind))
            {
                return side;
            }
        }
        throw new IllegalArgumentException("unknown moq-lite kind '" + kind + "' (one of " + kinds() + ")");
    }

    static ObjectNode decode(final LiteVersion version, final String kind, final UnsafeBuffer buffer)
        throws WireException
    {
        final LiteStreamSide side = side(kind);
        if (side == null)
        {
            return datagram(version, buffer);
        }
        if (!side.existsIn(version))
        {
            throw WireException.protocolViolation(kind + " does not exist in " + version);
        }
        if (side.dataPlane())
        {
            return frames(version, side, buffer);
        }
        final ObjectNode root = Json.mapper().createObjectNode();
        final ArrayNode messages = root.putArray("messages");
        final LiteControlStreamDecoder decoder = new LiteControlStreamDecoder(version, side, new LiteMessageSink()
        {
            @Override
            public void onMessage(final LiteMessage message)
            {
                final ObjectNode node = messages.addObject();
                node.put("message", message.name());
                node.set("fields", Json.mapper().valueToTree(message));
            }

            @Override
            public void onEnd()
            {
            }
        }, LiteLimits.DEFAULT_MAX_MESSAGE_LENGTH, BufferBudget.UNBOUNDED);
        if (side.opener())
        {
            root.put("streamType", "0x" + Integer.toHexString(side.streamType()));
        }
        decoder.onData(buffer, 0, buffer.capacity());
        decoder.onFin();
        return root;
    }

    private static ObjectNode frames(final LiteVersion version, final LiteStreamSide side, final UnsafeBuffer buffer)
        throws WireException
    {
        final ObjectNode root = Json.mapper().createObjectNode();
        final ArrayNode frames = Json.mapper().createArrayNode();
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        final LiteFrameHandler collector = new LiteFrameHandler()
        {
            private ObjectNode frame;

            @Override
            public void onGroup(final long subscribeId, final long sequence)
            {
                final ObjectNode group = root.putObject("group");
                group.put("subscribeId", subscribeId);
                group.put("sequence", sequence);
            }

            @Override
            public void onFrame(final long length, final long timestamp)
            {
                frame = frames.addObject();
                frame.put("length", length);
                if (version.frameTimestamps())
                {
                    frame.put("timestamp", timestamp);
                }
                payload.reset();
            }

            @Override
            public void onPayload(final DirectBuffer b, final int offset, final int length)
            {
                final byte[] chunk = new byte[length];
                b.getBytes(offset, chunk);
                payload.writeBytes(chunk);
            }

            @Override
            public void onFrameEnd()
            {
                frame.put("payload", Json.render(Bytes.wrap(payload.toByteArray())));
            }

            @Override
            public void onStreamEnd()
            {
            }
        };
        final LiteFrameDecoder decoder = new LiteFrameDecoder(version,
            side == LiteStreamSide.GROUP ? LiteFrameDecoder.Mode.GROUP : LiteFrameDecoder.Mode.FETCH_REPLY, collector,
            BufferBudget.UNBOUNDED);
        decoder.onData(buffer, 0, buffer.capacity());
        decoder.onFin();
        root.set("frames", frames);
        return root;
    }

    private static ObjectNode datagram(final LiteVersion version, final UnsafeBuffer buffer) throws WireException
    {
        final LiteDatagram d = new LiteDatagram().decode(version, buffer, 0, buffer.capacity());
        final ObjectNode node = Json.mapper().createObjectNode();
        node.put("subscribeId", d.subscribeId());
        node.put("sequence", d.sequence());
        node.put("timestamp", d.timestamp());
        final byte[] payload = new byte[d.payloadLength()];
        buffer.getBytes(d.payloadOffset(), payload);
        node.put("payload", Json.render(Bytes.wrap(payload)));
        return node;
    }
}
