package moq.relay.wire.d14;

import moq.relay.wire.ControlMessage;

/** A draft-14 control message; {@link #messageType()} lets the session layer switch on an enum. */
public interface Draft14Message extends ControlMessage
{
    MessageType messageType();

    @Override
    default long type()
    {
        return messageType().code();
    }
}
