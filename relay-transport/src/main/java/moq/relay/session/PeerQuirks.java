package moq.relay.session;

import java.util.Optional;
import moq.relay.engine.SubscriptionFilter;
import moq.relay.wire.Bytes;
import moq.relay.wire.Location;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.param.Parameter;

/**
 * Deviations from the draft that a known peer implementation needs, chosen once from the MOQT_IMPLEMENTATION setup
 * option it sent. The draft text stays the rule: a peer that names no known implementation gets exactly what the
 * draft says, and a quirk changes only how the relay treats the peer that needs it.
 */
final class PeerQuirks
{
    private static final Parameter[] NO_PARAMETERS = {};

    /** The MOQT_IMPLEMENTATION that @moq/lite and @moq/net (moq-dev's JavaScript clients) send. */
    static final String MOQ_LITE_JS = "moq-lite-js";
    /**
     * How imquic's MOQT_IMPLEMENTATION starts: meetecho/imquic src/moq.c writes
     * {@code g_snprintf(parameters.moqt_implementation, ..., "imquic %s", imquic_version_string_full)} in its SETUP
     * and CLIENT_SETUP.
     */
    static final String IMQUIC_PREFIX = "imquic";

    static final PeerQuirks NONE = new PeerQuirks("", false, false, false, false, false, false);

    private final String implementation;
    private final boolean lengthPrefixedLargestObject;
    private final boolean lateRequestIds;
    private final boolean largestObjectFromGroupStart;
    private final boolean emptyNamespacePrefix;
    private final boolean publishForwardAlways;
    private final boolean unsubscribeNamespaceByRequestId;

    private PeerQuirks(final String implementation, final boolean lengthPrefixedLargestObject,
        final boolean lateRequestIds, final boolean largestObjectFromGroupStart, final boolean emptyNamespacePrefix,
        final boolean publishForwardAlways, final boolean unsubscribeNamespaceByRequestId)
    {
        this.implementation = implementation;
        this.lengthPrefixedLargestObject = lengthPrefixedLargestObject;
        this.lateRequestIds = lateRequestIds;
        this.largestObjectFromGroupStart = largestObjectFromGroupStart;
        this.emptyNamespacePrefix = emptyNamespacePrefix;
        this.publishForwardAlways = publishForwardAlways;
        this.unsubscribeNamespaceByRequestId = unsubscribeNamespaceByRequestId;
    }

    /** The quirks of a draft-18 peer that sent {@code implementation} in SETUP. */
    static PeerQuirks draft18(final Optional<Bytes> implementation)
    {
        final String name = implementation.map(Bytes::utf8).orElse("");
        final boolean lite = MOQ_LITE_JS.equals(name);
        // @moq/net 0.3.4 reads LARGEST_OBJECT (0x09) with a length prefix, where draft-18 §"Message Parameters" has a
        // bare Location: the draft's form makes it fail with "buffer is empty" on every SUBSCRIBE_OK that has one.
        // imquic closes the session (PROTOCOL_VIOLATION) on a REQUEST_UPDATE on a request stream it opened, which is
        // how draft 18 raises the Forward state of its PUBLISH once someone subscribes.
        return new PeerQuirks(name, lite, false, lite, false, isImquic(name), false);
    }

    /**
     * The quirks of a draft-20 peer that sent {@code implementation} in SETUP. @moq/net 0.3.4 at draft 20 still reads
     * and writes LARGEST_OBJECT with a length prefix, as at draft 18, and INCLUDE_PROPERTIES too (its encoders,
     * captured in the d20 wire tests: every odd type length-prefixed), and subscribes with the Largest Object start as
     * at draft 18.
     */
    static PeerQuirks draft20(final Optional<Bytes> implementation)
    {
        final String name = implementation.map(Bytes::utf8).orElse("");
        final boolean lite = MOQ_LITE_JS.equals(name);
        return new PeerQuirks(name, lite, false, lite, false, isImquic(name), false);
    }

    /** The quirks of a draft-14 peer that sent {@code implementation} in CLIENT_SETUP. */
    static PeerQuirks draft14(final Optional<Bytes> implementation)
    {
        final String name = implementation.map(Bytes::utf8).orElse("");
        final boolean lite = MOQ_LITE_JS.equals(name);
        // @moq/lite 0.2.2 allocates request ids before it writes the requests, and may write one (its
        // PUBLISH_NAMESPACE) after a higher one (its SUBSCRIBE_NAMESPACE): draft-14 makes that INVALID_REQUEST_ID.
        // Its announced() sends SUBSCRIBE_NAMESPACE with an empty prefix for "every broadcast" (connection/reload.js),
        // which draft-14's namespace rules (1 to 32 fields) do not have. Its UNSUBSCRIBE_NAMESPACE carries the request
        // id of that SUBSCRIBE_NAMESPACE (ietf/subscribe_namespace.js writes u62(requestId), the later drafts' form)
        // where draft 14 has the prefix.
        return new PeerQuirks(name, false, lite, lite, lite, false, lite);
    }

