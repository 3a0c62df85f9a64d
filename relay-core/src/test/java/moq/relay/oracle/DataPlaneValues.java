package moq.relay.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireException;
import moq.relay.wire.data.DataStreamDecoder;
import moq.relay.wire.data.DataStreamHandler;
import moq.relay.wire.data.FetchStreamEncoder;
import moq.relay.wire.data.ObjectDatagram;
import moq.relay.wire.data.ObjectDatagramEncoder;
import moq.relay.wire.data.ObjectHeader;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupHeader;
import moq.relay.wire.data.SubgroupHeaderType;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain value model of the data plane shared by the oracle cross-checks: what OUR decoder reports for a
 * stream or datagram, what the ORACLE's JSON value says, and OUR encoders driven from such a value. Values are
 * records, so the two sides compare with {@code equals}. Byte strings are lower-case hex.
 */
final class DataPlaneValues
{
    static final int MAX_PROPERTIES = 4096;

    private DataPlaneValues()
    {
    }

    /** One element after a stream header. */
    sealed interface Item permits Obj, EndOfRange
    {
    }

    /**
     * An object with its ids resolved. {@code subgroup} is 0 for a draft-18 fetch object with the Datagram
     * flag (it has none); {@code priority} is -1 when the object inherits the subscription's priority.
     */
    record Obj(long group, long subgroup, boolean datagram, long object, int priority, long status, String properties,
        String payload) implements Item
    {
        @Override
        public String toString()
        {
            return "Obj{g=" + Long.toUnsignedString(group) + " s=" + (datagram ? "datagram" : Long.toUnsignedString(subgroup)) +
                " o=" + Long.toUnsignedString(object) + " p=" + priority + " status=" + status + " props=" + properties +
                " payload=" + abbreviate(payload) + "}";
        }
    }

    /** Draft-18 fetch End of Range: 0x8C ({@code unknown} false) or 0x10C ({@code unknown} true). */
    record EndOfRange(long group, long object, boolean unknown) implements Item
    {
    }

    /** A SUBGROUP_HEADER; {@code subgroupKnown} false (and {@code subgroup} 0) in SUBGROUP_ID_MODE 0b01. */
    record SubgroupHead(int type, long alias, long group, long subgroup, boolean subgroupKnown, int priority)
    {
        @Override
        public String toString()
        {
            return "SubgroupHead{type=0x" + Integer.toHexString(type) + " alias=" + Long.toUnsignedString(alias) +
                " g=" + Long.toUnsignedString(group) + " s=" + (subgroupKnown ? Long.toUnsignedString(subgroup) : "first-object") +
                " p=" + priority + "}";
        }
    }

    /** A FETCH_HEADER. */
    record FetchHead(long requestId)
    {
    }

    /** A whole data stream: {@link SubgroupHead} or {@link FetchHead}, then the items; {@code fin} after a clean FIN. */
    record Stream(Object header, List<Item> items, boolean fin)
    {
    }

    /** An OBJECT_DATAGRAM; {@code status} only meaningful when {@code hasStatus}. */
    record Datagram(int type, long alias, long group, long object, int priority, boolean endOfGroup, boolean hasStatus,
        long status, String properties, String payload)
    {
        @Override
        public String toString()
        {
            return "Datagram{type=0x" + Integer.toHexString(type) + " alias=" + Long.toUnsignedString(alias) +
                " g=" + Long.toUnsignedString(group) + " o=" + Long.toUnsignedString(object) + " p=" + priority +
                " eog=" + endOfGroup + (hasStatus ? " status=" + status : "") + " props=" + properties +
                " payload=" + abbreviate(payload) + "}";
        }
    }

    // ─── our decoder ────────────────────────────────────────────────────

    /** Records decoder callbacks as values; payload chunks are joined per object. */
    static final class Recording implements DataStreamHandler
    {
        private final boolean descending;
        private final List<Item> items = new ArrayList<>();
        private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        private Object header;
        private ObjectHeader pending;
        private Obj current;
        private boolean fin;
        private boolean subgroupStream;

        Recording(final boolean descending)
        {
            this.descending = descending;
        }

        @Override
        public void onSubgroupHeader(final SubgroupHeader h)
        {
            subgroupStream = true;
            header = new SubgroupHead(h.type(), h.trackAlias(), h.groupId(), h.subgroupIdKnown() ? h.subgroupId() : 0,
                h.subgroupIdKnown(), h.publisherPriority());
        }

