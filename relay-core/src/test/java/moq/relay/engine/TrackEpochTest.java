package moq.relay.engine;

import moq.relay.fanout.PublishDoneStatus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * A track whose publisher left and a new publisher that takes it over within the idle timeout (a reloaded page: new
 * session, group IDs from 0 again) starts a new epoch: late joiners get the new publisher's objects at once, the old
 * subscribers got PUBLISH_DONE and get them when they subscribe again. A second publisher while the first is still
 * there (draft-18 "Graceful Publisher Relay Switchover") continues the same epoch.
 */
class TrackEpochTest
{
    private static final FullTrackName TRACK = FullTrackName.of("v", "live");
    private static final SubscribeOptions LATEST = SubscribeOptions.of(SubscriptionFilter.largestObject());

    private static UpstreamSubscription publish(final Session s, final Location largest)
    {
        final Callbacks.Req ok = new Callbacks.Req();
        final UpstreamSubscription up = s.publish(1, TRACK, List.of(), largest, new FakePublisher(), ok);
        assertThat(ok.okCalled).as("PUBLISH accepted").isTrue();
        return up;
    }

    private static void sendGroups(final Harness h, final TrackIngest in, final long first, final long last)
    {
        for (long g = first; g <= last; g++)
        {
            h.send(in, g, 0, 0, 100);
            h.send(in, g, 0, 1, 100);
            in.endSubgroup(g, 0);
        }
    }

    @Test
    void publishedTrackTakenOverByANewSessionStartsAtItsGroupZero()
    {
        try (Harness h = Harness.small())
        {
            final Session oldPub = h.session("old");
            final UpstreamSubscription oldUp = publish(oldPub, null);
            final RecordingWriter stays = new RecordingWriter();
            final Session viewer = h.session("viewer");
            viewer.subscribe(1, TRACK, LATEST, stays, new Callbacks.Sub());
            sendGroups(h, oldUp.ingest(), 0, 9);
            h.poll();
            assertThat(stays.objects).hasSize(20);

            oldPub.close(); // page reload: the old session goes away ...
            h.poll();
            assertThat(stays.doneStatus).as("the subscriber is told").isEqualTo(PublishDoneStatus.TRACK_ENDED);

            final UpstreamSubscription newUp = publish(h.session("new"), null); // ... and a new one publishes
            final RecordingWriter late = new RecordingWriter();
            final Callbacks.Sub lateOk = new Callbacks.Sub();
            h.session("late").subscribe(1, TRACK, LATEST, late, lateOk);
            assertThat(lateOk.okCalled).isTrue();
            assertThat(lateOk.largest).as("nothing published in the new epoch yet").isNull();
            final RecordingWriter again = new RecordingWriter();
            viewer.subscribe(2, TRACK, LATEST, again, new Callbacks.Sub());

            sendGroups(h, newUp.ingest(), 0, 1);
            h.poll();
            assertThat(late.calls).as("late joiner").containsExactly("open 0/0 from 0", "object 0/0/0",
                "object 0/0/1", "end 0/0", "open 1/0 from 0", "object 1/0/0", "object 1/0/1", "end 1/0");
            assertThat(again.calls).as("re-subscribed viewer").isEqualTo(late.calls);
            assertThat(stays.objects).as("the ended subscription gets nothing more").hasSize(20);

            final Callbacks.Sub afterwards = new Callbacks.Sub();
            h.session("later").subscribe(1, TRACK, LATEST, new RecordingWriter(), afterwards);
            assertThat(afterwards.largest).as("largest of the new epoch").isEqualTo(new Location(1, 1));
        }
    }

    @Test
    void announcedTrackAnsweredByANewPublisherSessionStartsAtItsGroupZero()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher oldPub = new FakePublisher();
            final Session oldSession = h.announce(oldPub, "live");
            final RecordingWriter first = new RecordingWriter();
            final Session viewer = h.session("viewer");
            viewer.subscribe(1, TRACK, LATEST, first, new Callbacks.Sub());
            sendGroups(h, oldPub.last().ingest(), 0, 5);
            h.poll();
            oldSession.close();
            h.poll();
            assertThat(first.doneStatus).isEqualTo(PublishDoneStatus.TRACK_ENDED);

            final FakePublisher newPub = new FakePublisher();
            h.announce(newPub, "live");
            final RecordingWriter again = new RecordingWriter();
            final Callbacks.Sub ok = new Callbacks.Sub();
            viewer.subscribe(2, TRACK, LATEST, again, ok);
            assertThat(ok.okCalled).isTrue();
            assertThat(ok.largest).isNull();
            sendGroups(h, newPub.last().ingest(), 0, 0);
            h.poll();
            assertThat(again.calls).containsExactly("open 0/0 from 0", "object 0/0/0", "object 0/0/1", "end 0/0");

