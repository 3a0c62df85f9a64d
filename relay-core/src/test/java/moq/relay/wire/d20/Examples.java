package moq.relay.wire.d20;

import moq.relay.wire.param.ParameterType;
import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.GroupOrder;
import moq.relay.wire.param.Properties;
import moq.relay.wire.param.Redirect;

import java.util.LinkedHashMap;
import java.util.Map;

/** One hand-built example of every draft-20 control message and every variant of its optional parts. */
final class Examples
{
    private Examples()
    {
    }

    static final TrackNamespace NS = TrackNamespace.of("example.com", "meeting=123");
    static final Bytes NAME = Bytes.utf8("video");
    static final Properties PROPS = Properties.of(
        KeyValuePair.ofVarint(0x0E, 64),              // DEFAULT_PUBLISHER_PRIORITY
        KeyValuePair.ofVarint(0x30, 1),               // DYNAMIC_GROUPS
        KeyValuePair.ofBytes(0x3801, Bytes.fromHex("c0ffee")), // application range, unknown to us
        KeyValuePair.ofVarint(0x4000, 7));            // mandatory track property, unknown to us

    static final RangeFilter SUBGROUPS = RangeFilter.of(ParameterType.SUBGROUP_FILTER, 0, 0,
        new RangeFilter.Range(3, 5), new RangeFilter.Range(10, 15));
    static final RangeFilter OPEN_OBJECTS = RangeFilter.of(ParameterType.OBJECTID_FILTER, 1, 0,
        new RangeFilter.Range(4, -1L));
    static final RangeFilter PRIORITIES = RangeFilter.of(ParameterType.PRIORITY_FILTER, 0, 0,
        new RangeFilter.Range(0, 127));
    static final RangeFilter OBJECT_PROPERTY = RangeFilter.of(ParameterType.OBJECT_PROPERTY_FILTER, 2, 0x3C,
        new RangeFilter.Range(0, 0));
    static final RangeFilter TRACK_PROPERTY = RangeFilter.of(ParameterType.TRACK_PROPERTY_FILTER, 0, 0x0E,
        new RangeFilter.Range(0, 64), new RangeFilter.Range(200, 255));