        @Override
        public boolean onFetchHeader(final long requestId)
        {
            header = new FetchHead(requestId);
            return descending;
        }

        @Override
        public void onObjectHeader(final ObjectHeader h)
        {
            if (current != null)
            {
                throw new AssertionError("object header inside an object");
            }
            pending = h;
            current = new Obj(h.groupId(), h.datagram() ? 0 : h.subgroupId(), h.datagram(), h.objectId(), h.publisherPriority(),
                h.status(), h.propertiesLength() == 0 ? "" : hex(h.propertiesBuffer(), h.propertiesOffset(), h.propertiesLength()),
                "");
        }

        @Override
        public void onPayload(final DirectBuffer buffer, final int offset, final int length)
        {
            if (current == null || length <= 0)
            {
                throw new AssertionError("payload outside an object, or empty");
            }
            for (int i = 0; i < length; i++)
            {
                payload.write(buffer.getByte(offset + i));
            }
        }

        @Override
        public void onObjectEnd()
        {
            if (current == null)
            {
                throw new AssertionError("object end outside an object");
            }
            final byte[] p = payload.toByteArray();
            if (p.length != pending.payloadLength())
            {
                throw new AssertionError("payload of " + p.length + " bytes, header said " + pending.payloadLength());
            }
            items.add(new Obj(current.group(), current.subgroup(), current.datagram(), current.object(), current.priority(),
                current.status(), current.properties(), Bytes.wrap(p).hex()));
            payload.reset();
            current = null;
            pending = null;
        }

        @Override
        public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
        {
            if (subgroupStream || current != null)
            {
                throw new AssertionError("End of Range outside a fetch stream's object boundary");
            }
            items.add(new EndOfRange(groupId, objectId, unknown));
        }

        @Override
        public void onStreamEnd()
        {
            fin = true;
        }

        Stream stream()
        {
            return new Stream(header, List.copyOf(items), fin);
        }
    }

    /**
     * Our decoder over {@code bytes}: whole ({@code chunk} 0 or at least the length) or in chunks of
     * {@code chunk} bytes, each copied into its own buffer at an offset; then FIN.
     */
    static Stream decodeStream(final Draft draft, final byte[] bytes, final int chunk, final boolean descending)
        throws WireException
    {
        final Recording recording = new Recording(descending);
        final DataStreamDecoder decoder = new DataStreamDecoder(draft, recording, MAX_PROPERTIES);
        final int step = chunk <= 0 ? Math.max(1, bytes.length) : chunk;
        for (int from = 0; from < bytes.length; from += step)
        {
            final int n = Math.min(step, bytes.length - from);
            final byte[] copy = new byte[n + 5];
            System.arraycopy(bytes, from, copy, 5, n);
            decoder.onData(new UnsafeBuffer(copy), 5, n);
        }
        decoder.onFin();
        return recording.stream();
    }

