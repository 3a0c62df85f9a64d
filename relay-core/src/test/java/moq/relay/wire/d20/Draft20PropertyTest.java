package moq.relay.wire.d20;

import moq.relay.wire.param.ParameterType;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlFramer;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.GroupOrder;
import moq.relay.wire.param.Properties;
import moq.relay.wire.param.Redirect;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Draft-20: random valid messages of every kind round-trip; arbitrary and mutated bytes never make decoding throw
 * anything but a WireException, and never one of our INTERNAL_ERROR safety net (which would mean a bug); a stream of
 * messages decodes the same however it is split.
 */
class Draft20PropertyTest
{
    @Property(tries = 1500)
    void everyValidMessageRoundTrips(@ForAll("messages") final Draft20Message message) throws WireException
    {
        final byte[] frame = Wire.encode(message);
        final ControlMessage decoded = Wire.decode(frame);

        assertThat(decoded).isEqualTo(message);
        assertThat(Wire.encode(decoded)).isEqualTo(frame);
    }

    @Property(tries = 3000)
    void randomPayloadsOfEveryTypeDecodeOrFailWithAWireException(
        @ForAll("messageTypes") final long type, @ForAll @Size(max = 96) final byte[] payload)
    {
        assertDecodesCleanly(Wire.frame(type, payload));
    }

    @Property(tries = 1000)
    void randomFramesDecodeOrFailWithAWireException(@ForAll @Size(max = 64) final byte[] frame)
    {
        assertDecodesCleanly(frame);
    }

    @Property(tries = 3000)
    void mutatedValidPayloadsDecodeOrFailWithAWireException(
        @ForAll("messages") final Draft20Message message,
        @ForAll @IntRange(min = 0, max = 10_000) final int where,
        @ForAll final byte value,
        @ForAll @IntRange(min = 0, max = 3) final int mutation)
    {
        final byte[] frame = Wire.encode(message);
        final int headerLength = Wire.frame(message.type(), new byte[0]).length;
        final byte[] payload = java.util.Arrays.copyOfRange(frame, headerLength, frame.length);
        final byte[] mutated;
        if (payload.length == 0 || mutation == 3)
        {
            mutated = java.util.Arrays.copyOf(payload, payload.length + 1);
            mutated[payload.length] = value;
        }
        else if (mutation == 0)
        {
            mutated = payload.clone();
            mutated[where % payload.length] = value;
        }
        else if (mutation == 1)
        {
            mutated = java.util.Arrays.copyOf(payload, where % payload.length);
        }
        else
        {
            mutated = payload.clone();
            mutated[where % payload.length] ^= (byte)(1 << (value & 7));
        }
        assertDecodesCleanly(Wire.frame(message.type(), mutated));
    }

    /**
     * Split invariance: a request stream of several messages, cut anywhere (one byte at a time included) and framed as
     * {@code ControlMessageReader} does, with {@link ControlFramer#frameLength} on the bytes received so far, yields
     * the same messages as the whole stream.
     */
    @Property(tries = 400)
    void aStreamOfMessagesDecodesTheSameInAnySplit(
        @ForAll("messageLists") final List<Draft20Message> messages, @ForAll final long seed) throws WireException
    {
        final java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        for (final Draft20Message m : messages)
        {
            stream.writeBytes(Wire.encode(m));
        }
        final byte[] bytes = stream.toByteArray();
        final java.util.Random random = new java.util.Random(seed);
        final int[] cuts = random.nextBoolean() ?
            java.util.stream.IntStream.range(1, Math.max(1, bytes.length)).toArray() :
            random.ints(random.nextInt(8), 1, Math.max(2, bytes.length)).sorted().distinct().toArray();
        assertThat(readInPieces(bytes, cuts)).isEqualTo(messages);
    }

