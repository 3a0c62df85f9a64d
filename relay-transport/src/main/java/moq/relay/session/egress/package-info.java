/**
 * Objects out of the engine to a subscriber: the fan-out's writer calls become subgroup streams ({@link
 * moq.relay.session.egress.SubgroupStreamWriter}, each object one {@link moq.relay.session.egress.ObjectView}: its
 * header and a zero-copy view of its payload in the track's log) and fetch streams ({@link
 * moq.relay.session.egress.FetchStreamWriter}). Called on the subscriber session's egress loop.
 */
package moq.relay.session.egress;
