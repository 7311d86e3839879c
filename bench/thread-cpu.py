#!/usr/bin/env python3
"""Where a running JVM's CPU goes, per group of threads, from the kernel's own counters.

  bench/thread-cpu.py record PID FILE [SECONDS]   every SECONDS (default 2) until PID ends, append one line of JSON
                                                  to FILE: each thread's name, user and system time (/proc/PID/task/
                                                  */stat, clock ticks); names from `jcmd PID Thread.print`, asked
                                                  again only when new threads appear
  bench/thread-cpu.py report FILE FROM TO [N]     the CPU between the first reading at or after FROM and the last at
                                                  or before TO (HH:MM:SS), per group of threads (numbers in names
                                                  folded: "vert.x-worker-thread-7" counts as "vert.x-worker-thread"),
                                                  user and system; with N (webhooks answered in that time), per webhook

Unlike a sampling profiler, this sees all of the process's CPU: the kernel's work for its sockets (system time), the
JIT compiler's threads and the garbage collector's. A thread that ends between two readings takes its time with it.
Used in bench/README.md, "Issue 14, session 18"; bench/run.sh prints the hub's PID once it is UP.
"""
import collections
import json
import os
import re
import subprocess
import sys
import time

TICKS = os.sysconf('SC_CLK_TCK')


def thread_names(pid):
    out = subprocess.run(['jcmd', str(pid), 'Thread.print'], capture_output=True, text=True).stdout
    names = {}
    for line in out.splitlines():
        m = re.match(r'^"(.*?)".* nid=(0x[0-9a-f]+|\d+)', line)
        if m:
            nid = m.group(2)
            names[int(nid, 16) if nid.startswith('0x') else int(nid)] = m.group(1)
    return names


def record(pid, path, interval):
    names = {}
    with open(path, 'a') as out:
        while os.path.exists('/proc/%d' % pid):
            try:
                tids = os.listdir('/proc/%d/task' % pid)
            except FileNotFoundError:
                break
            if any(int(t) not in names for t in tids):
                names.update(thread_names(pid))
            threads = {}
            for tid in tids:
                try:
                    stat = open('/proc/%d/task/%s/stat' % (pid, tid)).read()
                except OSError:
                    continue  # ended between the listing and the reading
                comm = stat[stat.index('(') + 1:stat.rindex(')')]
                fields = stat[stat.rindex(')') + 2:].split()
                threads[tid] = [names.get(int(tid), comm), int(fields[11]), int(fields[12])]
            out.write(json.dumps({'t': time.strftime('%H:%M:%S'), 'threads': threads}) + '\n')
            out.flush()
            time.sleep(interval)


def group(name):
    return re.sub(r'\d+', 'N', name)


def report(path, start, end, webhooks):
    readings = [json.loads(line) for line in open(path)]
    first = next(r for r in readings if r['t'] >= start)
    last = [r for r in readings if r['t'] <= end][-1]
    totals = collections.defaultdict(lambda: [0, 0])
    for tid, (name, user, system) in last['threads'].items():
        user0, system0 = first['threads'].get(tid, [name, 0, 0])[1:]
        totals[group(name)][0] += user - user0
        totals[group(name)][1] += system - system0
    user = sum(t[0] for t in totals.values())
    system = sum(t[1] for t in totals.values())
    per = (lambda ticks: ' %8.3f ms/webhook' % (ticks / TICKS / webhooks * 1000)) if webhooks else (lambda ticks: '')
    print('%s to %s: user %.2f s, system %.2f s%s' % (first['t'], last['t'], user / TICKS, system / TICKS, per(user + system)))
    for name, (u, s) in sorted(totals.items(), key=lambda kv: -sum(kv[1])):
        if u + s:
            print('%8.2f s user %7.2f s system %5.1f %%%s  %s' % (u / TICKS, s / TICKS, 100.0 * (u + s) / max(1, user + system),
                                                              per(u + s), name))


if __name__ == '__main__':
    if len(sys.argv) >= 4 and sys.argv[1] == 'record':
        record(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]) if len(sys.argv) > 4 else 2.0)
    elif len(sys.argv) >= 5 and sys.argv[1] == 'report':
        report(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]) if len(sys.argv) > 5 else 0)
    else:
        sys.exit(__doc__)
