package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.List;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.session.UpstreamFetchTest.History;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.Fetch;
import moq.relay.wire.d20.FetchOk;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.d20.RangeFilter;
import moq.relay.wire.d20.Subscribe;
import moq.relay.wire.d20.SubscribeOk;
import moq.relay.wire.param.ParameterType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Draft 20's Range Filters on what a fetch stream carries, over QUIC (draft-21 §3.3.2: "Range Filters are parameters
 * in SUBSCRIBE, FETCH, or SUBSCRIBE_TRACKS"; §9.11: gaps in a fetch response "indicate objects that do not exist
 * unless filters were requested"; §3.4: a fill "inherits the subscription's parameters, including ... range filters",
 * those inside FILL_PARAMETERS overriding them): a FETCH served from the cache, one answered by the publisher
 * (upstream FETCH), and a subscription's fill.
 */
class FilteredFetchTest
{
    @TempDir
    Path certDir;

    private TwoGroupCacheFixture fixture;
    private RelayFixture relay;

    @BeforeEach
    void start()
    {
        fixture = new TwoGroupCacheFixture(certDir);
        relay = fixture.relay;
    }

    @AfterEach
    void stop()
    {
        fixture.close();
    }

    private static Parameter.Range filter(final ParameterType type, final long start, final long end)
    {
        return new Parameter.Range(RangeFilter.of(type, 0, 0, new RangeFilter.Range(start, end)));
    }

    private static List<ControlMessage> messages(final RawPeer.RawBytes stream)
    {
        return stream.decoded(Draft20ControlCodec.INSTANCE);
    }

    @Test
    void aFetchFromTheCacheCarriesOnlyTheObjectsItsFiltersPass() throws Exception
    {
        final List<List<byte[]>> script = RelayEndToEndTest.script(4, 4, 31);
        final History history = new History(script);
        fixture.publish(Draft.DRAFT_20, history, script);
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            // Groups 2 and 3 are cached; objects 1 and 3 of each pass.
            final long id = peer.nextRequestId();
            final RawPeer.RawBytes stream = peer.request(new Fetch(id, NS, TRACK, MessageParameters.of(
                new Parameter.LocationFilterParameter(LocationFilter.absoluteStart(new Location(2, 0))),
                new Parameter.Range(RangeFilter.of(ParameterType.OBJECTID_FILTER, 0, 0, new RangeFilter.Range(1, 1),
                    new RangeFilter.Range(3, 3))))));
            RelayFixture.await(() -> peer.fetched.contains(id + ":FIN"), "the fetch stream's FIN");
            assertThat(messages(stream).get(0)).isInstanceOf(FetchOk.class);
            assertThat(peer.fetched).containsExactly(id + ":2/1", id + ":2/3", id + ":3/1", id + ":3/3", id + ":FIN");
            assertThat(history.asked.get()).as("served from the cache").isZero();
        }
    }

    @Test
    void aFetchAnsweredByThePublisherIsFilteredOnItsWayToTheRequester() throws Exception
    {
        final List<List<byte[]>> script = RelayEndToEndTest.script(4, 3, 32);
        final History history = new History(script);
        fixture.publish(Draft.DRAFT_20, history, script);
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            // Groups 0 and 1 are no longer cached, so the publisher answers; object 0 of each passes.
            final Parameter.LocationFilterParameter groupsZeroAndOne = new Parameter.LocationFilterParameter(
                LocationFilter.absoluteRange(Location.ZERO, 1));
            final long id = peer.nextRequestId();
            peer.request(new Fetch(id, NS, TRACK, MessageParameters.of(groupsZeroAndOne,
                filter(ParameterType.OBJECTID_FILTER, 0, 0))));
            RelayFixture.await(() -> peer.fetched.contains(id + ":FIN"), "the fetch stream's FIN");
            assertThat(history.asked.get()).as("one upstream FETCH").isEqualTo(1);
            assertThat(peer.fetched).containsExactly(id + ":0/0", id + ":1/0", id + ":FIN");

            // The relay kept the publisher's whole answer: a second, differently filtered FETCH is served from it.
            final long again = peer.nextRequestId();
            peer.request(new Fetch(again, NS, TRACK, MessageParameters.of(groupsZeroAndOne,
                filter(ParameterType.OBJECTID_FILTER, 2, 2))));
            RelayFixture.await(() -> peer.fetched.contains(again + ":FIN"), "the second fetch stream's FIN");
            assertThat(history.asked.get()).as("no second upstream FETCH").isEqualTo(1);
            assertThat(peer.fetched.subList(3, peer.fetched.size())).containsExactly(again + ":0/2",
                again + ":1/2", again + ":FIN");
        }
    }

    @Test
    void aFillInheritsTheSubscriptionsFiltersAndItsOwnReplaceThem() throws Exception
    {
        final TwoGroupCacheFixture.Published published = fixture.open(Draft.DRAFT_20, null);
        final TrackPublisher track = published.track();
        for (long g = 0; g < 2; g++) // subgroup 0 with objects 0..2, subgroup 1 with objects 3..5
        {
            for (long sg = 0; sg < 2; sg++)
            {
                final SubgroupWriter w = track.openSubgroup(g, sg);
                for (int o = 0; o < 3; o++)
                {
                    w.write(3 * sg + o, Unpooled.wrappedBuffer(new byte[] {(byte)o}));
                }
                w.close();
            }
        }
        published.awaitEarly(12);
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            // Zero length: the whole track up to the Largest Object (§3.4). ({0, 0} alone would be the Next Object.)
            final Parameter.LocationFilterParameter fromZero = new Parameter.LocationFilterParameter(
                LocationFilter.NONE);
            // The subscription's SUBGROUP_FILTER (subgroup 1) and OBJECTID_FILTER (object 3); the fill's own
            // OBJECTID_FILTER (objects 0 to 5) replaces the latter for the fill.
            final long id = peer.nextRequestId();
            final RawPeer.RawBytes stream = peer.request(new Subscribe(id, NS, TRACK, MessageParameters.of(
                new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT),
                filter(ParameterType.SUBGROUP_FILTER, 1, 1), filter(ParameterType.OBJECTID_FILTER, 3, 3),
                new Parameter.FillParameters(MessageParameters.of(fromZero,
                    filter(ParameterType.OBJECTID_FILTER, 0, 5))))));
            RelayFixture.await(() -> peer.fetched.contains(id + ":FIN"), () -> "the fill stream's FIN: " +
                peer.fetched + " " + messages(stream));
            assertThat(messages(stream).get(0)).isInstanceOf(SubscribeOk.class);
            assertThat(peer.fetched).containsExactly(id + ":0/3", id + ":0/4", id + ":0/5", id + ":1/3", id + ":1/4",
                id + ":1/5", id + ":FIN");

            // Live: the subscription's own filters.
            final SubgroupWriter zero = track.openSubgroup(2, 0);
            final SubgroupWriter one = track.openSubgroup(2, 1);
            for (int o = 0; o < 3; o++)
            {
                zero.write(o, Unpooled.wrappedBuffer(new byte[] {(byte)o}));
                one.write(3 + o, Unpooled.wrappedBuffer(new byte[] {(byte)o}));
            }
            RelayFixture.await(() -> !peer.objects.isEmpty(), "the live object");
            Thread.sleep(200);
            assertThat(peer.objects).containsExactly("2/3");
        }
    }
}
