/**
 * MoqT client over raw QUIC for drafts 18 ({@code moqt-18}), 20 ({@code moqt-20}) and 14 ({@code moq-00}): the
 * library behind the {@code publish} and {@code subscribe} tools and the end-to-end tests.
 *
 * <p>Entry point: {@link moq.relay.client.MoqClient#connect}. Subscriber side: {@code subscribe}, {@code fetch},
 * {@code joiningFetch}, objects delivered as {@link moq.relay.client.ReceivedObject}. Publisher side:
 * {@code publishNamespace}, {@code track} (answers SUBSCRIBE), {@link moq.relay.client.TrackPublisher#publish()}
 * (PUBLISH), {@link moq.relay.client.SubgroupWriter} (one uni stream per subgroup and subscriber) and datagrams.
 *
 * <p>Threading: one event loop thread per client owns all session state; the public API may be called from any
 * thread (calls hop to the loop in order) and listeners run on the loop, so they must not block.
 *
 * <p>Buffer ownership: payload {@code ByteBuf}s passed to the publisher belong to it from the call on; a
 * {@code ReceivedObject}'s payload belongs to the client and is released when the listener returns.
 *
 * <p>Known limits: subscription filters and REQUEST_UPDATE are not applied on the publisher side (live delivery to
 * the subscribers present when a subgroup opens); no back-pressure signal to the application beyond QUIC flow
 * control queueing in the stream channels; objects above {@code DataStreamReader.MAX_OBJECT_LENGTH} are refused.
 */
package moq.relay.client;