    /** Our datagram decoder over {@code bytes}, placed at an offset inside a larger buffer. */
    static Datagram decodeDatagram(final Draft draft, final byte[] bytes) throws WireException
    {
        final byte[] copy = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, copy, 3, bytes.length);
        final ObjectDatagram d = new ObjectDatagram();
        if (!d.decode(draft, new UnsafeBuffer(copy), 3, bytes.length))
        {
            throw new AssertionError("padding datagram");
        }
        return new Datagram(d.type(), d.trackAlias(), d.groupId(), d.objectId(), d.publisherPriority(), d.endOfGroup(),
            d.hasStatus(), d.status(), hex(d.buffer(), d.propertiesOffset(), d.propertiesLength()),
            hex(d.buffer(), d.payloadOffset(), d.payloadLength()));
    }

    // ─── the oracle's value ─────────────────────────────────────────────

    /**
     * The oracle's decoded subgroup stream (README §2) as our model: objects inherit the header's group, subgroup
     * and priority; SUBGROUP_ID_MODE 0b01 resolves to the first object's id (the oracle's header carries a
     * placeholder 0 there, README §4.14).
     */
    static Stream subgroupFromOracle(final JsonNode value)
    {
        final JsonNode h = value.get("header");
        final int type = h.get("typeByte").asInt();
        final boolean known = SubgroupHeaderType.subgroupIdMode(type) != SubgroupHeaderType.MODE_FIRST_OBJECT_ID;
        final long subgroup = Oracle.u64(h.get("subgroupId"));
        final int priority = h.has("publisherPriority") ? h.get("publisherPriority").asInt() : SubgroupHeader.DEFAULT_PRIORITY;
        final SubgroupHead head = new SubgroupHead(type, Oracle.u64(h.get("trackAlias")), Oracle.u64(h.get("groupId")),
            known ? subgroup : 0, known, priority);
        final List<Item> items = new ArrayList<>();
        long resolved = subgroup;
        for (final JsonNode o : value.get("objects"))
        {
            final long objectId = Oracle.u64(o.get("objectId"));
            if (!known && items.isEmpty())
            {
                resolved = objectId;
            }
            items.add(new Obj(head.group(), resolved, false, objectId, priority, statusOf(o), bytesOf(o, "extensions"),
                bytesOf(o, "payload")));
        }
        return new Stream(head, List.copyOf(items), true);
    }

    /**
     * The oracle's decoded fetch stream as our model. Draft-14 zero-length objects come back from the oracle as
     * {@code endOfRange} items carrying {@code rawStatus} and without Subgroup ID, Priority or Extensions (its
     * draft-16 model, README §1 "Data plane"): they map to objects with that status, taking the three dropped
     * fields from {@code dropped} (our decode of the same item), which the caller pins by byte identity.
     */
    static Stream fetchFromOracle(final int draft, final JsonNode value, final List<Item> dropped)
    {
        final FetchHead head = new FetchHead(Oracle.u64(value.get("header").get("requestId")));
        final List<Item> items = new ArrayList<>();
        int index = 0;
        for (final JsonNode o : value.get("objects"))
        {
            final long group = Oracle.u64(o.get("groupId"));
            final long object = Oracle.u64(o.get("objectId"));
            if ("endOfRange".equals(o.get("kind").asText()))
            {
                if (draft == 14)
                {
                    final Obj ours = index < dropped.size() && dropped.get(index) instanceof Obj obj ? obj : null;
                    items.add(new Obj(group, ours == null ? -1 : ours.subgroup(), false, object, ours == null ? -2 : ours.priority(),
                        Oracle.u64(o.get("rawStatus")), ours == null ? "?" : ours.properties(), ""));
                }
                else
                {
                    items.add(new EndOfRange(group, object, !o.get("nonExistent").asBoolean()));
                }
            }
            else
            {
                final boolean datagram = o.get("isDatagram").asBoolean();
                items.add(new Obj(group, datagram ? 0 : Oracle.u64(o.get("subgroupId")), datagram, object,
                    o.get("publisherPriority").asInt(), ObjectStatus.NORMAL, bytesOf(o, "extensions"), bytesOf(o, "payload")));
            }
            index++;
        }
        return new Stream(head, List.copyOf(items), true);
    }

    static Datagram datagramFromOracle(final JsonNode v)
    {
        final boolean hasStatus = v.has("status");
        return new Datagram(v.get("typeByte").asInt(), Oracle.u64(v.get("trackAlias")), Oracle.u64(v.get("groupId")),
            Oracle.u64(v.get("objectId")), v.has("publisherPriority") ? v.get("publisherPriority").asInt() : ObjectDatagram.DEFAULT_PRIORITY,
            v.get("isEndOfGroup").asBoolean(), hasStatus, hasStatus ? Oracle.u64(v.get("status")) : ObjectStatus.NORMAL,
            bytesOf(v, "extensions"), bytesOf(v, "payload"));
    }

    private static long statusOf(final JsonNode o)
    {
        return o.has("status") ? Oracle.u64(o.get("status")) : ObjectStatus.NORMAL;
    }

    private static String bytesOf(final JsonNode o, final String field)
    {
        return o.has(field) ? Oracle.bytes(o.get(field)).hex() : "";
    }

    // ─── our encoders ───────────────────────────────────────────────────

    /** Our subgroup stream for {@code head} and {@code objects} (all {@link Obj}), payloads appended. */
    static byte[] encodeSubgroup(final Draft draft, final SubgroupHead head, final List<Item> objects)
    {
        final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(draft);
        final Out out = new Out();
        out.position += encoder.writeHeader(draft, out.buffer, 0, head.type(), head.alias(), head.group(), head.subgroup(),
            head.priority());
        for (final Item item : objects)
        {
            final Obj o = (Obj)item;
            final UnsafeBuffer props = buffer(o.properties());
            final byte[] payload = Bytes.fromHex(o.payload()).array();
            out.ensure(SubgroupStreamEncoder.maxObjectHeaderLength(props.capacity()) + payload.length);
            out.position += encoder.writeObject(out.buffer, out.position, o.object(), o.status(), props, 0, props.capacity(),
                payload.length);
            out.put(payload);
        }
        return out.bytes();
    }

    /** Our fetch stream; {@link Encoded#flags} has the Serialization Flags we chose per item (draft-18). */
    static Encoded encodeFetch(final Draft draft, final long requestId, final boolean descending, final List<Item> items)
    {
        final FetchStreamEncoder encoder = new FetchStreamEncoder(draft);
        final Out out = new Out();
        out.position += encoder.writeHeader(draft, out.buffer, 0, requestId, descending);
        final List<Long> flags = new ArrayList<>();
        final List<Integer> ends = new ArrayList<>();
        for (final Item item : items)
        {
            final int start = out.position;
            if (item instanceof EndOfRange e)
            {
                out.ensure(32);
                out.position += encoder.writeEndOfRange(out.buffer, out.position, e.group(), e.object(), e.unknown());
            }
            else
            {
                final Obj o = (Obj)item;
                final UnsafeBuffer props = buffer(o.properties());
                final byte[] payload = Bytes.fromHex(o.payload()).array();
                out.ensure(FetchStreamEncoder.maxObjectHeaderLength(props.capacity()) + payload.length);
                out.position += encoder.writeObject(out.buffer, out.position, o.group(), o.subgroup(), o.datagram(), o.object(),
                    o.priority(), o.status(), props, 0, props.capacity(), payload.length);
                out.put(payload);
            }
            flags.add(draft == Draft.DRAFT_18 ? MoqtVarint.value(out.buffer, start) : -1L);
            ends.add(out.position);
        }
        return new Encoded(out.bytes(), List.copyOf(flags), List.copyOf(ends));
    }

    /** Encoder output with per-item Serialization Flags (draft-18 fetch) and the offset after each item. */
    record Encoded(byte[] bytes, List<Long> flags, List<Integer> ends)
    {
    }

    /** Our datagram for {@code d} (its type is chosen by our encoder, not taken from {@code d}). */
    static byte[] encodeDatagram(final Draft draft, final Datagram d)
    {
        final UnsafeBuffer props = buffer(d.properties());
        final byte[] payload = Bytes.fromHex(d.payload()).array();
        final UnsafeBuffer out = new UnsafeBuffer(new byte[ObjectDatagramEncoder.maxHeaderLength(props.capacity()) + payload.length]);
        final int n = ObjectDatagramEncoder.writeHeader(draft, out, 0, d.alias(), d.group(), d.object(), d.priority(), d.endOfGroup(),
            d.hasStatus() ? d.status() : ObjectDatagramEncoder.NO_STATUS, props, 0, props.capacity());
        out.putBytes(n, payload);
        final byte[] bytes = new byte[n + payload.length];
        out.getBytes(0, bytes);
        return bytes;
    }

    // ─── helpers ────────────────────────────────────────────────────────

    static String hex(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] b = new byte[length];
        if (length > 0)
        {
            buffer.getBytes(offset, b);
        }
        return Bytes.wrap(b).hex();
    }

    static String hex(final byte[] bytes)
    {
        return Bytes.copyOf(bytes).hex();
    }

    private static UnsafeBuffer buffer(final String hex)
    {
        return new UnsafeBuffer(Bytes.fromHex(hex).array());
    }

    /** Size of one varint of the draft at {@code offset}. */
    static int varintSize(final Draft draft, final byte[] bytes, final int offset)
    {
        final UnsafeBuffer b = new UnsafeBuffer(bytes);
        return draft == Draft.DRAFT_18 ? MoqtVarint.size(b, offset) : QuicVarint.size(b, offset);
    }

    private static String abbreviate(final String hex)
    {
        return hex.length() <= 48 ? hex : hex.substring(0, 40) + "...(" + hex.length() / 2 + " bytes)";
    }

    /** A growable output buffer. */
    private static final class Out
    {
        private UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        private int position;

        void ensure(final int more)
        {
            if (position + more > buffer.capacity())
            {
                final byte[] bigger = new byte[Math.max(buffer.capacity() * 2, position + more)];
                buffer.getBytes(0, bigger, 0, position);
                buffer = new UnsafeBuffer(bigger);
            }
        }

        void put(final byte[] bytes)
        {
            ensure(bytes.length);
            buffer.putBytes(position, bytes);
            position += bytes.length;
        }

        byte[] bytes()
        {
            final byte[] b = new byte[position];
            buffer.getBytes(0, b);
            return b;
        }
    }
}
