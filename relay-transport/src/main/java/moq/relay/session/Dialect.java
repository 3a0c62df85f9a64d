package moq.relay.session;

import java.util.Optional;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;

/**
 * What one MoQT draft does differently from the others, as the relay's sessions see it: the draft's records, the
 * encoding of its answers and errors, its interop quirks. A session class keeps setup, stream routing and request-id
 * checks and asks its dialect for everything else, so adding a draft of an existing shape is a codec package and a
 * dialect. Two shapes exist: request streams ({@link RequestStreamDialect}: drafts 18 and 20, one session class,
 * {@link RequestStreamSession}) and one control stream ({@link ControlStreamDialect}: draft 14, {@link ControlStreamSession}).
 * Implementations are stateless singletons; per-peer state lives in the session (its {@link PeerQuirks}).
 */
interface Dialect
{
    Draft draft();

    /** The quirks of a peer of this draft that named {@code implementation} in its setup message. */
    PeerQuirks quirks(Optional<Bytes> implementation);
}
