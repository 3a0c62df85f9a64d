package moq.relay.session;

import java.util.Optional;
import moq.relay.wire.Bytes;
import moq.relay.wire.Location;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Parameter;

/**
 * Deviations from the draft that a known peer implementation needs, chosen once from the MOQT_IMPLEMENTATION setup
 * option it sent. The draft text stays the rule: a peer that names no known implementation gets exactly what the
 * draft says, and a quirk changes only what the relay sends to the peer that needs it.
 */
final class PeerQuirks
{
    /** The MOQT_IMPLEMENTATION that @moq/lite and @moq/net (moq-dev's JavaScript clients) send. */
    static final String MOQ_LITE_JS = "moq-lite-js";

    static final PeerQuirks NONE = new PeerQuirks("", false, false);

    private final String implementation;
    private final boolean lengthPrefixedLargestObject;
    private final boolean lateRequestIds;

    private PeerQuirks(final String implementation, final boolean lengthPrefixedLargestObject,
        final boolean lateRequestIds)
    {
        this.implementation = implementation;
        this.lengthPrefixedLargestObject = lengthPrefixedLargestObject;
        this.lateRequestIds = lateRequestIds;
    }

    /** The quirks of a draft-18 peer that sent {@code implementation} in SETUP. */
    static PeerQuirks draft18(final Optional<Bytes> implementation)
    {
        final String name = implementation.map(Bytes::utf8).orElse("");
        // @moq/net 0.3.4 reads LARGEST_OBJECT (0x09) with a length prefix, where draft-18 §"Message Parameters" has a
        // bare Location: the draft's form makes it fail with "buffer is empty" on every SUBSCRIBE_OK that has one.
        return new PeerQuirks(name, MOQ_LITE_JS.equals(name), false);
    }

    /** The quirks of a draft-14 peer that sent {@code implementation} in CLIENT_SETUP. */
    static PeerQuirks draft14(final Optional<Bytes> implementation)
    {
        final String name = implementation.map(Bytes::utf8).orElse("");
        // @moq/lite 0.2.2 allocates request ids before it writes the requests, and may write one (its
        // PUBLISH_NAMESPACE) after a higher one (its SUBSCRIBE_NAMESPACE): draft-14 makes that INVALID_REQUEST_ID.
        return new PeerQuirks(name, false, MOQ_LITE_JS.equals(name));
    }

    /** The peer's MOQT_IMPLEMENTATION, "" if it sent none. */
    String implementation()
    {
        return implementation;
    }

    /** LARGEST_OBJECT as this peer reads it, or no parameter for a null {@code largest}. */
    MessageParameters largestObject(final Location largest)
    {
        if (largest == null)
        {
            return MessageParameters.EMPTY;
        }
        return MessageParameters.of(lengthPrefixedLargestObject ? new Parameter.LengthPrefixedLargestObject(largest) :
            new Parameter.LargestObject(largest));
    }

    /** Whether a request id this peer skipped may still arrive (once each, within the granted window). */
    boolean lateRequestIds()
    {
        return lateRequestIds;
    }

    @Override
    public String toString()
    {
        if (lengthPrefixedLargestObject)
        {
            return "length-prefixed LARGEST_OBJECT";
        }
        return lateRequestIds ? "late request ids" : "none";
    }
}
