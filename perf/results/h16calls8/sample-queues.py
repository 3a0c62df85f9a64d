#!/usr/bin/env python3
"""Every 0.25 s: UDP receive queues (relay socket vs generator sockets), CPU of relay and generator, relay metrics."""
import os, re, subprocess, sys, time, urllib.request
out = open(sys.argv[1], 'w')
HZ = os.sysconf('SC_CLK_TCK')
def find(pattern):
    for pid in os.listdir('/proc'):
        if not pid.isdigit(): continue
        try: cmd = open(f'/proc/{pid}/cmdline','rb').read().replace(b'\0',b' ').decode()
        except Exception: continue
        if re.search(pattern, cmd) and 'python' not in cmd: return int(pid), cmd
    return None, None
def cpu(pid):
    try:
        f = open(f'/proc/{pid}/stat').read().rsplit(')',1)[1].split()
        return (int(f[11]) + int(f[12])) / HZ
    except Exception: return float('nan')
last = {}
t0 = time.time()
while True:
    rpid, rcmd = find(r'/tmp/h16c8/jars/moq-relay[^ ]*\.jar serve')
    gpid, _ = find(r'/tmp/h16c8/jars/moq-load[^ ]*\.jar scenario')
    if gpid is None: break
    line = f'{time.time()-t0:7.2f}'
    if rpid:
        port = re.search(r'moq.relay.port=(\d+)', rcmd).group(1)
        admin = re.search(r'moq.relay.admin.port=(\d+)', rcmd).group(1)
        ss = subprocess.run(['ss','-uanpH'], capture_output=True, text=True).stdout.splitlines()
        rq_relay = 0; gen = []
        for l in ss:
            p = l.split()
            if len(p) < 5: continue
            rq = int(p[1]); local = p[3]; peer = p[4]
            if local.endswith(':'+port): rq_relay += rq
            elif f'pid={gpid},' in l: gen.append(rq)
        line += f' relayRecvQ={rq_relay} genRecvQ sum={sum(gen)} max={max(gen) if gen else 0} n={len(gen)}'
        try:
            m = urllib.request.urlopen(f'http://127.0.0.1:{admin}/metrics', timeout=0.5).read().decode()
            def g(name):
                mm = re.search(r'^'+name+r'(\{[^}]*\})? ([0-9.eE+-]+)', m, re.M)
                return float(mm.group(2)) if mm else float('nan')
            line += ' rx=%d tx=%d ringLag=%d backlogS=%d tooLate=%d tooFar=%d skipSg=%d inTransport=%s' % (g('moq_relay_objects_received_total'), g('moq_relay_objects_sent_total'), g('moq_relay_egress_ring_lag'), g('moq_relay_egress_backlog_sessions'), g('moq_relay_subscribers_too_late_total'), g('moq_relay_subscribers_too_far_behind_total'), g('moq_relay_subgroups_skipped_total'), g('moq_relay_egress_objects_in_transport'))
        except Exception as e:
            line += ' metrics=?'
        for name, pid in (('relayCpu', rpid), ('genCpu', gpid)):
            c = cpu(pid); now = time.time()
            if (name, pid) in last:
                pc, pt = last[(name, pid)]
                line += f' {name}={(c-pc)/(now-pt):.2f}'
            last[(name, pid)] = (c, now)
        la = open('/proc/loadavg').read().split()[0]
        line += f' load={la}'
    out.write(line + '\n'); out.flush()
    time.sleep(0.25)
