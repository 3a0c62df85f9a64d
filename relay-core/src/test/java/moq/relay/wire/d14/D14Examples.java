package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Limits;
import moq.relay.wire.Location;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.TrackNamespace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One or more hand-built examples of every draft-14 control message and variant, named for test reports. */
final class D14Examples
{
    static final long MAX = QuicVarint.MAX_VALUE;
    static final TrackNamespace NS = TrackNamespace.of("example.com", "meeting=123");
    static final Bytes NAME = Bytes.utf8("video");
    static final Bytes REASON = Bytes.utf8("because");

    private D14Examples()
    {
    }

    static Bytes repeat(final char c, final int n)
    {
        final byte[] b = new byte[n];
        Arrays.fill(b, (byte)c);
        return Bytes.wrap(b);
    }

    static TrackNamespace fields(final int n)
    {
        final String[] f = new String[n];
        Arrays.fill(f, "f");
        return TrackNamespace.of(f);
    }

    static MessageParameters subscribeParameters()
    {
        return MessageParameters.of(
            KeyValuePair.ofVarint(MessageParameters.DELIVERY_TIMEOUT, 1500),
            KeyValuePair.ofBytes(MessageParameters.AUTHORIZATION_TOKEN, AuthorizationToken.register(1, 0, Bytes.utf8("jwt")).encode()),
            KeyValuePair.ofBytes(MessageParameters.AUTHORIZATION_TOKEN, AuthorizationToken.useAlias(1).encode()),
            KeyValuePair.ofBytes(MessageParameters.AUTHORIZATION_TOKEN, AuthorizationToken.delete(1).encode()),
            KeyValuePair.ofBytes(MessageParameters.AUTHORIZATION_TOKEN, AuthorizationToken.useValue(7, Bytes.EMPTY).encode()),
            // unknown parameters, repeated, both parities: kept in order
            KeyValuePair.ofVarint(0x3E, 1),
            KeyValuePair.ofBytes(0x21, Bytes.fromHex("00ff")),
            KeyValuePair.ofVarint(0x3E, MAX),
            // MAX_CACHE_DURATION is not defined for SUBSCRIBE: ignored, so it may even repeat
            KeyValuePair.ofVarint(MessageParameters.MAX_CACHE_DURATION, 1),
            KeyValuePair.ofVarint(MessageParameters.MAX_CACHE_DURATION, 2));
    }

    static MessageParameters okParameters()
    {
        return MessageParameters.of(
            KeyValuePair.ofVarint(MessageParameters.DELIVERY_TIMEOUT, 200),
            KeyValuePair.ofVarint(MessageParameters.MAX_CACHE_DURATION, 60_000),
            // AUTHORIZATION TOKEN is not defined for SUBSCRIBE_OK: ignored, even when it does not parse
            KeyValuePair.ofBytes(MessageParameters.AUTHORIZATION_TOKEN, Bytes.fromHex("09")));
    }

