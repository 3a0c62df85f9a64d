package moq.relay.engine;

import moq.relay.fanout.PublishDoneStatus;
import moq.relay.fanout.StreamResetCode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.fanout.ObjectWriter;

/** When tracks compete for a congested subscriber: subscriber priority, then publisher priority, then group order. */
class PriorityTest
{
    /** Writers of one connection: shared writability and one output order. */
    static final class Connection
    {
        final List<String> order = new ArrayList<>();
        boolean writable = true;

        ObjectWriter writer(final String name)
        {
            return new ObjectWriter()
            {
                @Override
                public boolean isWritable()
                {
                    return writable;
                }

                @Override
                public void openSubgroup(final long group, final long subgroup, final long first, final int priority)
                {
                }

                @Override
                public void writeObject(
                    final long group, final long subgroup, final long objectId, final int priority, final int status,
                    final DirectBuffer buffer, final int po, final int pl, final int payloadOffset, final int len)
                {
                    order.add(name + " " + group + "/" + objectId);
                }

                @Override
                public void endSubgroup(final long group, final long subgroup)
                {
                }

                @Override
                public void resetSubgroup(final long group, final long subgroup, final StreamResetCode code)
                {
                }

                @Override
                public void publishDone(final PublishDoneStatus status, final String reason)
                {
                }
            };
        }
    }

    private static UpstreamSubscription publish(final Harness h, final FullTrackName t)
    {
        return h.session("pub-" + t).publish(1, t, List.of(), null, new FakePublisher(), new Callbacks.Req());
    }

    private static void send(final UpstreamSubscription up, final long g, final long o, final int priority)
    {
        up.ingest().object(0, g, 0, o, priority, 0, null, 0, 0, new UnsafeBuffer(new byte[8]), 0, 8);
    }

    @Test
    void subscriberPriorityWinsThenPublisherPriority()
    {
        try (Harness h = Harness.small())
        {
            final FullTrackName audio = FullTrackName.of("audio", "m");
            final FullTrackName video = FullTrackName.of("video", "m");
            final FullTrackName slides = FullTrackName.of("slides", "m");
            final UpstreamSubscription a = publish(h, audio);
            final UpstreamSubscription v = publish(h, video);
            final UpstreamSubscription s = publish(h, slides);
            final Connection c = new Connection();
            final Session sub = h.session("viewer");
            sub.subscribe(1, video, SubscribeOptions.of(null).withPriority(100), c.writer("video"), new Callbacks.Sub());
            sub.subscribe(2, audio, SubscribeOptions.of(null).withPriority(10), c.writer("audio"), new Callbacks.Sub());
            sub.subscribe(3, slides, SubscribeOptions.of(null).withPriority(100), c.writer("slides"),
                new Callbacks.Sub());
            c.writable = false;
            send(v, 0, 0, 50);
            send(s, 0, 0, 200);
            send(a, 0, 0, 128);
            send(v, 0, 1, 50);
            send(a, 0, 1, 128);
            h.poll();
            assertThat(c.order).isEmpty();
            c.writable = true;
            h.poll();
            assertThat(c.order).containsExactly("audio 0/0", "audio 0/1", "video 0/0", "video 0/1", "slides 0/0");
        }
    }

    @Test
    void uncongestedSubscribersGetObjectsInArrivalOrder()
    {
        try (Harness h = Harness.small())
        {
            final FullTrackName audio = FullTrackName.of("audio", "m");
            final FullTrackName video = FullTrackName.of("video", "m");
            final UpstreamSubscription a = publish(h, audio);
            final UpstreamSubscription v = publish(h, video);
            final Connection c = new Connection();
            final Session sub = h.session("viewer");
            sub.subscribe(1, video, SubscribeOptions.of(null).withPriority(100), c.writer("video"), new Callbacks.Sub());
            sub.subscribe(2, audio, SubscribeOptions.of(null).withPriority(10), c.writer("audio"), new Callbacks.Sub());
            h.poll();
            send(v, 0, 0, 50);
            send(a, 0, 0, 128);
            h.poll();
            assertThat(c.order).containsExactly("video 0/0", "audio 0/0");
        }
    }
}
