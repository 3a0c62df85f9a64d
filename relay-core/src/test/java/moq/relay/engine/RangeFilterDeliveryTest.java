package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.fanout.ObjectFilter;
import moq.relay.fanout.ObjectFilter.Field;
import moq.relay.fanout.ObjectFilter.Term;

/**
 * Draft 20 in the engine: several subscriptions of one track on one session, each delivered on its own and through
 * its own Range Filters (draft-21 §3.1, §3.3.2), which the egress loop evaluates per object.
 */
class RangeFilterDeliveryTest
{
    private static final FullTrackName TRACK = FullTrackName.of("video", "live", "cam1");

    private static SubscribeOptions filtered(final Term... terms)
    {
        return SubscribeOptions.of(SubscriptionFilter.NONE).withObjectFilter(ObjectFilter.of(List.of(terms)));
    }

    private static Term term(final int setId, final Field field, final long... bounds)
    {
        return new Term(setId, field, 0, bounds);
    }

    /** Two subgroups per group, objects 0..2 in each, then both subgroups end. */
    private static void publishGroup(final Harness h, final TrackIngest in, final long g)
    {
        for (int o = 0; o < 3; o++)
        {
            h.send(in, g, 0, o, 20);
            h.send(in, g, 1, o, 20);
        }
        in.endSubgroup(g, 0);
        in.endSubgroup(g, 1);
    }

    @Test
    void twoSubscriptionsOfOneTrackOnOneSessionGetExactlyTheirObjects()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            h.announce(pub, "live");
            final Session s = h.session("sub");
            s.allowSeveralSubscriptionsPerTrack();
            final RecordingWriter firstObjects = new RecordingWriter();
            final RecordingWriter layerOne = new RecordingWriter();
            final Callbacks.Sub cb1 = new Callbacks.Sub();
            final Callbacks.Sub cb2 = new Callbacks.Sub();
            s.subscribe(1, TRACK, filtered(term(0, Field.OBJECT_ID, 0, 0)), firstObjects, cb1);
            s.subscribe(3, TRACK, filtered(term(0, Field.SUBGROUP_ID, 1, 1)), layerOne, cb2);
            assertThat(cb1.okCalled).isTrue();
            assertThat(cb2.error).isNull();
            assertThat(cb2.okCalled).isTrue();
            assertThat(pub.subscribes).as("one upstream subscription, unfiltered, serves both").hasSize(1);
            final TrackIngest in = pub.last().ingest();

            publishGroup(h, in, 0);
            publishGroup(h, in, 1);
            h.poll();

            assertThat(firstObjects.objects).extracting(o -> o.group() + "/" + o.subgroup() + "/" + o.object())
                .containsExactly("0/0/0", "0/1/0", "1/0/0", "1/1/0");
            // Object 1/0 of subgroup 1 passes both: sent once for each subscription (§3.1).
            assertThat(layerOne.objects).extracting(o -> o.group() + "/" + o.subgroup() + "/" + o.object())
                .containsExactly("0/1/0", "0/1/1", "0/1/2", "1/1/0", "1/1/1", "1/1/2");
            // A subgroup none of whose objects pass opens no stream; those that opened end with FIN.
            assertThat(layerOne.calls).filteredOn(c -> c.startsWith("open") || c.startsWith("end"))
                .containsExactly("open 0/1 from 0", "end 0/1", "open 1/1 from 0", "end 1/1");
            assertThat(firstObjects.ends).isEqualTo(4);
            assertThat(firstObjects.resets + layerOne.resets).isZero();

            // Each is its own request: cancelling one leaves the other delivering.
            s.cancel(1);
            h.poll();
            h.send(in, 2, 1, 0, 20);
            h.poll();
            assertThat(firstObjects.locations()).doesNotContain("2/0");
            assertThat(layerOne.locations()).endsWith("2/0");
        }
    }

    @Test
    void withoutTheDraftTwentyPermissionASecondSubscriptionIsStillDuplicate()
    {
        try (Harness h = Harness.small())
        {
            h.announce(new FakePublisher(), "live");
            final Session s = h.session("s");
            s.subscribe(1, TRACK, SubscribeOptions.of(null), new RecordingWriter(), new Callbacks.Sub());
            final Callbacks.Sub dup = new Callbacks.Sub();
            s.subscribe(2, TRACK, filtered(term(0, Field.OBJECT_ID, 0, 0)), new RecordingWriter(), dup);
            assertThat(dup.error).isEqualTo(RequestErrorCode.DUPLICATE_SUBSCRIPTION);
        }
    }

    @Test
    void setIdsAreOredTermsOfOneSetAnded()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            h.announce(pub, "live");
            final RecordingWriter w = new RecordingWriter();
            // (subgroup 0 AND object >= 2) OR (subgroup 1 AND object 0)
            h.session("a").subscribe(1, TRACK, filtered(term(0, Field.SUBGROUP_ID, 0, 0), term(0, Field.OBJECT_ID, 2,
                -1), term(1, Field.SUBGROUP_ID, 1, 1), term(1, Field.OBJECT_ID, 0, 0)), w, new Callbacks.Sub());
            publishGroup(h, pub.last().ingest(), 4);
            h.poll();
            // Both pending when the loop polls: the lower subgroup goes first (scheduling order, docs/engine.md).
            assertThat(w.objects).extracting(o -> o.subgroup() + "/" + o.object()).containsExactly("0/2", "1/0");
            assertThat(w.calls).contains("open 4/0 from 2", "end 4/0", "end 4/1");
        }
    }

    @Test
    void anUpdateReplacesTheFilterForObjectsNotYetDelivered()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            h.announce(pub, "live");
            final Session s = h.session("a");
            final RecordingWriter w = new RecordingWriter();
            s.subscribe(1, TRACK, filtered(term(0, Field.SUBGROUP_ID, 0, 0)), w, new Callbacks.Sub());
            final TrackIngest in = pub.last().ingest();
            publishGroup(h, in, 0);
            h.poll();
            assertThat(w.objects).extracting(o -> o.subgroup()).containsOnly(0L);

            final Callbacks.Req removed = new Callbacks.Req();
            s.updateSubscription(1, true, 128, ObjectFilter.of(List.of(term(0, Field.PUBLISHER_PRIORITY, 0, 127))),
                removed);
            assertThat(removed.okCalled).isTrue();
            h.poll();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[4]);
            in.object(0, 1, 0, 0, 200, 0, null, 0, 0, payload, 0, 4); // priority 200: fails
            in.object(0, 1, 1, 0, 100, 0, null, 0, 0, payload, 0, 4); // subgroup 1, priority 100: passes now
            h.poll();
            assertThat(w.objects).extracting(o -> o.group() + "/" + o.subgroup() + " p" + o.priority())
                .containsExactly("0/0 p128", "0/0 p128", "0/0 p128", "1/1 p100");

            final Callbacks.Req none = new Callbacks.Req();
            s.updateSubscription(1, true, 128, null, none);
            h.poll();
            in.object(0, 1, 0, 1, 200, 0, null, 0, 0, payload, 0, 4);
            h.poll();
            assertThat(w.objects).extracting(o -> o.group() + "/" + o.subgroup() + "/" + o.object()).hasSize(5)
                .endsWith("1/0/1");
        }
    }
}
