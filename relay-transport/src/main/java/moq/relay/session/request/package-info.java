/**
 * One state machine per request kind, shared by every draft: the peer's requests ({@link
 * moq.relay.session.request.DownstreamSubscribe}, {@link moq.relay.session.request.DownstreamFetch}, {@link
 * moq.relay.session.request.TrackStatusRequest}, {@link moq.relay.session.request.NamespaceRequest}), a track the
 * relay offers with PUBLISH ({@link moq.relay.session.request.OfferedTrack}) and a track the peer sends the relay
 * ({@link moq.relay.session.request.UpstreamTrack}). A machine talks to the engine and decides what to answer; the
 * draft says how, through its {@link moq.relay.session.request.Replies} and its {@code UpstreamTrack} subclass. Each
 * runs on its session's event loop ({@link moq.relay.session.request.RequestContext}).
 *
 * <p>Each role of a request has one machine that the relay's sessions and the client ({@code moq.relay.client}) both
 * run, so a protocol fix lands once: {@link moq.relay.session.request.SubscriberSide} (the subscriber of a
 * subscription), {@link moq.relay.session.request.PublisherSide} (its publisher: the peer's SUBSCRIBE, a PUBLISH of
 * ours), {@link moq.relay.session.request.RequesterSide} (the sender of a FETCH or a PUBLISH_NAMESPACE) and {@link
 * moq.relay.session.request.ResponderSide} (the side that answers a request and serves it: the relay's answered
 * requests, the client's answer to a FETCH).
 */
package moq.relay.session.request;
