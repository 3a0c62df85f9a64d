/**
 * A publisher's data into the engine: subgroup streams decoded incrementally ({@link
 * moq.relay.session.ingest.SubgroupIngestHandler}) and object datagrams ({@link
 * moq.relay.session.ingest.DatagramIngest}) written into the track's {@code TrackIngest}, streams that overtook their
 * track alias held ({@link moq.relay.session.ingest.AliasWaiters}), and when a PUBLISH_DONE may take effect ({@link
 * moq.relay.session.ingest.PublishDoneGate}). The per-object path: no allocation, no lock.
 */
package moq.relay.session.ingest;
