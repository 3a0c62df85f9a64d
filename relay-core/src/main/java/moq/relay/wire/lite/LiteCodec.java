package moq.relay.wire.lite;

import moq.relay.wire.Bytes;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The control messages of one moq-lite version: bodies decoded from a {@link WireReader} bounded to exactly the
 * Message Length (moq-lite-03 §"Message Length": a length that does not match the fields is a PROTOCOL_VIOLATION),
 * messages encoded with their framing ({@code [Type (i)] Message Length (i) Body}). Varints are QUIC's (RFC 9000).
 *
 * <p>Every count and length from the peer is checked against the bytes that remain before it sizes anything;
 * strings must be UTF-8 (Appendix B: "Names use utf-8 strings"). Malformed input raises a stackless
 * {@link WireException} (PROTOCOL_VIOLATION); nothing else escapes a decode. Thread-safe (stateless).
 */
public final class LiteCodec
{
    private static final LiteCodec[] CODECS = {
        new LiteCodec(LiteVersion.LITE_03), new LiteCodec(LiteVersion.LITE_04), new LiteCodec(LiteVersion.LITE_05)};

    /** Subscribe Stream reply types (moq-lite-03 §"SUBSCRIBE_OK" / §"SUBSCRIBE_DROP"; lite-05 renumbered them). */
    public static final int REPLY_OK = 0x0;
    public static final int REPLY_DROP_03 = 0x1;
    public static final int REPLY_START_05 = 0x0;
    public static final int REPLY_END_05 = 0x1;
    public static final int REPLY_DROP_05 = 0x2;

    private final LiteVersion version;

    private LiteCodec(final LiteVersion version)
    {
        this.version = version;
    }

    public static LiteCodec of(final LiteVersion version)
    {
        return CODECS[version.ordinal()];
    }

    public LiteVersion version()
    {
        return version;
    }

    /** Whether {@code kind} exists in this version. */
    public boolean defines(final LiteMessageKind kind)
    {
        switch (kind)
        {
            case ANNOUNCE_OK:
                return version.announceOk();
            case SUBSCRIBE_OK:
                return !version.subscribeStartEnd();
            case SUBSCRIBE_START:
            case SUBSCRIBE_END:
                return version.subscribeStartEnd();
            case GOAWAY:
                return version.goaway();
            case SETUP:
                return version.setupStream();
            case TRACK:
            case TRACK_INFO:
                return version.trackStream();
            default:
                return true;
        }
    }

    /** The kind of a Subscribe Stream reply of wire type {@code type}; an unknown type is a PROTOCOL_VIOLATION. */
    public LiteMessageKind replyKind(final long type) throws WireException
    {
        if (version.subscribeStartEnd())
        {
            if (type == REPLY_START_05)
            {
                return LiteMessageKind.SUBSCRIBE_START;
            }
            if (type == REPLY_END_05)
            {
                return LiteMessageKind.SUBSCRIBE_END;
            }
            if (type == REPLY_DROP_05)
            {
                return LiteMessageKind.SUBSCRIBE_DROP;
            }
        }
        else if (type == REPLY_OK)
        {
            return LiteMessageKind.SUBSCRIBE_OK;
        }
        else if (type == REPLY_DROP_03)
        {
            return LiteMessageKind.SUBSCRIBE_DROP;
        }
        throw WireException.protocolViolation(
            "unknown subscribe reply type 0x" + Long.toHexString(type) + " on " + version);
    }

    /** The reply type written before {@code message}'s length, or -1 if it is not a Subscribe Stream reply. */
    public long replyType(final LiteMessage message)
    {
        if (message instanceof SubscribeOk)
        {
            return REPLY_OK;
        }
        if (message instanceof SubscribeStart)
        {
            return REPLY_START_05;
        }
        if (message instanceof SubscribeEnd)
        {
            return REPLY_END_05;
        }
        if (message instanceof SubscribeDrop)
        {
            return version.subscribeStartEnd() ? REPLY_DROP_05 : REPLY_DROP_03;
        }
        return -1;
    }

    /**
     * Decodes one message body of {@code kind} from exactly {@code length} bytes.
     *
     * @throws WireException PROTOCOL_VIOLATION if the body is malformed, has trailing bytes, or {@code kind} does not
     *                       exist in this version.
     */
    public LiteMessage decode(final LiteMessageKind kind, final DirectBuffer buffer, final int offset, final int length)
        throws WireException
    {
        if (!defines(kind))
        {
            throw WireException.protocolViolation(kind + " does not exist in " + version);
        }
        final WireReader r = new WireReader(QuicVarint.INSTANCE).wrap(buffer, offset, length);
        final LiteMessage message;
        try
        {
            message = decodeBody(kind, r);
        }
        catch (final IllegalArgumentException | IndexOutOfBoundsException e)
        {
            // The reader checks every bound first; reaching this is a bug, still reported as the peer's error class.
            throw WireException.protocolViolation(kind + ": " + e.getMessage());
        }
        r.expectEnd(kind.name());
        return message;
    }

