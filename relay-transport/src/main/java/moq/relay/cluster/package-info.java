/**
 * Relays that forward to each other (docs/cluster.md): {@link moq.relay.cluster.Cluster} mirrors the cluster's
 * namespace origins into the engine as namespaces published by {@link moq.relay.cluster.PeerPublisher}s, which
 * subscribe at the origin relay over raw QUIC draft 18 with the project's own client (one session per peer relay);
 * {@link moq.relay.cluster.RedisOriginDirectory} finds the origins, static upstreams are fallback publishers.
 */
package moq.relay.cluster;
