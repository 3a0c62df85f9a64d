package moq.relay.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.KeyValuePairs;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.data.DataStreamDecoder;
import moq.relay.wire.data.DataStreamHandler;
import moq.relay.wire.data.ObjectDatagram;
import moq.relay.wire.data.ObjectHeader;
import moq.relay.wire.data.StreamType;
import moq.relay.wire.data.SubgroupHeader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;

/**
 * Renders a whole subgroup stream, fetch stream or datagram as JSON for {@code decode}. Off the hot path:
 * it collects what the allocation-free decoders report into a tree.
 */
final class DataPlaneJson
{
    /** Object properties a CLI run will show; the relay itself bounds them by configuration. */
    private static final int MAX_PROPERTIES_LENGTH = 65_535;

    private DataPlaneJson()
    {
    }

    static ObjectNode decode(final Draft draft, final DecodeCommand.Kind kind, final UnsafeBuffer buffer)
        throws WireException
    {
        if (kind == DecodeCommand.Kind.datagram)
        {
            return datagram(draft, buffer);
        }
        final WireReader first = new WireReader(draft.varint()).wrap(buffer, 0, buffer.capacity());
        final StreamType type = StreamType.of(draft, first.varint());
        final StreamType expected = kind == DecodeCommand.Kind.subgroup ? StreamType.SUBGROUP : StreamType.FETCH;
        if (type != expected)
        {
            throw WireException.protocolViolation("stream type is " + type + ", not " + expected);
        }
        final Collector collector = new Collector(draft);
        final DataStreamDecoder decoder = new DataStreamDecoder(draft, collector, MAX_PROPERTIES_LENGTH);
        decoder.onData(buffer, 0, buffer.capacity());
        decoder.onFin();
        if (collector.deferred != null)
        {
            throw collector.deferred;
        }
        return collector.root;
    }

    private static ObjectNode datagram(final Draft draft, final UnsafeBuffer buffer) throws WireException
    {
        final ObjectDatagram d = new ObjectDatagram();
        final ObjectNode node = Json.mapper().createObjectNode();
        if (!d.decode(draft, buffer, 0, buffer.capacity()))
        {
            node.put("padding", true);
            return node;
        }
        node.put("type", "0x" + Integer.toHexString(d.type()));
        Json.putUnsigned(node, "trackAlias", d.trackAlias());
        Json.putUnsigned(node, "groupId", d.groupId());
        Json.putUnsigned(node, "objectId", d.objectId());
        putPriority(node, d.publisherPriority());
        node.put("endOfGroup", d.endOfGroup());
        node.set("properties", properties(draft, d.buffer(), d.propertiesOffset(), d.propertiesLength()));
        if (d.hasStatus())
        {
            Json.putUnsigned(node, "status", d.status());
        }
        else
        {
            node.put("payload", Json.render(copy(d.buffer(), d.payloadOffset(), d.payloadLength())));
            node.put("payloadLength", d.payloadLength());
        }
        return node;
    }

    private static void putPriority(final ObjectNode node, final int priority)
    {
        if (priority < 0)
        {
            node.put("publisherPriority", "default");
        }
        else
        {
            node.put("publisherPriority", priority);
        }
    }

    /** Properties parsed for display; the relay itself stores them as raw bytes. */
    private static ArrayNode properties(final Draft draft, final DirectBuffer buffer, final int offset, final int length)
        throws WireException
    {
        final ArrayNode array = Json.mapper().createArrayNode();
        if (length == 0)
        {
            return array;
        }
        final WireReader reader = new WireReader(draft.varint()).wrap(buffer, offset, length);
        for (final KeyValuePair p : KeyValuePairs.readToEnd(reader, draft.atLeast(18)))
        {
            final ObjectNode n = array.addObject();
            n.put("type", "0x" + Long.toHexString(p.type()));
            if (p.bytesValue() != null)
            {
                n.put("value", Json.render(p.bytesValue()));
            }
            else
            {
                n.set("value", Json.mapper().valueToTree(p.intValue()));
            }
        }
        return array;
    }

    private static Bytes copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] out = new byte[length];
        buffer.getBytes(offset, out);
        return Bytes.wrap(out);
    }

    /** Turns decoder callbacks into a JSON tree. */
    private static final class Collector implements DataStreamHandler
    {
        private final Draft draft;
        private final ObjectNode root = Json.mapper().createObjectNode();
        private final ArrayNode objects = Json.mapper().createArrayNode();
        private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        private ObjectNode current;
        private WireException deferred;

        Collector(final Draft draft)
        {
            this.draft = draft;
        }

        @Override
        public void onSubgroupHeader(final SubgroupHeader h)
        {
            final ObjectNode header = root.putObject("header");
            header.put("type", "0x" + Integer.toHexString(h.type()));
            Json.putUnsigned(header, "trackAlias", h.trackAlias());
            Json.putUnsigned(header, "groupId", h.groupId());
            if (h.subgroupIdKnown())
            {
                Json.putUnsigned(header, "subgroupId", h.subgroupId());
            }
            else
            {
                header.put("subgroupId", "first object id");
            }
            putPriority(header, h.publisherPriority());
            header.put("hasProperties", h.hasProperties());
            header.put("endOfGroup", h.endOfGroup());
            if (draft.atLeast(18))
            {
                header.put("firstObject", h.firstObject());
            }
            root.set("objects", objects);
        }

        @Override
        public boolean onFetchHeader(final long requestId)
        {
            Json.putUnsigned(root.putObject("header"), "requestId", requestId);
            root.set("objects", objects);
            return false;
        }

        @Override
        public void onObjectHeader(final ObjectHeader h)
        {
            current = objects.addObject();
            Json.putUnsigned(current, "groupId", h.groupId());
            Json.putUnsigned(current, "subgroupId", h.subgroupId());
            Json.putUnsigned(current, "objectId", h.objectId());
            putPriority(current, h.publisherPriority());
            try
            {
                current.set("properties", properties(draft, h.propertiesBuffer(), h.propertiesOffset(), h.propertiesLength()));
            }
            catch (final WireException e)
            {
                // Callbacks cannot throw; report the first malformed property block after the stream.
                if (deferred == null)
                {
                    deferred = e;
                }
            }
            if (h.payloadLength() == 0)
            {
                Json.putUnsigned(current, "status", h.status());
            }
            Json.putUnsigned(current, "payloadLength", h.payloadLength());
            payload.reset();
        }

        @Override
        public void onPayload(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] chunk = new byte[length];
            buffer.getBytes(offset, chunk);
            payload.write(chunk, 0, length);
        }

        @Override
        public void onObjectEnd()
        {
            if (payload.size() > 0)
            {
                current.put("payload", Json.render(Bytes.wrap(payload.toByteArray())));
            }
        }

        @Override
        public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
        {
            final ObjectNode n = objects.addObject();
            n.put("endOfRange", unknown ? "unknown" : "non-existent");
            Json.putUnsigned(n, "groupId", groupId);
            Json.putUnsigned(n, "objectId", objectId);
        }

        @Override
        public void onEndOfTimedOutRange(final long groupId, final long objectId)
        {
            final ObjectNode n = objects.addObject();
            n.put("endOfRange", "timed-out");
            Json.putUnsigned(n, "groupId", groupId);
            Json.putUnsigned(n, "objectId", objectId);
        }

        @Override
        public void onStreamEnd()
        {
            root.put("fin", true);
        }
    }
}
