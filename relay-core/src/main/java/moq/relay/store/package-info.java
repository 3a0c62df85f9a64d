/**
 * The off-heap object store: {@link moq.relay.store.SegmentPool} (bounded, pooled segments) and
 * {@link moq.relay.store.TrackLog} (one per track: every object written once, doubling as the cache of the most recent
 * groups), with the {@link moq.relay.store.LogHolder} protocol that keeps memory a reader references from being reused.
 */
package moq.relay.store;