    private static boolean isImquic(final String name)
    {
        return name.equals(IMQUIC_PREFIX) || name.startsWith(IMQUIC_PREFIX + " ");
    }

    /** The peer's MOQT_IMPLEMENTATION, "" if it sent none. */
    String implementation()
    {
        return implementation;
    }

    /** LARGEST_OBJECT as this peer reads it (drafts 18 and 20 alike), or no parameter for a null {@code largest}. */
    Parameter[] largestObject(final Location largest)
    {
        if (largest == null)
        {
            return NO_PARAMETERS;
        }
        return new Parameter[] {lengthPrefixedLargestObject ? new Parameter.LengthPrefixedLargestObject(largest) :
            new Parameter.LargestObject(largest)};
    }

    /**
     * The codec that reads this draft-20 peer's messages: the draft's, or for @moq/net the one that reads LARGEST_OBJECT
     * and INCLUDE_PROPERTIES with the length prefix it writes ({@link Draft20ControlCodec#ODD_TYPES_LENGTH_PREFIXED}).
     */
    Draft20ControlCodec draft20Codec()
    {
        return lengthPrefixedLargestObject ? Draft20ControlCodec.ODD_TYPES_LENGTH_PREFIXED :
            Draft20ControlCodec.INSTANCE;
    }

    /** Whether a request id this peer skipped may still arrive (once each, within the granted window). */
    boolean lateRequestIds()
    {
        return lateRequestIds;
    }

    /**
     * The engine filter for this peer's SUBSCRIBE filter {@code requested}. @moq/watch and @moq/net subscribe with
     * Largest Object and count on the relay replaying the current group (moq-dev's relay does; their code says so):
     * with the draft's start after the largest object, a track that does not change (a call's catalog) never arrives
     * and video starts mid-group. For them Largest Object starts at the largest group's first cached object.
     */
    SubscriptionFilter subscriptionFilter(final SubscriptionFilter requested)
    {
        return largestObjectFromGroupStart && requested.type() == SubscriptionFilter.Type.LARGEST_OBJECT ?
            SubscriptionFilter.largestGroupStart() : requested;
    }

    /** Whether this peer's draft-14 SUBSCRIBE_NAMESPACE with an empty prefix is served as "every namespace". */
    boolean emptyNamespacePrefix()
    {
        return emptyNamespacePrefix;
    }

    /**
     * Whether this peer's PUBLISH is answered with Forward=1 and never updated (imquic): the relay then receives its
     * objects while nobody subscribes (the cache keeps them), instead of a REQUEST_UPDATE that ends the session.
     */
    boolean publishForwardAlways()
    {
        return publishForwardAlways;
    }

    /**
     * The codec that reads this draft-14 peer's control stream: the draft's, or for @moq/lite the one that reads its
     * UNSUBSCRIBE_NAMESPACE as a request id ({@link moq.relay.wire.d14.UnsubscribeNamespaceRequest}).
     */
    Draft14ControlCodec draft14Codec()
    {
        return unsubscribeNamespaceByRequestId ? Draft14ControlCodec.REQUEST_ID_UNSUBSCRIBE_NAMESPACE :
            Draft14ControlCodec.INSTANCE;
    }

    @Override
    public String toString()
    {
        final java.util.StringJoiner quirks = new java.util.StringJoiner(", ");
        if (lengthPrefixedLargestObject)
        {
            quirks.add("length-prefixed LARGEST_OBJECT");
        }
        if (lateRequestIds)
        {
            quirks.add("late request ids");
        }
        if (largestObjectFromGroupStart)
        {
            quirks.add("Largest Object from the group start");
        }
        if (emptyNamespacePrefix)
        {
            quirks.add("empty namespace prefix");
        }
        if (publishForwardAlways)
        {
            quirks.add("PUBLISH always forwarded");
        }
        if (unsubscribeNamespaceByRequestId)
        {
            quirks.add("UNSUBSCRIBE_NAMESPACE by request id");
        }
        return quirks.length() == 0 ? "none" : quirks.toString();
    }
}
