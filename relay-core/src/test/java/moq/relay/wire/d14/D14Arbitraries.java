package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.TrackNamespace;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/** jqwik generators of valid draft-14 messages: every type, every variant, parameters known and unknown. */
final class D14Arbitraries
{
    private D14Arbitraries()
    {
    }

    /** Varints of every encoded length (1, 2, 4 and 8 bytes), edges included. */
    static Arbitrary<Long> varint()
    {
        return Arbitraries.oneOf(
            Arbitraries.longs().between(0, 63),
            Arbitraries.longs().between(64, 16_383),
            Arbitraries.longs().between(16_384, (1L << 30) - 1),
            Arbitraries.longs().between(1L << 30, QuicVarint.MAX_VALUE),
            Arbitraries.of(0L, 63L, 64L, 16_383L, 16_384L, (1L << 30) - 1, 1L << 30, QuicVarint.MAX_VALUE));
    }

    static Arbitrary<Integer> uint8()
    {
        return Arbitraries.integers().between(0, 255);
    }

    static Arbitrary<Bytes> bytes(final int maxLength)
    {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength).map(Bytes::wrap);
    }

    static Arbitrary<TrackNamespace> namespace()
    {
        return bytes(12).list().ofMinSize(1).ofMaxSize(TrackNamespace.MAX_FIELDS).map(TrackNamespace::new);
    }

    static Arbitrary<Location> location()
    {
        return Combinators.combine(varint(), varint()).as(Location::new);
    }

    static Arbitrary<GroupOrder> anyGroupOrder()
    {
        return Arbitraries.of(GroupOrder.class);
    }

    static Arbitrary<GroupOrder> explicitGroupOrder()
    {
        return Arbitraries.of(GroupOrder.ASCENDING, GroupOrder.DESCENDING);
    }

    static Arbitrary<SubscriptionFilter> filter()
    {
        return Arbitraries.oneOf(
            Arbitraries.just(SubscriptionFilter.nextGroupStart()),
            Arbitraries.just(SubscriptionFilter.largestObject()),
            location().map(SubscriptionFilter::absoluteStart),
            Combinators.combine(location(), varint()).as(SubscriptionFilter::absoluteRange));
    }

    static Arbitrary<Location> largestOrNone()
    {
        return location().injectNull(0.3);
    }

    static Arbitrary<Bytes> reason()
    {
        return Arbitraries.oneOf(bytes(40), Arbitraries.just(D14Examples.repeat('r', 1024)));
    }

    static Arbitrary<AuthorizationToken> token()
    {
        return Arbitraries.oneOf(
            varint().map(AuthorizationToken::delete),
            Combinators.combine(varint(), varint(), bytes(20)).as(AuthorizationToken::register),
            varint().map(AuthorizationToken::useAlias),
            Combinators.combine(varint(), bytes(20)).as(AuthorizationToken::useValue));
    }

    /** Any pair whose type is not in {@code excluded}: unknown to the receiver, so anything goes, repeats too. */
    static Arbitrary<KeyValuePair> unknownPair(final LongPredicate excluded)
    {
        return varint().filter(t -> !excluded.test(t)).flatMap(t -> KeyValuePair.isBytesType(t) ?
            bytes(16).map(b -> KeyValuePair.ofBytes(t, b)) : varint().map(v -> KeyValuePair.ofVarint(t, v)));
    }

    static Arbitrary<MessageParameters> parameters(final MessageType message)
    {
        final Arbitrary<List<KeyValuePair>> unknown =
            unknownPair(t -> MessageParameters.isDefinedFor(t, message)).list().ofMaxSize(4);
        final Arbitrary<List<KeyValuePair>> delivery = optional(MessageParameters.DELIVERY_TIMEOUT, message);
        final Arbitrary<List<KeyValuePair>> cache = optional(MessageParameters.MAX_CACHE_DURATION, message);
        final Arbitrary<List<KeyValuePair>> tokens = MessageParameters.isDefinedFor(MessageParameters.AUTHORIZATION_TOKEN, message) ?
            token().map(t -> KeyValuePair.ofBytes(MessageParameters.AUTHORIZATION_TOKEN, t.encode())).list().ofMaxSize(3) :
            Arbitraries.just(List.of());
        return Combinators.combine(unknown, delivery, cache, tokens).as((a, b, c, d) ->
        {
            final List<KeyValuePair> all = new ArrayList<>(a);
            all.addAll(b);
            all.addAll(c);
            all.addAll(d);
            return all;
        }).flatMap(all -> Arbitraries.shuffle(all)).map(MessageParameters::new);
    }

    private static Arbitrary<List<KeyValuePair>> optional(final long type, final MessageType message)
    {
        if (!MessageParameters.isDefinedFor(type, message))
        {
            return Arbitraries.just(List.of());
        }
        return Arbitraries.oneOf(Arbitraries.just(List.<KeyValuePair>of()),
            varint().map(v -> List.of(KeyValuePair.ofVarint(type, v))));
    }

    static Arbitrary<SetupParameters> setupParameters(final boolean fromServer)
    {
        final Arbitrary<List<KeyValuePair>> unknown = unknownPair(t -> t >= 1 && t <= 7).list().ofMaxSize(4);
        final Arbitrary<List<KeyValuePair>> known = Combinators.combine(
            Arbitraries.of("", "/", "/moq", "/a/b?c=d&e").injectNull(0.5),
            Arbitraries.of("relay.example.com", "h:443", "[::1]:4443").injectNull(0.5),
            varint().injectNull(0.5),
            varint().injectNull(0.5),
            bytes(16).injectNull(0.5),
            token().list().ofMaxSize(2)).as((path, authority, maxRequestId, cacheSize, impl, tokens) ->
            {
                final SetupParameters.Builder b = SetupParameters.builder();
                if (path != null && !fromServer)
                {
                    b.path(path);
                }
                if (authority != null && !fromServer)
                {
                    b.authority(authority);
                }
                if (maxRequestId != null)
                {
                    b.maxRequestId(maxRequestId);
                }
                if (cacheSize != null)
                {
                    b.maxAuthTokenCacheSize(cacheSize);
                }
                if (impl != null)
                {
                    b.add(KeyValuePair.ofBytes(SetupParameters.MOQT_IMPLEMENTATION, impl));
                }
                tokens.forEach(b::authorizationToken);
                return b.build().pairs();
            });
        return Combinators.combine(unknown, known).as((u, k) ->
        {
            final List<KeyValuePair> all = new ArrayList<>(k);
            all.addAll(u);
            return all;
        }).flatMap(all -> Arbitraries.shuffle(all)).map(SetupParameters::new);
    }

    static Arbitrary<Draft14Message> message()
    {
        return Arbitraries.oneOf(List.of(
            Combinators.combine(varint().list().ofMaxSize(6), setupParameters(false)).as(ClientSetup::new),
            Combinators.combine(varint(), setupParameters(true)).as(ServerSetup::new),
            bytes(64).map(Goaway::new),
            varint().map(MaxRequestId::new),
            varint().map(RequestsBlocked::new),
            subscribeShaped(MessageType.SUBSCRIBE),
            subscribeShaped(MessageType.TRACK_STATUS),
            okShaped(MessageType.SUBSCRIBE_OK),
            okShaped(MessageType.TRACK_STATUS_OK),
            errorShaped(SubscribeError::new),
            errorShaped(TrackStatusError::new),
            errorShaped(PublishError::new),
            errorShaped(FetchError::new),
            errorShaped(PublishNamespaceError::new),
            errorShaped(SubscribeNamespaceError::new),
            subscribeUpdate(),
            varint().map(Unsubscribe::new),
            Combinators.combine(varint(), varint(), varint(), reason()).as(PublishDone::new),
            publish(),
            Combinators.combine(varint(), Arbitraries.of(true, false), uint8(), explicitGroupOrder(), filter(),
                parameters(MessageType.PUBLISH_OK)).as(PublishOk::new),
            fetch(),
            Combinators.combine(varint(), explicitGroupOrder(), Arbitraries.of(true, false), location(),
                parameters(MessageType.FETCH_OK)).as(FetchOk::new),
            varint().map(FetchCancel::new),
            Combinators.combine(varint(), namespace(), parameters(MessageType.PUBLISH_NAMESPACE)).as(PublishNamespace::new),
            varint().map(PublishNamespaceOk::new),
            namespace().map(PublishNamespaceDone::new),
            Combinators.combine(namespace(), varint(), reason()).as(PublishNamespaceCancel::new),
            Combinators.combine(varint(), namespace(), parameters(MessageType.SUBSCRIBE_NAMESPACE)).as(SubscribeNamespace::new),
            varint().map(SubscribeNamespaceOk::new),
            namespace().map(UnsubscribeNamespace::new)));
    }

    private static Arbitrary<Draft14Message> subscribeShaped(final MessageType type)
    {
        return Combinators.combine(varint(), namespace(), bytes(24), uint8(), anyGroupOrder(), Arbitraries.of(true, false),
            filter(), parameters(type)).as((id, ns, name, prio, order, fwd, filter, params) ->
                type == MessageType.SUBSCRIBE ?
                    new Subscribe(id, ns, name, prio, order, fwd, filter, params) :
                    new TrackStatus(id, ns, name, prio, order, fwd, filter, params));
    }

    private static Arbitrary<Draft14Message> okShaped(final MessageType type)
    {
        return Combinators.combine(varint(), varint(), varint(), explicitGroupOrder(), largestOrNone(), parameters(type))
            .as((id, alias, expires, order, largest, params) -> type == MessageType.SUBSCRIBE_OK ?
                new SubscribeOk(id, alias, expires, order, largest, params) :
                new TrackStatusOk(id, alias, expires, order, largest, params));
    }

    private interface ErrorConstructor
    {
        Draft14Message make(long requestId, long errorCode, Bytes reason);
    }

    private static Arbitrary<Draft14Message> errorShaped(final ErrorConstructor constructor)
    {
        return Combinators.combine(varint(), varint(), reason()).as(constructor::make);
    }

    private static Arbitrary<Draft14Message> subscribeUpdate()
    {
        // End Group is encoded plus one, 0 for open-ended, and may not precede the start group.
        final Arbitrary<Object[]> startAndEnd = location().flatMap(start -> (start.group() == QuicVarint.MAX_VALUE ?
            Arbitraries.just(0L) :
            Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(start.group() + 1, QuicVarint.MAX_VALUE)))
            .map(end -> new Object[] {start, end}));
        return Combinators.combine(varint(), varint(), startAndEnd, uint8(), Arbitraries.of(true, false),
            parameters(MessageType.SUBSCRIBE_UPDATE)).as((id, sub, se, prio, fwd, params) ->
                new SubscribeUpdate(id, sub, (Location)se[0], (Long)se[1], prio, fwd, params));
    }

    private static Arbitrary<Draft14Message> publish()
    {
        return Combinators.combine(varint(), namespace(), bytes(24), varint(), explicitGroupOrder(), largestOrNone(),
            Arbitraries.of(true, false), parameters(MessageType.PUBLISH)).as(Publish::new);
    }

    private static Arbitrary<Draft14Message> fetch()
    {
        final Arbitrary<StandaloneFetch> standalone = Combinators.combine(namespace(), bytes(24), location(), location())
            .as(StandaloneFetch::new);
        return Arbitraries.oneOf(
            Combinators.combine(varint(), uint8(), anyGroupOrder(), standalone, parameters(MessageType.FETCH))
                .as(Fetch::standalone),
            Combinators.combine(varint(), uint8(), anyGroupOrder(),
                Arbitraries.of(FetchType.RELATIVE_JOINING, FetchType.ABSOLUTE_JOINING),
                Combinators.combine(varint(), varint()).as(JoiningFetch::new), parameters(MessageType.FETCH))
                .as(Fetch::joining));
    }
}