    private LiteMessage decodeBody(final LiteMessageKind kind, final WireReader r) throws WireException
    {
        switch (kind)
        {
            case ANNOUNCE_PLEASE:
            {
                final String prefix = string(r, "prefix");
                return new AnnouncePlease(prefix, version.excludeHop() ? r.varint() : 0);
            }
            case ANNOUNCE:
                return announce(r);
            case ANNOUNCE_OK:
                return new AnnounceOk(r.varint(), r.varint());
            case SUBSCRIBE:
            {
                final long id = r.varint();
                final String broadcast = string(r, "broadcast");
                final String track = string(r, "track");
                return new Subscribe(id, broadcast, track, r.uint8(), bool(r), r.varint(), r.varint(), r.varint());
            }
            case SUBSCRIBE_UPDATE:
                return new SubscribeUpdate(r.uint8(), bool(r), r.varint(), r.varint(), r.varint());
            case SUBSCRIBE_OK:
                return new SubscribeOk(r.uint8(), bool(r), r.varint(), r.varint(), r.varint());
            case SUBSCRIBE_START:
                return new SubscribeStart(r.varint());
            case SUBSCRIBE_END:
                return new SubscribeEnd(r.varint());
            case SUBSCRIBE_DROP:
                return new SubscribeDrop(r.varint(), r.varint(), r.varint());
            case FETCH:
            {
                final String broadcast = string(r, "broadcast");
                final String track = string(r, "track");
                return new Fetch(broadcast, track, r.uint8(), r.varint());
            }
            case PROBE:
                return new Probe(r.varint(), version.probeRtt() ? r.varint() : 0);
            case GOAWAY:
                return new Goaway(string(r, "uri"));
            case SETUP:
                return setup(r);
            case TRACK:
            {
                final String broadcast = string(r, "broadcast");
                return new TrackRequest(broadcast, string(r, "track"));
            }
            case TRACK_INFO:
            {
                final int priority = r.uint8();
                final boolean ordered = bool(r);
                final long maxLatency = r.varint();
                final long timescale = r.varint();
                if (timescale == 0)
                {
                    throw WireException.protocolViolation("TRACK_INFO timescale 0");
                }
                return new TrackInfo(priority, ordered, maxLatency, timescale);
            }
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    private Announce announce(final WireReader r) throws WireException
    {
        final long status = r.varint();
        final AnnounceStatus s;
        if (status == AnnounceStatus.ENDED.code())
        {
            s = AnnounceStatus.ENDED;
        }
        else if (status == AnnounceStatus.ACTIVE.code())
        {
            s = AnnounceStatus.ACTIVE;
        }
        else if (status == AnnounceStatus.RESTART.code() && version.announceOk())
        {
            s = AnnounceStatus.RESTART;
        }
        else
        {
            throw WireException.protocolViolation("announce status " + Long.toUnsignedString(status));
        }
        final String suffix = string(r, "suffix");
        final int count = r.varintAsInt(LiteLimits.MAX_HOPS, "hop count");
        final List<Long> hops = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            hops.add(version.hopIds() ? r.varint() : 0L);
        }
        return new Announce(s, suffix, hops);
    }

    private static Setup setup(final WireReader r) throws WireException
    {
        final int count = r.varintAsInt(LiteLimits.MAX_SETUP_PARAMETERS, "setup parameter count");
        final List<Setup.Parameter> parameters = new ArrayList<>(count);
        final Set<Long> ids = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            final long id = r.varint();
            if (!ids.add(id))
            {
                throw WireException.protocolViolation("duplicate setup parameter 0x" + Long.toHexString(id));
            }
            final int length = r.varintAsInt(r.remaining(), "setup parameter length");
            parameters.add(new Setup.Parameter(id, r.bytes(length)));
        }
        return new Setup(parameters);
    }

    /** {@code bool}: one byte, 0 or 1 (moq-lite-03 §"SUBSCRIBE" Subscriber Ordered); anything else is malformed. */
    private static boolean bool(final WireReader r) throws WireException
    {
        final int b = r.uint8();
        if (b > 1)
        {
            throw WireException.protocolViolation("ordered byte 0x" + Integer.toHexString(b));
        }
        return b == 1;
    }

