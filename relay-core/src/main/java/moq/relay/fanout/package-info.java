/**
 * Fan-out: the Disruptor ring's {@link moq.relay.fanout.ObjectEvent}s, the {@link moq.relay.fanout.EgressLoop} each
 * egress thread polls, per-subscriber cursors ({@link moq.relay.fanout.SubscriptionDelivery},
 * {@link moq.relay.fanout.FetchDelivery}) with the bounded-backlog policy and priority-ordered draining, and the
 * writer interfaces the transport implements ({@link moq.relay.fanout.ObjectWriter},
 * {@link moq.relay.fanout.FetchWriter}), with the codes those calls carry ({@link moq.relay.fanout.PublishDoneStatus},
 * {@link moq.relay.fanout.StreamResetCode}). Imports nothing of the engine, which builds on it.
 */
package moq.relay.fanout;
