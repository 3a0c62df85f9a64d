package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.Limits;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The draft-14 control message codec (§"Control Messages"): one record per message type, decoded from and
 * encoded to the payload after {@code Type (i), Length (16)}.
 *
 * <p>Decoding never throws anything but {@link WireException}, carrying the session error the draft
 * prescribes: PROTOCOL_VIOLATION for an unknown type, truncation, trailing bytes, a 0/1 field with another
 * value, a bad Group Order, Filter Type or Fetch Type, a namespace of 0 or more than 32 fields, a full track
 * name over 4,096 bytes, a reason over 1,024, a GOAWAY URI over 8,192, a KVP value over 65,535 or a repeated
 * known parameter; KEY_VALUE_FORMATTING_ERROR for a malformed Token; the setup-specific codes of
 * {@link SetupParameters}. Nothing is allocated by a peer-supplied count or length before it has been checked
 * against the bytes that remain. Rules that need session state (request IDs, aliases, GOAWAY direction,
 * narrowing of SUBSCRIBE_UPDATE) are the session's.
 *
 * <p>Stateless and thread-safe. {@link #INSTANCE} reads the draft and serves everyone;
 * {@link #REQUEST_ID_UNSUBSCRIBE_NAMESPACE} reads one deployed deviation, for the sessions of the peer that writes it.
 * Both encode every message the same way.
 */
public final class Draft14ControlCodec implements ControlCodec
{
    /** The draft's codec. */
    public static final Draft14ControlCodec INSTANCE = new Draft14ControlCodec(false);
    /**
     * The draft's codec but for UNSUBSCRIBE_NAMESPACE, read in the later drafts' form, a Request ID
     * ({@link UnsubscribeNamespaceRequest}), as @moq/lite 0.2.2 writes it on draft 14. Only for a peer known to do
     * so: the two forms cannot be told apart on receipt.
     */
    public static final Draft14ControlCodec REQUEST_ID_UNSUBSCRIBE_NAMESPACE = new Draft14ControlCodec(true);

    private final boolean unsubscribeNamespaceByRequestId;

    private Draft14ControlCodec(final boolean unsubscribeNamespaceByRequestId)
    {
        this.unsubscribeNamespaceByRequestId = unsubscribeNamespaceByRequestId;
    }

    @Override
    public Draft draft()
    {
        return Draft.DRAFT_14;
    }

    /** Encodes one whole framed message (type, 16-bit length, payload) into a new array. */
    public byte[] encodeToBytes(final Draft14Message message)
    {
        final WireWriter writer = new WireWriter(Draft.DRAFT_14.varint(), new ExpandableArrayBuffer(64));
        encode(message, writer);
        return writer.toByteArray(0);
    }

    /** Decodes one whole framed message that fills {@code frame} exactly. */
    public Draft14Message decode(final byte[] frame) throws WireException
    {
        return (Draft14Message)decode(new UnsafeBuffer(frame), 0, frame.length);
    }

    @Override
    public Draft14Message decodePayload(final long type, final WireReader r) throws WireException
    {
        final MessageType messageType = MessageType.ofCode(type);
        if (messageType == null)
        {
            // §"Control Messages": "An endpoint that receives an unknown message type MUST close the session."
            throw WireException.protocolViolation("unknown control message type 0x" + Long.toHexString(type));
        }
        switch (messageType)
        {
            case CLIENT_SETUP:
                return new ClientSetup(readVersions(r), SetupParameters.read(r, false));
            case SERVER_SETUP:
                return new ServerSetup(r.varint(), SetupParameters.read(r, true));
            case GOAWAY:
                return new Goaway(r.lengthPrefixed(Limits.MAX_GOAWAY_URI_LENGTH, "GOAWAY new session URI"));
            case MAX_REQUEST_ID:
                return new MaxRequestId(r.varint());
            case REQUESTS_BLOCKED:
                return new RequestsBlocked(r.varint());
            case SUBSCRIBE:
            {
                final long requestId = r.varint();
                final TrackNamespace ns = namespace(r);
                return new Subscribe(requestId, ns, r.trackName(ns), r.uint8(), groupOrder(r, true, "SUBSCRIBE"),
                    flag(r, "SUBSCRIBE Forward"), filter(r), MessageParameters.read(r, messageType));
            }
            case TRACK_STATUS:
            {
                final long requestId = r.varint();
                final TrackNamespace ns = namespace(r);
                return new TrackStatus(requestId, ns, r.trackName(ns), r.uint8(), groupOrder(r, true, "TRACK_STATUS"),
                    flag(r, "TRACK_STATUS Forward"), filter(r), MessageParameters.read(r, messageType));
            }
            case SUBSCRIBE_OK:
                return new SubscribeOk(r.varint(), r.varint(), r.varint(), groupOrder(r, false, "SUBSCRIBE_OK"),
                    largestIfContentExists(r, "SUBSCRIBE_OK"), MessageParameters.read(r, messageType));
            case TRACK_STATUS_OK:
                return new TrackStatusOk(r.varint(), r.varint(), r.varint(), groupOrder(r, false, "TRACK_STATUS_OK"),
                    largestIfContentExists(r, "TRACK_STATUS_OK"), MessageParameters.read(r, messageType));
            case SUBSCRIBE_ERROR:
                return new SubscribeError(r.varint(), r.varint(), r.reasonPhrase());
            case TRACK_STATUS_ERROR:
                return new TrackStatusError(r.varint(), r.varint(), r.reasonPhrase());
            case SUBSCRIBE_UPDATE:
                return subscribeUpdate(r);
            case UNSUBSCRIBE:
                return new Unsubscribe(r.varint());
            case PUBLISH_DONE:
                return new PublishDone(r.varint(), r.varint(), r.varint(), r.reasonPhrase());
            case PUBLISH:
            {
                final long requestId = r.varint();
                final TrackNamespace ns = namespace(r);
                return new Publish(requestId, ns, r.trackName(ns), r.varint(), groupOrder(r, false, "PUBLISH"),
                    largestIfContentExists(r, "PUBLISH"), flag(r, "PUBLISH Forward"),
                    MessageParameters.read(r, messageType));
            }
            case PUBLISH_OK:
                return new PublishOk(r.varint(), flag(r, "PUBLISH_OK Forward"), r.uint8(),
                    groupOrder(r, false, "PUBLISH_OK"), filter(r), MessageParameters.read(r, messageType));
            case PUBLISH_ERROR:
                return new PublishError(r.varint(), r.varint(), r.reasonPhrase());
            case FETCH:
                return fetch(r);
            case FETCH_OK:
                return new FetchOk(r.varint(), groupOrder(r, false, "FETCH_OK"), flag(r, "FETCH_OK End Of Track"),
                    r.location(), MessageParameters.read(r, messageType));
            case FETCH_ERROR:
                return new FetchError(r.varint(), r.varint(), r.reasonPhrase());
            case FETCH_CANCEL:
                return new FetchCancel(r.varint());
            case PUBLISH_NAMESPACE:
                return new PublishNamespace(r.varint(), namespace(r), MessageParameters.read(r, messageType));
            case PUBLISH_NAMESPACE_OK:
                return new PublishNamespaceOk(r.varint());
            case PUBLISH_NAMESPACE_ERROR:
                return new PublishNamespaceError(r.varint(), r.varint(), r.reasonPhrase());
            case PUBLISH_NAMESPACE_DONE:
                return new PublishNamespaceDone(namespace(r));
            case PUBLISH_NAMESPACE_CANCEL:
                return new PublishNamespaceCancel(namespace(r), r.varint(), r.reasonPhrase());
            case SUBSCRIBE_NAMESPACE:
                return new SubscribeNamespace(r.varint(), prefix(r), MessageParameters.read(r, messageType));
            case SUBSCRIBE_NAMESPACE_OK:
                return new SubscribeNamespaceOk(r.varint());
            case SUBSCRIBE_NAMESPACE_ERROR:
                return new SubscribeNamespaceError(r.varint(), r.varint(), r.reasonPhrase());
            case UNSUBSCRIBE_NAMESPACE:
                return unsubscribeNamespaceByRequestId ? new UnsubscribeNamespaceRequest(r.varint()) :
                    new UnsubscribeNamespace(prefix(r));
            default:
                throw WireException.protocolViolation("unhandled control message type " + messageType);
        }
    }

    private static List<Long> readVersions(final WireReader r) throws WireException
    {
        final long count = r.varint();
        // Each version takes at least one byte: a larger count cannot be honest, and must not size the list.
        if (Long.compareUnsigned(count, r.remaining()) > 0)
        {
            throw WireException.protocolViolation("CLIENT_SETUP claims " + Long.toUnsignedString(count) +
                " versions in " + r.remaining() + " bytes");
        }
        final List<Long> versions = new ArrayList<>((int)count);
        for (long i = 0; i < count; i++)
        {
            versions.add(r.varint());
        }
        return versions;
    }

    /** §"Track Naming": 1 to 32 fields; draft-14 allows empty fields. */
    private static TrackNamespace namespace(final WireReader r) throws WireException
    {
        return r.namespace(1, false);
    }

    /**
     * A namespace prefix, decoded with 0 to 32 fields although -14 requires 1 to 32 and a session close for 0: the
     * empty prefix is a request the session answers (an error, or a known client's quirk), not a reason to end a
     * call (see {@link SubscribeNamespace}).
     */
    private static TrackNamespace prefix(final WireReader r) throws WireException
    {
        return r.namespace(0, false);
    }

    /** A uint8 the draft restricts to 0 and 1; anything else is a PROTOCOL_VIOLATION. */
    private static boolean flag(final WireReader r, final String what) throws WireException
    {
        final int v = r.uint8();
        if (v > 1)
        {
            throw WireException.protocolViolation(what + " is " + v + ", not 0 or 1");
        }
        return v == 1;
    }

    private static GroupOrder groupOrder(final WireReader r, final boolean mayDefault, final String what)
        throws WireException
    {
        final int v = r.uint8();
        final GroupOrder order = GroupOrder.ofCode(v);
        if (order == null || (order == GroupOrder.PUBLISHER_DEFAULT && !mayDefault))
        {
            throw WireException.protocolViolation(what + " Group Order " + v + " is not " + (mayDefault ? "0, " : "") +
                "1 or 2");
        }
        return order;
    }

    /** Content Exists (8) then, if it is 1, Largest Location. */
    private static Location largestIfContentExists(final WireReader r, final String what) throws WireException
    {
        return flag(r, what + " Content Exists") ? r.location() : null;
    }

    private static SubscriptionFilter filter(final WireReader r) throws WireException
    {
        final long code = r.varint();
        final FilterType type = FilterType.ofCode(code);
        if (type == null)
        {
            throw WireException.protocolViolation("filter type 0x" + Long.toHexString(code) + " is unknown");
        }
        switch (type)
        {
            case NEXT_GROUP_START:
                return SubscriptionFilter.nextGroupStart();
            case LARGEST_OBJECT:
                return SubscriptionFilter.largestObject();
            case ABSOLUTE_START:
                return SubscriptionFilter.absoluteStart(r.location());
            default:
                return SubscriptionFilter.absoluteRange(r.location(), r.varint());
        }
    }

    private static SubscribeUpdate subscribeUpdate(final WireReader r) throws WireException
    {
        final long requestId = r.varint();
        final long subscriptionRequestId = r.varint();
        final Location start = r.location();
        final long endGroupPlusOne = r.varint();
        if (!SubscribeUpdate.endsAtOrAfterStart(start, endGroupPlusOne))
        {
            throw WireException.protocolViolation("SUBSCRIBE_UPDATE end group " + (endGroupPlusOne - 1) +
                " is before start group " + start.group());
        }
        final int priority = r.uint8();
        final boolean forward = flag(r, "SUBSCRIBE_UPDATE Forward");
        return new SubscribeUpdate(requestId, subscriptionRequestId, start, endGroupPlusOne, priority, forward,
            MessageParameters.read(r, MessageType.SUBSCRIBE_UPDATE));
    }

    private static Fetch fetch(final WireReader r) throws WireException
    {
        final long requestId = r.varint();
        final int priority = r.uint8();
        final GroupOrder order = groupOrder(r, true, "FETCH");
        final long code = r.varint();
        final FetchType type = FetchType.ofCode(code);
        if (type == null)
        {
            throw WireException.protocolViolation("fetch type 0x" + Long.toHexString(code) + " is unknown");
        }
        if (type == FetchType.STANDALONE)
        {
            final TrackNamespace ns = namespace(r);
            final StandaloneFetch standalone = new StandaloneFetch(ns, r.trackName(ns), r.location(), r.location());
            return Fetch.standalone(requestId, priority, order, standalone, MessageParameters.read(r, MessageType.FETCH));
        }
        final JoiningFetch joining = new JoiningFetch(r.varint(), r.varint());
        return Fetch.joining(requestId, priority, order, type, joining, MessageParameters.read(r, MessageType.FETCH));
    }

    @Override
    public void encodePayload(final ControlMessage message, final WireWriter w)
    {
        if (!(message instanceof Draft14Message))
        {
            throw new IllegalArgumentException("not a draft-14 message: " + message);
        }
        final Draft14Message m = (Draft14Message)message;
        switch (m.messageType())
        {
            case CLIENT_SETUP:
            {
                final ClientSetup s = (ClientSetup)m;
                w.varint(s.supportedVersions().size());
                for (final long v : s.supportedVersions())
                {
                    w.varint(v);
                }
                s.parameters().write(w);
                break;
            }
            case SERVER_SETUP:
            {
                final ServerSetup s = (ServerSetup)m;
                w.varint(s.selectedVersion());
                s.parameters().write(w);
                break;
            }
            case GOAWAY:
                w.lengthPrefixed(((Goaway)m).newSessionUri());
                break;
            case MAX_REQUEST_ID:
                w.varint(((MaxRequestId)m).requestId());
                break;
            case REQUESTS_BLOCKED:
                w.varint(((RequestsBlocked)m).maximumRequestId());
                break;
            case SUBSCRIBE:
            {
                final Subscribe s = (Subscribe)m;
                writeSubscribe(w, s.requestId(), s.trackNamespace(), s.trackName(), s.subscriberPriority(),
                    s.groupOrder(), s.forward(), s.filter(), s.parameters());
                break;
            }
            case TRACK_STATUS:
            {
                final TrackStatus s = (TrackStatus)m;
                writeSubscribe(w, s.requestId(), s.trackNamespace(), s.trackName(), s.subscriberPriority(),
                    s.groupOrder(), s.forward(), s.filter(), s.parameters());
                break;
            }
            case SUBSCRIBE_OK:
            {
                final SubscribeOk s = (SubscribeOk)m;
                writeSubscribeOk(w, s.requestId(), s.trackAlias(), s.expires(), s.groupOrder(), s.largestLocation(),
                    s.parameters());
                break;
            }
            case TRACK_STATUS_OK:
            {
                final TrackStatusOk s = (TrackStatusOk)m;
                writeSubscribeOk(w, s.requestId(), s.trackAlias(), s.expires(), s.groupOrder(), s.largestLocation(),
                    s.parameters());
                break;
            }
            case SUBSCRIBE_ERROR:
            case TRACK_STATUS_ERROR:
            case PUBLISH_ERROR:
            case FETCH_ERROR:
            case PUBLISH_NAMESPACE_ERROR:
            case SUBSCRIBE_NAMESPACE_ERROR:
            {
                final RequestErrorMessage e = (RequestErrorMessage)m;
                w.varint(e.requestId()).varint(e.errorCode()).lengthPrefixed(e.reason());
                break;
            }
            case SUBSCRIBE_UPDATE:
            {
                final SubscribeUpdate u = (SubscribeUpdate)m;
                w.varint(u.requestId()).varint(u.subscriptionRequestId()).location(u.start())
                    .varint(u.endGroupPlusOne()).uint8(u.subscriberPriority()).uint8(u.forward() ? 1 : 0);
                u.parameters().write(w);
                break;
            }
            case UNSUBSCRIBE:
                w.varint(((Unsubscribe)m).requestId());
                break;
            case PUBLISH_DONE:
            {
                final PublishDone d = (PublishDone)m;
                w.varint(d.requestId()).varint(d.statusCode()).varint(d.streamCount()).lengthPrefixed(d.reason());
                break;
            }
            case PUBLISH:
            {
                final Publish p = (Publish)m;
                w.varint(p.requestId()).namespace(p.trackNamespace()).lengthPrefixed(p.trackName())
                    .varint(p.trackAlias()).uint8(p.groupOrder().code());
                writeLargest(w, p.largestLocation());
                w.uint8(p.forward() ? 1 : 0);
                p.parameters().write(w);
                break;
            }
            case PUBLISH_OK:
            {
                final PublishOk p = (PublishOk)m;
                w.varint(p.requestId()).uint8(p.forward() ? 1 : 0).uint8(p.subscriberPriority())
                    .uint8(p.groupOrder().code());
                writeFilter(w, p.filter());
                p.parameters().write(w);
                break;
            }
            case FETCH:
            {
                final Fetch f = (Fetch)m;
                w.varint(f.requestId()).uint8(f.subscriberPriority()).uint8(f.groupOrder().code())
                    .varint(f.fetchType().code());
                if (f.standalone() != null)
                {
                    final StandaloneFetch s = f.standalone();
                    w.namespace(s.trackNamespace()).lengthPrefixed(s.trackName()).location(s.start()).location(s.end());
                }
                else
                {
                    w.varint(f.joining().joiningRequestId()).varint(f.joining().joiningStart());
                }
                f.parameters().write(w);
                break;
            }
            case FETCH_OK:
            {
                final FetchOk f = (FetchOk)m;
                w.varint(f.requestId()).uint8(f.groupOrder().code()).uint8(f.endOfTrack() ? 1 : 0)
                    .location(f.endLocation());
                f.parameters().write(w);
                break;
            }
            case FETCH_CANCEL:
                w.varint(((FetchCancel)m).requestId());
                break;
            case PUBLISH_NAMESPACE:
            {
                final PublishNamespace p = (PublishNamespace)m;
                w.varint(p.requestId()).namespace(p.trackNamespace());
                p.parameters().write(w);
                break;
            }
            case PUBLISH_NAMESPACE_OK:
                w.varint(((PublishNamespaceOk)m).requestId());
                break;
            case PUBLISH_NAMESPACE_DONE:
                w.namespace(((PublishNamespaceDone)m).trackNamespace());
                break;
            case PUBLISH_NAMESPACE_CANCEL:
            {
                final PublishNamespaceCancel c = (PublishNamespaceCancel)m;
                w.namespace(c.trackNamespace()).varint(c.errorCode()).lengthPrefixed(c.reason());
                break;
            }
            case SUBSCRIBE_NAMESPACE:
            {
                final SubscribeNamespace s = (SubscribeNamespace)m;
                w.varint(s.requestId()).namespace(s.trackNamespacePrefix());
                s.parameters().write(w);
                break;
            }
            case SUBSCRIBE_NAMESPACE_OK:
                w.varint(((SubscribeNamespaceOk)m).requestId());
                break;
            case UNSUBSCRIBE_NAMESPACE:
                if (m instanceof UnsubscribeNamespaceRequest)
                {
                    w.varint(((UnsubscribeNamespaceRequest)m).requestId());
                }
                else
                {
                    w.namespace(((UnsubscribeNamespace)m).trackNamespacePrefix());
                }
                break;
            default:
                throw new IllegalArgumentException("unhandled message type " + m.messageType());
        }
    }

    private static void writeSubscribe(
        final WireWriter w,
        final long requestId,
        final TrackNamespace namespace,
        final Bytes name,
        final int priority,
        final GroupOrder order,
        final boolean forward,
        final SubscriptionFilter filter,
        final MessageParameters parameters)
    {
        w.varint(requestId).namespace(namespace).lengthPrefixed(name).uint8(priority).uint8(order.code())
            .uint8(forward ? 1 : 0);
        writeFilter(w, filter);
        parameters.write(w);
    }

    private static void writeSubscribeOk(
        final WireWriter w,
        final long requestId,
        final long trackAlias,
        final long expires,
        final GroupOrder order,
        final Location largest,
        final MessageParameters parameters)
    {
        w.varint(requestId).varint(trackAlias).varint(expires).uint8(order.code());
        writeLargest(w, largest);
        parameters.write(w);
    }

    private static void writeLargest(final WireWriter w, final Location largest)
    {
        if (largest == null)
        {
            w.uint8(0);
        }
        else
        {
            w.uint8(1).location(largest);
        }
    }

    private static void writeFilter(final WireWriter w, final SubscriptionFilter filter)
    {
        w.varint(filter.type().code());
        if (filter.type().hasStart())
        {
            w.location(filter.start());
        }
        if (filter.type().hasEndGroup())
        {
            w.varint(filter.endGroup());
        }
    }
}