            final Callbacks.Fetch fetch = new Callbacks.Fetch();
            viewer.fetch(3, FetchRequest.standalone(TRACK, new Location(3, 0), new Location(5, 0)),
                new RecordingFetchWriter(), fetch);
            assertThat(fetch.error).as("the old epoch's groups are not served").isEqualTo(
                RequestErrorCode.INVALID_RANGE);
        }
    }

    @Test
    void endedSubscriptionNeverGetsTheNextEpochsObjects()
    {
        try (Harness h = Harness.small())
        {
            final Session oldPub = h.session("old");
            final UpstreamSubscription oldUp = publish(oldPub, null);
            final RecordingWriter w = new RecordingWriter();
            h.session("viewer").subscribe(1, TRACK, SubscribeOptions.of(SubscriptionFilter.absoluteStart(
                Location.ZERO)), w, new Callbacks.Sub());
            sendGroups(h, oldUp.ingest(), 0, 1);
            h.poll();
            oldPub.close();
            // The new publisher's objects arrive before the egress loop has taken in the old subscription's end.
            final UpstreamSubscription newUp = publish(h.session("new"), null);
            sendGroups(h, newUp.ingest(), 0, 0);
            h.poll();
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0", "object 0/0/1", "end 0/0",
                "open 1/0 from 0", "object 1/0/0", "object 1/0/1", "end 1/0", "done TRACK_ENDED");
        }
    }

    @Test
    void secondPublisherWhileTheFirstIsThereContinuesTheTrack()
    {
        try (Harness h = Harness.small())
        {
            final Session firstPub = h.session("first");
            final UpstreamSubscription first = publish(firstPub, null);
            final RecordingWriter w = new RecordingWriter();
            h.session("viewer").subscribe(1, TRACK, LATEST, w, new Callbacks.Sub());
            sendGroups(h, first.ingest(), 0, 2);
            // Switchover: the publisher's new session publishes the track and continues its group IDs.
            final UpstreamSubscription second = publish(h.session("second"), new Location(2, 1));
            sendGroups(h, second.ingest(), 3, 3);
            firstPub.close();
            sendGroups(h, second.ingest(), 4, 4);
            h.poll();
            assertThat(w.doneStatus).as("subscription continues").isNull();
            assertThat(w.objects).hasSize(10);
            final Callbacks.Sub late = new Callbacks.Sub();
            h.session("late").subscribe(1, TRACK, LATEST, new RecordingWriter(), late);
            assertThat(late.largest).isEqualTo(new Location(4, 1));
        }
    }

    @Test
    void publisherReplacedWhileTheRelayWasNotSubscribedStartsAnEpochUnlessItContinuesTheTrack()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher oldPub = new FakePublisher();
            final Session oldSession = h.announce(oldPub, "live");
            final Session viewer = h.session("viewer");
            viewer.subscribe(1, TRACK, LATEST, new RecordingWriter(), new Callbacks.Sub());
            sendGroups(h, oldPub.last().ingest(), 0, 5);
            viewer.cancel(1); // the relay unsubscribes upstream; the cache stays
            h.poll();
            oldSession.close(); // no subscription of the relay's ends: nothing tells the track its publisher went

            final FakePublisher continues = new FakePublisher();
            continues.largest = new Location(5, 1);
            final Session second = h.announce(continues, "live");
            final Callbacks.Sub kept = new Callbacks.Sub();
            viewer.subscribe(2, TRACK, LATEST, new RecordingWriter(), kept);
            assertThat(kept.largest).as("a publisher at the cache's largest continues it").isEqualTo(
                new Location(5, 1));
            viewer.cancel(2);
            h.poll();
            second.close();

            final FakePublisher restarted = new FakePublisher(); // no Largest Location: it published nothing yet
            h.announce(restarted, "live");
            final RecordingWriter w = new RecordingWriter();
            final Callbacks.Sub ok = new Callbacks.Sub();
            viewer.subscribe(3, TRACK, LATEST, w, ok);
            assertThat(ok.largest).isNull();
            sendGroups(h, restarted.last().ingest(), 0, 0);
            h.poll();
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0", "object 0/0/1", "end 0/0");
        }
    }

    /**
     * A restart beside a lingering session (docs/engine.md "Track epochs"): the first track the new session establishes
     * takes the whole broadcast (the old session's other tracks of the namespace end too, even one the new session does
     * not publish), and the namespace's subscribers hear it withdrawn and published again, once, before the
     * PUBLISH_DONEs; the new session hears nothing.
     */
    @Test
    void restartTakesTheWholeBroadcastAndFlapsItsNamespaceOnce()
    {
        try (Harness h = Harness.small())
        {
            final FullTrackName video = FullTrackName.of("video", "call", "bob");
            final FullTrackName audio = FullTrackName.of("audio", "call", "bob");
            final FakePublisher oldPub = new FakePublisher();
            h.announce(oldPub, "call", "bob");
            final Session watcher = h.session("watcher");
            final Callbacks.Namespaces heard = new Callbacks.Namespaces();
            watcher.subscribeNamespace(9, TrackNamespace.of("call"), heard, new Callbacks.Req());
            final RecordingWriter videoSub = new RecordingWriter();
            final RecordingWriter audioSub = new RecordingWriter();
            watcher.subscribe(1, video, LATEST, videoSub, new Callbacks.Sub());
            watcher.subscribe(2, audio, LATEST, audioSub, new Callbacks.Sub());
            sendGroups(h, of(oldPub, video).ingest(), 0, 3);
            sendGroups(h, of(oldPub, audio).ingest(), 0, 3);
            h.poll();
            assertThat(heard.events).containsExactly("+[bob]");

            // The new session answers for video (no Largest Location: it restarted) and holds its audio answer.
            final FakePublisher newPub = new FakePublisher();
            newPub.autoAccept = false;
            final Session restarted = h.session("restarted");
            final Callbacks.Namespaces ownEcho = new Callbacks.Namespaces();
            restarted.subscribeNamespace(9, TrackNamespace.of("call"), ownEcho, new Callbacks.Req());
            restarted.publishNamespace(1, TrackNamespace.of("call", "bob"), newPub, new Callbacks.Req());
            assertThat(newPub.subscribes).hasSize(2);
            of(newPub, video).accept(null, List.of());
            h.poll();
            assertThat(videoSub.doneStatus).isEqualTo(PublishDoneStatus.TRACK_ENDED);
            assertThat(heard.events).containsExactly("+[bob]", "-[bob]", "+[bob]");
            assertThat(audioSub.doneStatus).as("the whole broadcast").isEqualTo(PublishDoneStatus.TRACK_ENDED);
            assertThat(oldPub.unsubscribes).hasSize(2);

            of(newPub, audio).accept(null, List.of()); // no second flap
            h.poll();
            assertThat(heard.events).containsExactly("+[bob]", "-[bob]", "+[bob]");
            assertThat(ownEcho.events).as("the new session hears nothing new").containsExactly("+[bob]");

            // Nobody was left on the audio track when its answer came, so subscribing again asks the new session anew.
            newPub.autoAccept = true;
            final RecordingWriter again = new RecordingWriter();
            final Callbacks.Sub againOk = new Callbacks.Sub();
            watcher.subscribe(3, audio, LATEST, again, againOk);
            assertThat(newPub.last().track()).isEqualTo(audio);
            assertThat(againOk.okCalled).as("subscribed again: " + againOk.error).isTrue();
            assertThat(againOk.largest).as("the audio track's new epoch").isNull();
            sendGroups(h, newPub.last().ingest(), 0, 0);
            h.poll();
            assertThat(again.calls).containsExactly("open 0/0 from 0", "object 0/0/0", "object 0/0/1", "end 0/0");
        }
    }

    private static UpstreamSubscription of(final FakePublisher publisher, final FullTrackName track)
    {
        return publisher.subscribes.stream().filter(u -> u.track().equals(track)).findFirst().orElseThrow();
    }

    /** A second session continuing the track's group IDs (a graceful switchover) ends nothing and flaps nothing. */
    @Test
    void gracefulSwitchoverKeepsTheNamespaceQuiet()
    {
        try (Harness h = Harness.small())
        {
            final FullTrackName video = FullTrackName.of("video", "call", "bob");
            final FakePublisher first = new FakePublisher();
            h.announce(first, "call", "bob");
            final Session watcher = h.session("watcher");
            final Callbacks.Namespaces heard = new Callbacks.Namespaces();
            watcher.subscribeNamespace(9, TrackNamespace.of("call"), heard, new Callbacks.Req());
            final RecordingWriter sub = new RecordingWriter();
            watcher.subscribe(1, video, LATEST, sub, new Callbacks.Sub());
            sendGroups(h, first.last().ingest(), 0, 3);
            final FakePublisher second = new FakePublisher();
            second.largest = new Location(3, 1);
            h.announce(second, "call", "bob");
            sendGroups(h, second.last().ingest(), 4, 4);
            h.poll();
            assertThat(sub.doneStatus).isNull();
            assertThat(sub.objects).hasSize(10);
            assertThat(heard.events).containsExactly("+[bob]");
        }
    }
}
