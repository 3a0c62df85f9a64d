package moq.relay.wire.d20;

import moq.relay.wire.ControlMessage;
import moq.relay.wire.WireWriter;

/** A draft-20 control message: an immutable record that writes its own body (type and length excluded). */
public interface Draft20Message extends ControlMessage
{
    void writePayload(WireWriter writer);
}
