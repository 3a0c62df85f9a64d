package moq.relay.wire.d18;

import moq.relay.wire.ControlMessage;
import moq.relay.wire.WireWriter;

/** A draft-18 control message: an immutable record that writes its own payload (type and length excluded). */
public interface Draft18Message extends ControlMessage
{
    void writePayload(WireWriter writer);
}