    /** Every example, keyed by a descriptive name. */
    static Map<String, Draft14Message> all()
    {
        final Map<String, Draft14Message> m = new LinkedHashMap<>();
        final SetupParameters clientParams = SetupParameters.builder()
            .path("/moq/relay?room=1")
            .authority("relay.example.com:4443")
            .maxRequestId(100)
            .maxAuthTokenCacheSize(4096)
            .authorizationToken(AuthorizationToken.useValue(0, Bytes.utf8("secret")))
            .authorizationToken(AuthorizationToken.register(5, 1, Bytes.utf8("reusable")))
            .implementation("moq-relay/0.1")
            .add(KeyValuePair.ofVarint(0x2A2A, 0))
            .add(KeyValuePair.ofVarint(0x2A2A, 1))
            .add(KeyValuePair.ofBytes(0x2A2B, Bytes.utf8("grease")))
            .build();
        m.put("CLIENT_SETUP with draft-14 among versions and every setup parameter",
            new ClientSetup(List.of(0xff00000DL, VersionNegotiation.DRAFT_14_VERSION, 0x00000001L), clientParams));
        m.put("CLIENT_SETUP with no versions and no parameters", new ClientSetup(List.of(), SetupParameters.EMPTY));
        m.put("SERVER_SETUP with parameters", new ServerSetup(VersionNegotiation.DRAFT_14_VERSION,
            SetupParameters.builder().maxRequestId(MAX).maxAuthTokenCacheSize(0).implementation("x").build()));
        m.put("SERVER_SETUP without parameters", new ServerSetup(VersionNegotiation.DRAFT_14_VERSION, SetupParameters.EMPTY));
        m.put("GOAWAY without URI", new Goaway(Bytes.EMPTY));
        m.put("GOAWAY with URI", new Goaway(Bytes.utf8("moqt://other.example.com/moq")));
        m.put("GOAWAY with 8192-byte URI", new Goaway(repeat('u', Limits.MAX_GOAWAY_URI_LENGTH)));
        m.put("MAX_REQUEST_ID", new MaxRequestId(MAX));
        m.put("REQUESTS_BLOCKED", new RequestsBlocked(64));

        final List<SubscriptionFilter> filters = List.of(
            SubscriptionFilter.nextGroupStart(),
            SubscriptionFilter.largestObject(),
            SubscriptionFilter.absoluteStart(new Location(3, 4)),
            SubscriptionFilter.absoluteRange(new Location(3, 4), 9),
            // End before start: INVALID_RANGE for the handler, not a wire error
            SubscriptionFilter.absoluteRange(new Location(MAX, MAX), 0));
        for (final SubscriptionFilter f : filters)
        {
            m.put("SUBSCRIBE " + f, new Subscribe(0, NS, NAME, 128, GroupOrder.PUBLISHER_DEFAULT, true, f,
                subscribeParameters()));
            m.put("TRACK_STATUS " + f, new TrackStatus(2, NS, NAME, 0, GroupOrder.DESCENDING, false, f,
                MessageParameters.EMPTY));
            m.put("PUBLISH_OK " + f, new PublishOk(MAX, false, 255, GroupOrder.ASCENDING, f,
                MessageParameters.of(KeyValuePair.ofVarint(MessageParameters.DELIVERY_TIMEOUT, 10))));
        }
        m.put("SUBSCRIBE with 32-field namespace, empty fields and a 4096-byte full track name",
            new Subscribe(4, namespaceOf(32, 4096 - 100), repeat('n', 100), 1, GroupOrder.ASCENDING, false,
                SubscriptionFilter.largestObject(), MessageParameters.EMPTY));
        m.put("SUBSCRIBE with empty namespace field and empty track name",
            new Subscribe(6, new TrackNamespace(List.of(Bytes.EMPTY)), Bytes.EMPTY, 1, GroupOrder.ASCENDING, true,
                SubscriptionFilter.largestObject(), MessageParameters.EMPTY));

        m.put("SUBSCRIBE_OK with content", new SubscribeOk(0, 17, 30_000, GroupOrder.ASCENDING, new Location(10, 3),
            okParameters()));
        m.put("SUBSCRIBE_OK without content", new SubscribeOk(0, MAX, 0, GroupOrder.DESCENDING, null,
            MessageParameters.EMPTY));
        m.put("TRACK_STATUS_OK with content", new TrackStatusOk(2, 0, 0, GroupOrder.DESCENDING, new Location(MAX, MAX),
            okParameters()));
        m.put("TRACK_STATUS_OK without content", new TrackStatusOk(2, 0, 0, GroupOrder.ASCENDING, null,
            MessageParameters.EMPTY));

        m.put("SUBSCRIBE_ERROR", new SubscribeError(0, RequestErrorCodes.SubscribeError.TRACK_DOES_NOT_EXIST.code(), REASON));
        m.put("SUBSCRIBE_ERROR with unknown code and 1024-byte reason", new SubscribeError(0, MAX,
            repeat('r', Limits.MAX_REASON_PHRASE_LENGTH)));
        m.put("TRACK_STATUS_ERROR", new TrackStatusError(2, RequestErrorCodes.SubscribeError.UNAUTHORIZED.code(), Bytes.EMPTY));
        m.put("PUBLISH_ERROR", new PublishError(1, RequestErrorCodes.PublishError.UNINTERESTED.code(), REASON));
        m.put("FETCH_ERROR", new FetchError(4, RequestErrorCodes.FetchError.NO_OBJECTS.code(), REASON));
        m.put("PUBLISH_NAMESPACE_ERROR", new PublishNamespaceError(3,
            RequestErrorCodes.PublishNamespaceError.MALFORMED_AUTH_TOKEN.code(), REASON));
        m.put("SUBSCRIBE_NAMESPACE_ERROR", new SubscribeNamespaceError(8,
            RequestErrorCodes.SubscribeNamespaceError.NAMESPACE_PREFIX_OVERLAP.code(), REASON));

        m.put("SUBSCRIBE_UPDATE open-ended", new SubscribeUpdate(2, 0, new Location(5, 1), 0, 3, false,
            MessageParameters.of(KeyValuePair.ofVarint(MessageParameters.DELIVERY_TIMEOUT, 5))));
        m.put("SUBSCRIBE_UPDATE ending in its start group", new SubscribeUpdate(4, 0, new Location(5, 1), 6, 3, true,
            subscribeParameters()));
        m.put("UNSUBSCRIBE", new Unsubscribe(MAX));
        m.put("PUBLISH_DONE", new PublishDone(0, RequestErrorCodes.PublishDoneStatus.TRACK_ENDED.code(), 12, REASON));
        m.put("PUBLISH_DONE with unknown stream count", new PublishDone(0,
            RequestErrorCodes.PublishDoneStatus.TOO_FAR_BEHIND.code(), PublishDone.UNKNOWN_STREAM_COUNT, Bytes.EMPTY));

        final MessageParameters publishParams = MessageParameters.of(
            KeyValuePair.ofVarint(MessageParameters.MAX_CACHE_DURATION, 5000),
            KeyValuePair.ofVarint(MessageParameters.DELIVERY_TIMEOUT, 100),
            KeyValuePair.ofBytes(MessageParameters.AUTHORIZATION_TOKEN, AuthorizationToken.useValue(0, Bytes.utf8("t")).encode()));
        m.put("PUBLISH with content, forwarding", new Publish(1, NS, NAME, 5, GroupOrder.DESCENDING, new Location(64, 0),
            true, publishParams));
        m.put("PUBLISH without content, not forwarding", new Publish(3, NS, Bytes.EMPTY, 0, GroupOrder.ASCENDING, null,
            false, MessageParameters.EMPTY));

        m.put("FETCH standalone", Fetch.standalone(4, 10, GroupOrder.ASCENDING,
            new StandaloneFetch(NS, NAME, new Location(1, 0), new Location(3, 0)), subscribeParameters()));
        m.put("FETCH relative joining", Fetch.joining(6, 0, GroupOrder.PUBLISHER_DEFAULT, FetchType.RELATIVE_JOINING,
            new JoiningFetch(0, 3), MessageParameters.EMPTY));
        m.put("FETCH absolute joining", Fetch.joining(8, 255, GroupOrder.DESCENDING, FetchType.ABSOLUTE_JOINING,
            new JoiningFetch(MAX, MAX), MessageParameters.of(KeyValuePair.ofVarint(MessageParameters.DELIVERY_TIMEOUT, 1),
                KeyValuePair.ofVarint(MessageParameters.DELIVERY_TIMEOUT, 2))));
        m.put("FETCH_OK at end of track", new FetchOk(4, GroupOrder.ASCENDING, true, new Location(3, 0), okParameters()));
        m.put("FETCH_OK not at end of track", new FetchOk(6, GroupOrder.DESCENDING, false, new Location(MAX, 0),
            MessageParameters.EMPTY));
        m.put("FETCH_CANCEL", new FetchCancel(4));

        m.put("PUBLISH_NAMESPACE", new PublishNamespace(1, NS, MessageParameters.of(
            KeyValuePair.ofBytes(MessageParameters.AUTHORIZATION_TOKEN, AuthorizationToken.useAlias(9).encode()))));
        m.put("PUBLISH_NAMESPACE_OK", new PublishNamespaceOk(1));
        m.put("PUBLISH_NAMESPACE_DONE", new PublishNamespaceDone(NS));
        m.put("PUBLISH_NAMESPACE_CANCEL", new PublishNamespaceCancel(NS,
            RequestErrorCodes.PublishNamespaceError.UNINTERESTED.code(), REASON));
        m.put("SUBSCRIBE_NAMESPACE", new SubscribeNamespace(8, TrackNamespace.of("example.com"), MessageParameters.EMPTY));
        m.put("SUBSCRIBE_NAMESPACE with 32-field prefix", new SubscribeNamespace(10, fields(32), subscribeParameters()));
        m.put("SUBSCRIBE_NAMESPACE_OK", new SubscribeNamespaceOk(8));
        m.put("UNSUBSCRIBE_NAMESPACE", new UnsubscribeNamespace(TrackNamespace.of("example.com")));
        return m;
    }

    /** {@code count} fields, the first {@code bytes} long and the rest empty. */
    static TrackNamespace namespaceOf(final int count, final int bytes)
    {
        final List<Bytes> f = new ArrayList<>();
        f.add(repeat('s', bytes));
        for (int i = 1; i < count; i++)
        {
            f.add(Bytes.EMPTY);
        }
        return new TrackNamespace(f);
    }
}
