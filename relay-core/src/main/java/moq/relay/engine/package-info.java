/**
 * The relay engine's control plane and the sessions' view of it, version neutral: {@link moq.relay.engine.Relay}
 * (namespaces, tracks, routing by exact name and namespace prefix, aggregation onto one upstream subscription per
 * track and publisher, FETCH and TRACK_STATUS from the cache, discovery, lifecycle), {@link moq.relay.engine.Session}
 * (one connection), {@link moq.relay.engine.TrackIngest} (the publisher-side data path) and the callback interfaces
 * the transport implements. See {@code docs/engine.md}.
 */
package moq.relay.engine;
