package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * PUBLISH_NAMESPACE_CANCEL (0xC, §"PUBLISH_NAMESPACE_CANCEL"): {@code Track Namespace (tuple), Error Code (i),
 * Error Reason (Reason Phrase)}; codes as PUBLISH_NAMESPACE_ERROR ({@link RequestErrorCodes.PublishNamespaceError}).
 */
public record PublishNamespaceCancel(TrackNamespace trackNamespace, long errorCode, Bytes reason)
    implements Draft14Message
{
    public PublishNamespaceCancel
    {
        Fields.namespace(trackNamespace, "trackNamespace");
        Fields.varint(errorCode, "errorCode");
        Fields.reason(reason);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.PUBLISH_NAMESPACE_CANCEL;
    }
}