    /** {@code (s)}: a varint length, at most what remains, then that many bytes of UTF-8. */
    static String string(final WireReader r, final String what) throws WireException
    {
        final int length = r.varintAsInt(r.remaining(), what + " length");
        final byte[] bytes = new byte[length];
        r.buffer().getBytes(r.position(), bytes);
        r.skip(length);
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        }
        catch (final CharacterCodingException e)
        {
            throw WireException.protocolViolation(what + " is not UTF-8");
        }
    }

    /** {@code message} framed: its reply type if it has one, its Message Length, its body. */
    public byte[] encode(final LiteMessage message)
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(64);
        final int length = encode(message, out, 0);
        final byte[] bytes = new byte[length];
        out.getBytes(0, bytes);
        return bytes;
    }

    /**
     * Writes {@code message} framed at {@code offset} (the buffer must have room, or expand).
     *
     * @return bytes written.
     * @throws IllegalArgumentException if {@code message} does not exist in this version.
     */
    public int encode(final LiteMessage message, final MutableDirectBuffer buffer, final int offset)
    {
        final ExpandableArrayBuffer body = new ExpandableArrayBuffer(64);
        final int bodyLength = body(message, body);
        int position = offset;
        final long type = replyType(message);
        if (type >= 0)
        {
            position += QuicVarint.write(buffer, position, type);
        }
        position += QuicVarint.write(buffer, position, bodyLength);
        buffer.putBytes(position, body, 0, bodyLength);
        return position + bodyLength - offset;
    }

    private int body(final LiteMessage message, final MutableDirectBuffer b)
    {
        final Body w = new Body(b);
        if (message instanceof AnnouncePlease m)
        {
            w.string(m.prefix());
            if (version.excludeHop())
            {
                w.varint(m.excludeHop());
            }
        }
        else if (message instanceof Announce m)
        {
            if (m.status() == AnnounceStatus.RESTART && !version.announceOk())
            {
                throw new IllegalArgumentException("announce restart does not exist in " + version);
            }
            w.varint(m.status().code());
            w.string(m.suffix());
            w.varint(m.hops().size());
            if (version.hopIds())
            {
                for (final long hop : m.hops())
                {
                    w.varint(hop);
                }
            }
        }
        else if (message instanceof AnnounceOk m)
        {
            require(LiteMessageKind.ANNOUNCE_OK);
            w.varint(m.origin());
            w.varint(m.activeCount());
        }
        else if (message instanceof Subscribe m)
        {
            w.varint(m.id());
            w.string(m.broadcast());
            w.string(m.track());
            w.u8(m.priority());
            w.u8(m.ordered() ? 1 : 0);
            w.varint(m.maxLatencyMs());
            w.varint(m.startGroup());
            w.varint(m.endGroup());
        }
        else if (message instanceof SubscribeUpdate m)
        {
            w.u8(m.priority());
            w.u8(m.ordered() ? 1 : 0);
            w.varint(m.maxLatencyMs());
            w.varint(m.startGroup());
            w.varint(m.endGroup());
        }
        else if (message instanceof SubscribeOk m)
        {
            require(LiteMessageKind.SUBSCRIBE_OK);
            w.u8(m.priority());
            w.u8(m.ordered() ? 1 : 0);
            w.varint(m.maxLatencyMs());
            w.varint(m.startGroup());
            w.varint(m.endGroup());
        }
        else if (message instanceof SubscribeStart m)
        {
            require(LiteMessageKind.SUBSCRIBE_START);
            w.varint(m.group());
        }
        else if (message instanceof SubscribeEnd m)
        {
            require(LiteMessageKind.SUBSCRIBE_END);
            w.varint(m.group());
        }
        else if (message instanceof SubscribeDrop m)
        {
            w.varint(m.start());
            w.varint(m.end());
            w.varint(m.errorCode());
        }
        else if (message instanceof Fetch m)
        {
            w.string(m.broadcast());
            w.string(m.track());
            w.u8(m.priority());
            w.varint(m.group());
        }
        else if (message instanceof Probe m)
        {
            w.varint(m.bitrate());
            if (version.probeRtt())
            {
                w.varint(m.rttMs());
            }
        }
        else if (message instanceof Goaway m)
        {
            require(LiteMessageKind.GOAWAY);
            w.string(m.uri());
        }
        else if (message instanceof Setup m)
        {
            require(LiteMessageKind.SETUP);
            w.varint(m.parameters().size());
            for (final Setup.Parameter p : m.parameters())
            {
                w.varint(p.id());
                w.varint(p.value().length());
                w.bytes(p.value());
            }
        }
        else if (message instanceof TrackRequest m)
        {
            require(LiteMessageKind.TRACK);
            w.string(m.broadcast());
            w.string(m.track());
        }
        else if (message instanceof TrackInfo m)
        {
            require(LiteMessageKind.TRACK_INFO);
            w.u8(m.priority());
            w.u8(m.ordered() ? 1 : 0);
            w.varint(m.maxLatencyMs());
            w.varint(m.timescale());
        }
        else
        {
            throw new IllegalArgumentException(message.getClass().getName());
        }
        return w.position;
    }

    private void require(final LiteMessageKind kind)
    {
        if (!defines(kind))
        {
            throw new IllegalArgumentException(kind + " does not exist in " + version);
        }
    }

    /** Appends fields to a growing body buffer. */
    private static final class Body
    {
        private final MutableDirectBuffer buffer;
        private int position;

        Body(final MutableDirectBuffer buffer)
        {
            this.buffer = buffer;
        }

        void varint(final long value)
        {
            position += QuicVarint.write(buffer, position, value);
        }

        void u8(final int value)
        {
            buffer.putByte(position++, (byte)value);
        }

        void bytes(final Bytes value)
        {
            buffer.putBytes(position, value.array());
            position += value.length();
        }

        void string(final String value)
        {
            final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length);
            buffer.putBytes(position, utf8);
            position += utf8.length;
        }
    }
}
