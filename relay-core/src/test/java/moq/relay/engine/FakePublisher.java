package moq.relay.engine;

import java.util.ArrayList;
import java.util.List;

import moq.relay.wire.Location;

/** A {@link Publisher} that records what the relay asks; answers automatically unless told to hold. */
final class FakePublisher implements Publisher
{
    final List<UpstreamSubscription> subscribes = new ArrayList<>();
    final List<UpstreamSubscription> unsubscribes = new ArrayList<>();
    final List<String> forwardUpdates = new ArrayList<>();
    boolean autoAccept = true;
    Location largest;
    RequestErrorCode rejectWith;

    @Override
    public void subscribe(final UpstreamSubscription subscription)
    {
        subscribes.add(subscription);
        if (rejectWith != null)
        {
            subscription.reject(rejectWith, "fake rejects");
        }
        else if (autoAccept)
        {
            subscription.accept(largest, List.of());
        }
    }

    @Override
    public void updateForward(final UpstreamSubscription subscription, final boolean forward)
    {
        forwardUpdates.add(subscription.track() + "=" + forward);
    }

    @Override
    public void unsubscribe(final UpstreamSubscription subscription)
    {
        unsubscribes.add(subscription);
    }

    UpstreamSubscription last()
    {
        return subscribes.get(subscribes.size() - 1);
    }
}