    /** What a reader that buffers pieces and decodes each complete frame sees. */
    static List<ControlMessage> readInPieces(final byte[] bytes, final int[] cuts) throws WireException
    {
        final List<ControlMessage> out = new ArrayList<>();
        final byte[] pending = new byte[bytes.length];
        int pendingLength = 0;
        int from = 0;
        for (int i = 0; i <= cuts.length; i++)
        {
            final int to = i < cuts.length ? Math.min(cuts[i], bytes.length) : bytes.length;
            if (to <= from)
            {
                continue;
            }
            System.arraycopy(bytes, from, pending, pendingLength, to - from);
            pendingLength += to - from;
            from = to;
            int offset = 0;
            while (true)
            {
                final int length = ControlFramer.frameLength(moq.relay.wire.MoqtVarint.INSTANCE,
                    new org.agrona.concurrent.UnsafeBuffer(pending), offset, pendingLength - offset);
                if (length == ControlFramer.NEED_MORE)
                {
                    break;
                }
                out.add(Wire.CODEC.decode(new org.agrona.concurrent.UnsafeBuffer(pending), offset, length));
                offset += length;
            }
            System.arraycopy(pending, offset, pending, 0, pendingLength - offset);
            pendingLength -= offset;
        }
        assertThat(pendingLength).as("bytes left over").isZero();
        return out;
    }

    @Provide
    Arbitrary<List<Draft20Message>> messageLists()
    {
        return messages().list().ofMinSize(1).ofMaxSize(4);
    }

    /**
     * Both forms a draft-20 session reads in (the draft's, and {@link Draft20ControlCodec#ODD_TYPES_LENGTH_PREFIXED}
     * for @moq/net): each decodes {@code frame} to a message that re-encodes and decodes to itself, or fails with a
     * WireException other than the INTERNAL_ERROR safety net.
     */
    static void assertDecodesCleanly(final byte[] frame)
    {
        for (final Draft20ControlCodec codec : new Draft20ControlCodec[]{Draft20ControlCodec.INSTANCE,
            Draft20ControlCodec.ODD_TYPES_LENGTH_PREFIXED})
        {
            assertDecodesCleanly(codec, frame);
        }
    }

    private static void assertDecodesCleanly(final Draft20ControlCodec codec, final byte[] frame)
    {
        final ControlMessage decoded;
        try
        {
            decoded = codec.decode(new org.agrona.concurrent.UnsafeBuffer(frame), 0, frame.length);
        }
        catch (final WireException e)
        {
            assertThat(e.error()).as(codec.parameterForm() + ": " + e).isNotEqualTo(SessionError.INTERNAL_ERROR);
            return;
        }
        // Whatever decodes is a valid message: it re-encodes and decodes to itself.
        final moq.relay.wire.WireWriter writer = new moq.relay.wire.WireWriter(moq.relay.wire.MoqtVarint.INSTANCE);
        codec.encode(decoded, writer);
        final byte[] encoded = writer.toByteArray(0);
        try
        {
            assertThat(codec.decode(new org.agrona.concurrent.UnsafeBuffer(encoded), 0, encoded.length))
                .as(codec.parameterForm().toString()).isEqualTo(decoded);
        }
        catch (final WireException e)
        {
            throw new AssertionError(codec.parameterForm() + ": re-encoded " + decoded + " does not decode: " + e);
        }
    }

    @Provide
    Arbitrary<Long> messageTypes()
    {
        return Arbitraries.oneOf(
            Arbitraries.of(MessageType.SETUP, MessageType.GOAWAY, MessageType.SUBSCRIBE, MessageType.SUBSCRIBE_OK,
                MessageType.PUBLISH, MessageType.PUBLISH_STATE_NOTIFY, MessageType.PUBLISH_DONE, MessageType.FETCH,
                MessageType.FETCH_OK, MessageType.TRACK_STATUS, MessageType.PUBLISH_NAMESPACE,
                MessageType.SUBSCRIBE_NAMESPACE, MessageType.SUBSCRIBE_TRACKS, MessageType.NAMESPACE,
                MessageType.NAMESPACE_DONE, MessageType.PUBLISH_SKIPPED, MessageType.REQUEST_UPDATE,
                MessageType.REQUEST_OK, MessageType.REQUEST_ERROR),
            Arbitraries.longs());
    }

