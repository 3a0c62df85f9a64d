package moq.relay.wire.d18;

import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Records;

/**
 * The draft-18 control codec: every message of the draft-18 type table, by type code. Stateless and
 * thread-safe. Use {@link ControlCodec#decode} / {@link ControlCodec#encode} for whole framed messages.
 *
 * <p>Decoding throws only {@link WireException}. Every check precedes the allocation it guards, so a runtime
 * exception here would be a bug in this package; should one happen anyway it is reported as INTERNAL_ERROR
 * rather than left to unwind the caller's event loop.
 */
public final class Draft18ControlCodec implements ControlCodec
{
    public static final Draft18ControlCodec INSTANCE = new Draft18ControlCodec();

    /** This draft's records for the messages drafts 18 and 20 lay out alike. */
    public static final Records<MessageParameters> RECORDS = new Records<>(MessageParameters::of, Setup::new,
        Subscribe::new, Publish::new, PublishNamespace::new, RequestUpdate::new, SubscribeOk::new, RequestOk::new,
        RequestError::of, PublishDone::new, Namespace::new, NamespaceDone::new);

    @Override
    public Draft draft()
    {
        return Draft.DRAFT_18;
    }

    @Override
    public ControlMessage decodePayload(final long type, final WireReader payload) throws WireException
    {
        try
        {
            return decode(type, payload);
        }
        catch (final RuntimeException e)
        {
            throw new WireException(SessionError.INTERNAL_ERROR,
                "bug decoding message 0x" + Long.toHexString(type) + ": " + e);
        }
    }

    private static Draft18Message decode(final long type, final WireReader reader) throws WireException
    {
        if (type == MessageType.SETUP)
        {
            return Setup.read(reader);
        }
        switch ((int)type == type ? (int)type : -1)
        {
            case (int)MessageType.GOAWAY:
                return Goaway.read(reader);
            case (int)MessageType.SUBSCRIBE:
                return Subscribe.read(reader);
            case (int)MessageType.SUBSCRIBE_OK:
                return SubscribeOk.read(reader);
            case (int)MessageType.PUBLISH:
                return Publish.read(reader);
            case (int)MessageType.REQUEST_OK:
            case (int)MessageType.PUBLISH_OK_LEGACY:
                return RequestOk.read(reader);
            case (int)MessageType.PUBLISH_DONE:
                return PublishDone.read(reader);
            case (int)MessageType.FETCH:
                return Fetch.read(reader);
            case (int)MessageType.FETCH_OK:
                return FetchOk.read(reader);
            case (int)MessageType.TRACK_STATUS:
                return TrackStatus.read(reader);
            case (int)MessageType.PUBLISH_NAMESPACE:
                return PublishNamespace.read(reader);
            case (int)MessageType.SUBSCRIBE_NAMESPACE:
                return SubscribeNamespace.read(reader);
            case (int)MessageType.SUBSCRIBE_TRACKS:
                return SubscribeTracks.read(reader);
            case (int)MessageType.NAMESPACE:
                return Namespace.read(reader);
            case (int)MessageType.NAMESPACE_DONE:
                return NamespaceDone.read(reader);
            case (int)MessageType.PUBLISH_BLOCKED:
                return PublishBlocked.read(reader);
            case (int)MessageType.REQUEST_UPDATE:
                return RequestUpdate.read(reader);
            case (int)MessageType.REQUEST_ERROR:
                return RequestError.read(reader);
            default:
                throw WireException.protocolViolation("unknown message type 0x" + Long.toHexString(type));
        }
    }

    @Override
    public void encodePayload(final ControlMessage message, final WireWriter writer)
    {
        if (!(message instanceof Draft18Message))
        {
            throw new IllegalArgumentException("not a draft-18 message: " + message);
        }
        ((Draft18Message)message).writePayload(writer);
    }
}
