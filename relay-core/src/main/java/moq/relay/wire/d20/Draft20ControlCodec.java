package moq.relay.wire.d20;

import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Records;

/**
 * The draft-20 control codec: every message of the draft-20 type table (draft-21 §9, Table 5), by type code. 0x1E
 * (PUBLISH_OK up to draft-17, which draft-18 still accepted) is reserved in draft-20 and so an unknown type. Stateless and
 * thread-safe. Use {@link ControlCodec#decode} / {@link ControlCodec#encode} for whole framed messages.
 *
 * <p>Decoding throws only {@link WireException}. Every check precedes the allocation it guards, so a runtime
 * exception here would be a bug in this package; should one happen anyway it is reported as INTERNAL_ERROR
 * rather than left to unwind the caller's event loop.
 */
public final class Draft20ControlCodec implements ControlCodec
{
    /** The draft's form: every peer that names no known implementation. */
    public static final Draft20ControlCodec INSTANCE = new Draft20ControlCodec(ParameterForm.DRAFT);
    /**
     * Not draft-20: reads LARGEST_OBJECT and INCLUDE_PROPERTIES with a length prefix ({@link
     * ParameterForm#ODD_TYPES_LENGTH_PREFIXED}), as {@code @moq/net} 0.3.4 writes them. Only for a session whose peer
     * is known to write them so (the relay's PeerQuirks); what this codec encodes is whatever the records say.
     */
    public static final Draft20ControlCodec ODD_TYPES_LENGTH_PREFIXED =
        new Draft20ControlCodec(ParameterForm.ODD_TYPES_LENGTH_PREFIXED);

    private final ParameterForm form;

    private Draft20ControlCodec(final ParameterForm form)
    {
        this.form = form;
    }

    /** How this codec reads the parameters whose draft form has no length prefix. */
    public ParameterForm parameterForm()
    {
        return form;
    }

    /** This draft's records for the messages drafts 18 and 20 lay out alike. */
    public static final Records<MessageParameters> RECORDS = new Records<>(MessageParameters::of, Setup::new,
        Subscribe::new, Publish::new, PublishNamespace::new, RequestUpdate::new, SubscribeOk::new, RequestOk::new,
        RequestError::of, PublishDone::new, Namespace::new, NamespaceDone::new);

    @Override
    public Draft draft()
    {
        return Draft.DRAFT_20;
    }

    @Override
    public ControlMessage decodePayload(final long type, final WireReader payload) throws WireException
    {
        try
        {
            return decode(type, payload, form);
        }
        catch (final RuntimeException e)
        {
            throw new WireException(SessionError.INTERNAL_ERROR,
                "bug decoding message 0x" + Long.toHexString(type) + ": " + e);
        }
    }

    private static Draft20Message decode(final long type, final WireReader reader, final ParameterForm form)
        throws WireException
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
                return Subscribe.read(reader, form);
            case (int)MessageType.SUBSCRIBE_OK:
                return SubscribeOk.read(reader, form);
            case (int)MessageType.PUBLISH:
                return Publish.read(reader, form);
            case (int)MessageType.REQUEST_OK:
                return RequestOk.read(reader, form);
            case (int)MessageType.PUBLISH_STATE_NOTIFY:
                return PublishStateNotify.read(reader, form);
            case (int)MessageType.PUBLISH_DONE:
                return PublishDone.read(reader);
            case (int)MessageType.FETCH:
                return Fetch.read(reader, form);
            case (int)MessageType.FETCH_OK:
                return FetchOk.read(reader);
            case (int)MessageType.TRACK_STATUS:
                return TrackStatus.read(reader, form);
            case (int)MessageType.PUBLISH_NAMESPACE:
                return PublishNamespace.read(reader);
            case (int)MessageType.SUBSCRIBE_NAMESPACE:
                return SubscribeNamespace.read(reader);
            case (int)MessageType.SUBSCRIBE_TRACKS:
                return SubscribeTracks.read(reader, form);
            case (int)MessageType.NAMESPACE:
                return Namespace.read(reader);
            case (int)MessageType.NAMESPACE_DONE:
                return NamespaceDone.read(reader);
            case (int)MessageType.PUBLISH_SKIPPED:
                return PublishSkipped.read(reader);
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
        if (!(message instanceof Draft20Message))
        {
            throw new IllegalArgumentException("not a draft-20 message: " + message);
        }
        ((Draft20Message)message).writePayload(writer);
    }
}