    @Provide
    Arbitrary<Draft20Message> messages()
    {
        return Arbitraries.oneOf(List.of(
            setups(),
            Combinators.combine(bytes(0, 40), varints()).as(Goaway::new),
            Combinators.combine(varints(), namespaces(), bytes(0, 16), parameters(ParameterContext.SUBSCRIBE))
                .as(Subscribe::new),
            Combinators.combine(varints(), parameters(ParameterContext.SUBSCRIBE_OK), properties())
                .as(SubscribeOk::new),
            Combinators.combine(varints(), parameters(ParameterContext.REQUEST_UPDATE)).as(RequestUpdate::new),
            Combinators.combine(varints(), namespaces(), bytes(0, 16), varints(), parameters(ParameterContext.PUBLISH),
                properties()).as(Publish::new),
            Combinators.combine(varints(), varints(), bytes(0, 40)).as(PublishDone::new),
            parameters(ParameterContext.PUBLISH_STATE_NOTIFY).map(PublishStateNotify::new),
            Combinators.combine(varints(), namespaces(), bytes(0, 16), parameters(ParameterContext.FETCH))
                .as(Fetch::new),
            Combinators.combine(Arbitraries.of(true, false), locations(), properties())
                .as((eot, end, props) -> (Draft20Message)new FetchOk(eot, end, props)),
            Combinators.combine(varints(), namespaces(), bytes(0, 16), parameters(ParameterContext.TRACK_STATUS))
                .as(TrackStatus::new),
            Combinators.combine(varints(), namespaces(), parameters(ParameterContext.PUBLISH_NAMESPACE))
                .as(PublishNamespace::new),
            namespaces().map(Namespace::new),
            namespaces().map(NamespaceDone::new),
            Combinators.combine(varints(), namespaces(), parameters(ParameterContext.SUBSCRIBE_NAMESPACE))
                .as(SubscribeNamespace::new),
            Combinators.combine(varints(), namespaces(), parameters(ParameterContext.SUBSCRIBE_TRACKS))
                .as(SubscribeTracks::new),
            Combinators.combine(namespaces(), bytes(0, 16)).as(PublishSkipped::new),
            Combinators.combine(parameters(ParameterContext.REQUEST_OK), properties()).as(RequestOk::new),
            requestErrors()));
    }