    static Map<String, Draft20Message> all()
    {
        final Map<String, Draft20Message> m = new LinkedHashMap<>();
        m.put("SETUP empty", Setup.of());
        m.put("SETUP client options", Setup.of(
            KeyValuePair.ofBytes(SetupOption.PATH, Bytes.utf8("/relay?x=1")),
            KeyValuePair.ofBytes(SetupOption.AUTHORIZATION_TOKEN, tokenBytes(AuthToken.register(1, 0, Bytes.utf8("t1")))),
            KeyValuePair.ofBytes(SetupOption.AUTHORIZATION_TOKEN, tokenBytes(AuthToken.useValue(9, Bytes.utf8("t2")))),
            KeyValuePair.ofVarint(SetupOption.MAX_AUTH_TOKEN_CACHE_SIZE, 4096),
            KeyValuePair.ofBytes(SetupOption.AUTHORITY, Bytes.utf8("relay.example:443")),
            KeyValuePair.ofVarint(SetupOption.MAX_FILTER_RANGES, 16),
            KeyValuePair.ofBytes(SetupOption.MOQT_IMPLEMENTATION, Bytes.utf8("java-relay/0.1")),
            KeyValuePair.ofVarint(SetupOption.MAX_REQUEST_UPDATES, 4),
            KeyValuePair.ofBytes(0x9D, Bytes.utf8("grease")),
            KeyValuePair.ofBytes(0x9D, Bytes.EMPTY),
            KeyValuePair.ofVarint(0x11C, 2),
            KeyValuePair.ofBytes(0x7FFF_FFFF_FFFFL, Bytes.utf8("unknown"))));
        m.put("GOAWAY with URI", new Goaway(Bytes.utf8("moqt://other.example/live"), 5000));
        m.put("GOAWAY empty", new Goaway(Bytes.EMPTY, 0));
        m.put("SUBSCRIBE defaults", new Subscribe(0, NS, NAME, MessageParameters.EMPTY));
        m.put("SUBSCRIBE every parameter", new Subscribe(2, NS, NAME, MessageParameters.of(
            new Parameter.ObjectDeliveryTimeout(250),
            new Parameter.AuthorizationToken(AuthToken.useAlias(3)),
            new Parameter.AuthorizationToken(AuthToken.useValue(1, Bytes.utf8("jwt"))),
            new Parameter.RendezvousTimeout(10_000),
            new Parameter.SubgroupDeliveryTimeout(2000),
            new Parameter.Forward(false),
            new Parameter.SubscriberPriority(0),
            new Parameter.LocationFilterParameter(LocationFilter.absoluteRange(new Location(10, 3), 5, 7)),
            new Parameter.Order(GroupOrder.DESCENDING),
            new Parameter.FillParameters(MessageParameters.of(
                new Parameter.FillTimeout(1000),
                new Parameter.SubscriberPriority(9),
                new Parameter.LocationFilterParameter(LocationFilter.relativeStartGroup(2)),
                new Parameter.Order(GroupOrder.ASCENDING),
                new Parameter.Range(PRIORITIES))),
            new Parameter.Range(SUBGROUPS),
            new Parameter.Range(OPEN_OBJECTS),
            new Parameter.Range(PRIORITIES),
            new Parameter.Range(OBJECT_PROPERTY),
            new Parameter.NewGroupRequest(0),
            new Parameter.IncludeProperties(false))));
        m.put("SUBSCRIBE next object", subscribeWith(LocationFilter.NEXT_OBJECT));
        m.put("SUBSCRIBE next group", subscribeWith(LocationFilter.relativeStartGroup(0)));
        m.put("SUBSCRIBE absolute start", subscribeWith(LocationFilter.absoluteStart(new Location(1L << 40, 0))));
        m.put("SUBSCRIBE absolute range", subscribeWith(LocationFilter.absoluteRange(new Location(4, 1), 2)));
        m.put("SUBSCRIBE current group with fill", new Subscribe(2, NS, NAME, MessageParameters.of(
            new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT),
            new Parameter.FillParameters(MessageParameters.of(
                new Parameter.LocationFilterParameter(LocationFilter.relativeStartGroup(1)))))));
        m.put("SUBSCRIBE empty fill", new Subscribe(2, NS, NAME, MessageParameters.of(
            new Parameter.FillParameters(MessageParameters.EMPTY))));
        m.put("SUBSCRIBE empty namespace and name", new Subscribe(4, TrackNamespace.EMPTY, Bytes.EMPTY,
            MessageParameters.EMPTY));
        m.put("SUBSCRIBE_OK bare", new SubscribeOk(1, MessageParameters.EMPTY, Properties.EMPTY));
        m.put("SUBSCRIBE_OK with properties", new SubscribeOk(-1L, MessageParameters.of(
            new Parameter.Expires(30_000), new Parameter.LargestObject(new Location(7, 42))), PROPS));
        m.put("REQUEST_UPDATE of subscription", new RequestUpdate(8, MessageParameters.of(
            new Parameter.Forward(true),
            new Parameter.SubscriberPriority(200),
            new Parameter.LocationFilterParameter(LocationFilter.absoluteStart(new Location(3, 0))),
            new Parameter.FillParameters(MessageParameters.of(
                new Parameter.LocationFilterParameter(LocationFilter.absoluteStart(new Location(1, 0))))),
            new Parameter.Range(RangeFilter.cleared(ParameterType.SUBGROUP_FILTER)),
            new Parameter.NewGroupRequest(9))));
        m.put("REQUEST_UPDATE removing the filter", new RequestUpdate(14, MessageParameters.of(
            new Parameter.LocationFilterParameter(LocationFilter.NONE))));
        m.put("REQUEST_UPDATE of SUBSCRIBE_TRACKS", new RequestUpdate(10, MessageParameters.of(
            new Parameter.Forward(false),
            new Parameter.Range(TRACK_PROPERTY),
            new Parameter.TrackNamespacePrefix(TrackNamespace.of("example.com")))));
        m.put("REQUEST_UPDATE empty", new RequestUpdate(12, MessageParameters.EMPTY));
        m.put("PUBLISH bare", new Publish(1, NS, NAME, 0, MessageParameters.EMPTY, Properties.EMPTY));
        m.put("PUBLISH with subscription parameters and properties", new Publish(3, NS, NAME, 77,
            MessageParameters.of(
                new Parameter.ObjectDeliveryTimeout(40),
                new Parameter.AuthorizationToken(AuthToken.useValue(0, Bytes.EMPTY)),
                new Parameter.SubgroupDeliveryTimeout(80),
                new Parameter.Expires(0),
                new Parameter.LargestObject(new Location(100, 0)),
                new Parameter.Forward(false),
                new Parameter.SubscriberPriority(3),
                new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT),
                new Parameter.Order(GroupOrder.ASCENDING)), PROPS));
        m.put("PUBLISH_DONE", new PublishDone(PublishDoneCode.TRACK_ENDED, 12, Bytes.utf8("bye")));
        m.put("PUBLISH_DONE unknown stream count", new PublishDone(PublishDoneCode.GOING_AWAY,
            PublishDoneCode.STREAM_COUNT_UNKNOWN, Bytes.EMPTY));
        m.put("PUBLISH_STATE_NOTIFY", new PublishStateNotify(MessageParameters.of(
            new Parameter.LargestObject(new Location(20, 5)),
            new Parameter.Forward(false),
            new Parameter.LocationFilterParameter(LocationFilter.absoluteRange(new Location(20, 6), 0)))));
        m.put("PUBLISH_STATE_NOTIFY empty", new PublishStateNotify(MessageParameters.EMPTY));
        m.put("FETCH whole track", new Fetch(2, NS, NAME, MessageParameters.EMPTY));
        m.put("FETCH range", new Fetch(4, NS, NAME, MessageParameters.of(
            new Parameter.AuthorizationToken(AuthToken.register(2, 5, Bytes.utf8("v"))),
            new Parameter.FillTimeout(0),
            new Parameter.SubscriberPriority(1),
            new Parameter.LocationFilterParameter(LocationFilter.absoluteRange(new Location(1, 0), 4, 9)),
            new Parameter.Order(GroupOrder.DESCENDING),
            new Parameter.Range(SUBGROUPS),
            new Parameter.IncludeProperties(true))));
        m.put("FETCH_OK", new FetchOk(false, new Location(5, 0), Properties.EMPTY));
        m.put("FETCH_OK end of track with properties", new FetchOk(true, new Location(9, 13), PROPS));
        m.put("TRACK_STATUS", new TrackStatus(8, NS, NAME, MessageParameters.of(
            new Parameter.AuthorizationToken(AuthToken.useAlias(1)), new Parameter.IncludeProperties(false))));
        m.put("PUBLISH_NAMESPACE", new PublishNamespace(1, NS, MessageParameters.EMPTY));
        m.put("NAMESPACE", new Namespace(TrackNamespace.of("participant=100")));
        m.put("NAMESPACE empty suffix", new Namespace(TrackNamespace.EMPTY));
        m.put("NAMESPACE_DONE", new NamespaceDone(TrackNamespace.of("participant=100", "cam")));
        m.put("SUBSCRIBE_NAMESPACE", new SubscribeNamespace(2, TrackNamespace.of("example.com"),
            MessageParameters.of(new Parameter.AuthorizationToken(AuthToken.useValue(1, Bytes.utf8("a"))))));
        m.put("SUBSCRIBE_NAMESPACE empty prefix", new SubscribeNamespace(4, TrackNamespace.EMPTY,
            MessageParameters.EMPTY));
        m.put("SUBSCRIBE_TRACKS", new SubscribeTracks(6, NS, MessageParameters.of(
            new Parameter.Forward(false),
            new Parameter.Order(GroupOrder.DESCENDING),
            new Parameter.Range(TRACK_PROPERTY),
            new Parameter.IncludeProperties(false))));
        m.put("PUBLISH_SKIPPED", new PublishSkipped(TrackNamespace.of("participant=7"), NAME));
        m.put("REQUEST_OK empty", RequestOk.EMPTY);
        m.put("REQUEST_OK as PUBLISH_OK", new RequestOk(MessageParameters.of(new Parameter.Expires(300))));
        m.put("REQUEST_OK as TRACK_STATUS_OK", new RequestOk(MessageParameters.of(
            new Parameter.LargestObject(new Location(3, 4))), PROPS));
        m.put("REQUEST_ERROR", RequestError.of(RequestErrorCode.DOES_NOT_EXIST, 0, Bytes.utf8("no such track")));
        m.put("REQUEST_ERROR invalid filter", RequestError.of(RequestErrorCode.INVALID_FILTER, 1, Bytes.EMPTY));
        m.put("REQUEST_ERROR unknown code", RequestError.of(0x7777, 1001, Bytes.EMPTY));
        m.put("REQUEST_ERROR redirect", RequestError.redirect(60_001, Bytes.utf8("moved"),
            new Redirect(Bytes.utf8("moqt://edge2.example/live"), TrackNamespace.of("other"), Bytes.utf8("t"))));
        m.put("REQUEST_ERROR redirect same track", RequestError.redirect(0, Bytes.EMPTY,
            Redirect.toUri(Bytes.utf8("moqt://edge3.example"))));
        return m;
    }

    static Subscribe subscribeWith(final LocationFilter filter)
    {
        return new Subscribe(2, NS, NAME, MessageParameters.of(new Parameter.LocationFilterParameter(filter)));
    }

    static Bytes tokenBytes(final AuthToken token)
    {
        final moq.relay.wire.WireWriter w = new moq.relay.wire.WireWriter(moq.relay.wire.MoqtVarint.INSTANCE);
        token.write(w);
        return Bytes.wrap(w.toByteArray(0));
    }
}
