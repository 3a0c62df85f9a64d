package moq.relay.wire.lite;

import moq.relay.wire.WireException;

/** Receives the messages of one control stream side from a {@link LiteControlStreamDecoder}, in order. */
public interface LiteMessageSink
{
    /** A complete message. May reject it (e.g. the session's state checks); the decoder is then failed. */
    void onMessage(LiteMessage message) throws WireException;

    /** FIN at a message boundary, after the side's mandatory first message (if it has one). */
    void onEnd() throws WireException;
}