    static Arbitrary<Long> varints()
    {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 300), Arbitraries.longs());
    }

    private static Arbitrary<Bytes> bytes(final int min, final int max)
    {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max).map(Bytes::wrap);
    }

    private static Arbitrary<TrackNamespace> namespaces()
    {
        return bytes(1, 12).list().ofMaxSize(5).map(TrackNamespace::new);
    }

    private static Arbitrary<Location> locations()
    {
        return Combinators.combine(varints(), varints()).as(Location::new);
    }

    private static Arbitrary<AuthToken> tokens()
    {
        return Arbitraries.oneOf(
            varints().map(AuthToken::delete),
            Combinators.combine(varints(), varints(), bytes(0, 20)).as(AuthToken::register),
            varints().map(AuthToken::useAlias),
            Combinators.combine(varints(), bytes(0, 20)).as(AuthToken::useValue));
    }

    static Arbitrary<LocationFilter> filters()
    {
        return Arbitraries.oneOf(
            Arbitraries.just(LocationFilter.NONE),
            Arbitraries.just(LocationFilter.NEXT_OBJECT),
            varints().map(LocationFilter::relativeStartGroup),
            locations().map(LocationFilter::absoluteStart),
            Combinators.combine(locations(), varints())
                .filter((start, delta) -> Long.compareUnsigned(start.group() + delta, start.group()) >= 0)
                .as(LocationFilter::absoluteRange),
            Combinators.combine(locations(), varints(), varints())
                .filter((start, delta, end) -> Long.compareUnsigned(start.group() + delta, start.group()) >= 0)
                .as(LocationFilter::absoluteRange));
    }

    /** Range Filters as they may arrive: deltas are any varints (overflow is a request error, not a decode error). */
    static Arbitrary<RangeFilter> rangeFilters(final ParameterType type)
    {
        return Arbitraries.oneOf(
            Arbitraries.just(RangeFilter.cleared(type)),
            Combinators.combine(Arbitraries.integers().between(0, 255),
                type.isPropertyFilter() ? varints() : Arbitraries.just(0L), varints().list().ofMaxSize(5))
                .as((set, property, deltas) -> new RangeFilter(type, false, set, property, deltas)));
    }

    private static Arbitrary<? extends moq.relay.wire.param.Parameter> parameter(final ParameterType type)
    {
        switch (type)
        {
            case OBJECT_DELIVERY_TIMEOUT:
                return varints().map(Parameter.ObjectDeliveryTimeout::new);
            case AUTHORIZATION_TOKEN:
                return tokens().map(Parameter.AuthorizationToken::new);
            case RENDEZVOUS_TIMEOUT:
                return varints().map(Parameter.RendezvousTimeout::new);
            case SUBGROUP_DELIVERY_TIMEOUT:
                return varints().map(Parameter.SubgroupDeliveryTimeout::new);
            case EXPIRES:
                return varints().map(Parameter.Expires::new);
            case LARGEST_OBJECT:
                return locations().map(Parameter.LargestObject::new);
            case FILL_TIMEOUT:
                return varints().map(Parameter.FillTimeout::new);
            case FORWARD:
                return Arbitraries.of(true, false).map(Parameter.Forward::new);
            case SUBSCRIBER_PRIORITY:
                return Arbitraries.integers().between(0, 255).map(Parameter.SubscriberPriority::new);
            case LOCATION_FILTER:
                return filters().map(Parameter.LocationFilterParameter::new);
            case FILL_PARAMETERS:
                return parameters(ParameterContext.FILL).map(Parameter.FillParameters::new);
            case SUBGROUP_FILTER:
            case OBJECTID_FILTER:
            case PRIORITY_FILTER:
            case OBJECT_PROPERTY_FILTER:
            case TRACK_PROPERTY_FILTER:
                return rangeFilters(type).map(Parameter.Range::new);
            case INCLUDE_PROPERTIES:
                return Arbitraries.of(true, false).map(Parameter.IncludeProperties::new);
            case GROUP_ORDER:
                return Arbitraries.of(GroupOrder.class).map(Parameter.Order::new);
            case NEW_GROUP_REQUEST:
                return varints().map(Parameter.NewGroupRequest::new);
            case TRACK_NAMESPACE_PREFIX:
                return namespaces().map(Parameter.TrackNamespacePrefix::new);
            default:
                throw new IllegalStateException(type.toString());
        }
    }

    static Arbitrary<MessageParameters> parameters(final ParameterContext context)
    {
        final Set<ParameterType> allowed = EnumSet.noneOf(ParameterType.class);
        for (final ParameterType t : ParameterType.values())
        {
            if (context.allows(t))
            {
                allowed.add(t);
            }
        }
        if (allowed.isEmpty())
        {
            return Arbitraries.just(MessageParameters.EMPTY);
        }
        return Arbitraries.subsetOf(allowed).flatMap(chosen ->
        {
            final List<Arbitrary<List<moq.relay.wire.param.Parameter>>> parts = new ArrayList<>();
            for (final ParameterType t : chosen)
            {
                final Arbitrary<moq.relay.wire.param.Parameter> one = parameter(t).map(p -> (moq.relay.wire.param.Parameter)p);
                parts.add(t.repeatable() ? one.list().ofMinSize(1).ofMaxSize(3) : one.map(List::of));
            }
            if (parts.isEmpty())
            {
                return Arbitraries.just(MessageParameters.EMPTY);
            }
            return Combinators.combine(parts).as(lists ->
            {
                final List<moq.relay.wire.param.Parameter> all = new ArrayList<>();
                lists.forEach(all::addAll);
                return MessageParameters.of(all.toArray(new moq.relay.wire.param.Parameter[0]));
            });
        });
    }

    private static Arbitrary<List<KeyValuePair>> keyValuePairs()
    {
        final Arbitrary<Long> types = Arbitraries.oneOf(Arbitraries.longs().between(0, 0x80),
            Arbitraries.longs().between(0x3800, 0x7FFF), Arbitraries.longs());
        final Arbitrary<KeyValuePair> pair = Combinators.combine(types, varints(), bytes(0, 24))
            .as((type, v, b) -> KeyValuePair.isBytesType(type) ? KeyValuePair.ofBytes(type, b) :
                KeyValuePair.ofVarint(type, v));
        return pair.list().ofMaxSize(5).map(list ->
        {
            final List<KeyValuePair> sorted = new ArrayList<>(list);
            sorted.sort((a, b) -> Long.compareUnsigned(a.type(), b.type()));
            return sorted;
        });
    }

    private static Arbitrary<Properties> properties()
    {
        return keyValuePairs().map(Properties::of).filter(Draft20PropertyTest::validTrackValues);
    }

    private static boolean validTrackValues(final Properties properties)
    {
        try
        {
            properties.validateTrackValues();
            return true;
        }
        catch (final WireException e)
        {
            return false;
        }
    }

    private static Arbitrary<Draft20Message> setups()
    {
        // Known options other than AUTHORIZATION_TOKEN may not repeat; keep the generated ones to unknown
        // types and tokens, and add at most one of each known single option.
        final Arbitrary<List<KeyValuePair>> unknown = keyValuePairs().map(list ->
        {
            final List<KeyValuePair> kept = new ArrayList<>();
            for (final KeyValuePair p : list)
            {
                if (!SetupOption.isKnown(p.type()))
                {
                    kept.add(p);
                }
            }
            return kept;
        });
        final Arbitrary<List<KeyValuePair>> tokenOptions = tokens()
            .map(t -> KeyValuePair.ofBytes(SetupOption.AUTHORIZATION_TOKEN, Examples.tokenBytes(t))).list().ofMaxSize(2);
        final Arbitrary<List<KeyValuePair>> singles = Combinators.combine(
            bytes(0, 20).injectNull(0.5), varints().injectNull(0.5), bytes(0, 20).injectNull(0.5),
            varints().injectNull(0.5), varints().injectNull(0.5))
            .as((path, cache, impl, ranges, updates) ->
            {
                final List<KeyValuePair> l = new ArrayList<>();
                if (path != null)
                {
                    l.add(KeyValuePair.ofBytes(SetupOption.PATH, path));
                }
                if (cache != null)
                {
                    l.add(KeyValuePair.ofVarint(SetupOption.MAX_AUTH_TOKEN_CACHE_SIZE, cache));
                }
                if (ranges != null)
                {
                    l.add(KeyValuePair.ofVarint(SetupOption.MAX_FILTER_RANGES, ranges));
                }
                if (impl != null)
                {
                    l.add(KeyValuePair.ofBytes(SetupOption.MOQT_IMPLEMENTATION, impl));
                }
                if (updates != null)
                {
                    l.add(KeyValuePair.ofVarint(SetupOption.MAX_REQUEST_UPDATES, updates));
                }
                return l;
            });
        return Combinators.combine(unknown, tokenOptions, singles).as((u, t, s) ->
        {
            final List<KeyValuePair> all = new ArrayList<>(u);
            all.addAll(t);
            all.addAll(s);
            all.sort((a, b) -> Long.compareUnsigned(a.type(), b.type()));
            return new Setup(all);
        });
    }

    private static Arbitrary<Draft20Message> requestErrors()
    {
        final Arbitrary<Redirect> redirects = Combinators.combine(bytes(0, 30), namespaces(), bytes(0, 10))
            .as(Redirect::new);
        return Arbitraries.oneOf(
            Combinators.combine(varints().filter(c -> c != RequestErrorCode.REDIRECT), varints(), bytes(0, 30))
                .as(RequestError::of),
            Combinators.combine(varints(), bytes(0, 30), redirects).as(RequestError::redirect));
    }
}
