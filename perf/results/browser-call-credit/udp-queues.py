# udp-queues.py SAMPLES PORT: from udp-sample.sh output, how often and how full the relay socket (local PORT) and
# the sockets towards it had unread bytes (rx_queue: skb memory, so bytes above the payload)
import sys, collections, statistics
path, port = sys.argv[1], int(sys.argv[2])
hexport = '%04X' % port
relay=[]; peers=collections.defaultdict(list); samples=set()
for line in open(path):
    parts=line.split()
    if len(parts)!=5 or not parts[0].isdigit() or ':' not in parts[3] or parts[3].startswith('tx'): continue
    t, local, remote, q, drops = parts
    tx, rx = (int(x,16) for x in q.split(':'))
    samples.add(t)
    if local.endswith(':'+hexport): relay.append(rx)
    elif remote.endswith(':'+hexport): peers[local].append((rx, tx))
n=len(samples)
print('samples with any queue', n, 'relay socket non-empty in', len(relay), 'median rx', statistics.median(relay) if relay else 0, 'max', max(relay, default=0))
allrx=[rx for v in peers.values() for rx,tx in v]
print('browser/tap sockets towards the relay:', len(peers), 'non-empty samples', len(allrx), 'median rx', statistics.median(allrx) if allrx else 0, 'max rx', max(allrx, default=0), 'max tx', max((tx for v in peers.values() for rx,tx in v), default=0))
