/**
 * mod_lbmethod_heartbeat: members are weighted by the free slots (`ready`) their mod_heartbeat
 * reports, read from the heartbeat storage file as mod_heartmonitor writes it
 * (`IP ready=N&busy=N&lastseen=S&port=P`). A member not in the file, or not seen for 10 s or
 * more, is not chosen. The pick is random in proportion to `ready`, as httpd's.
 */
import fs from 'node:fs';
import { isUsable, retryMember, type MemberState } from '../proxy_balancer/state.js';
import type { LbMethod } from '../proxy_balancer/lbmethod.js';

/** LBM_HEARTBEAT_MAX_LASTSEEN */
const MAX_LASTSEEN = 10;

interface HbServer {
  ip: string;
  ready: number;
  busy: number;
  seen: number;
  port: number;
}

/**
 * Parses the storage file: one server per line, `IP query-string` (`ready=N&busy=N&lastseen=S&port=P`);
 * lines without a space are skipped. A server with no busy slot has its ready slots divided by
 * four (it has likely just started), as httpd does.
 */
export function parseHeartbeats(text: string): Map<string, HbServer> {
  const out = new Map<string, HbServer>();
  for (const line of text.split('\n')) {
    const sp = line.indexOf(' ');
    if (line.startsWith('#') || sp < 0) continue;
    const ip = line.slice(0, sp);
    const s: HbServer = { ip, ready: 0, busy: 0, seen: -1, port: 80 };
    for (const p of line.slice(sp + 1).trim().split('&')) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq);
      const n = Number.parseInt(p.slice(eq + 1), 10);
      if (!Number.isFinite(n)) continue;
      if (k === 'ready') s.ready = n;
      else if (k === 'busy') s.busy = n;
      else if (k === 'lastseen') s.seen = n;
      else if (k === 'port') s.port = n;
    }
    if (s.busy === 0 && s.ready !== 0) s.ready = Math.trunc(s.ready / 4);
    out.set(ip, s);
  }
  return out;
}

/** Where the heartbeat data is read (HeartbeatStorage, default `logs/hb.dat` under the ServerRoot). */
let storage = 'logs/hb.dat';
export function setHeartbeatStorage(path: string): void {
  storage = path;
}

export const heartbeat: LbMethod = {
  name: 'heartbeat',
  finder(b) {
    let text: string;
    try {
      text = fs.readFileSync(storage, 'utf8');
    } catch {
      return undefined;
    }
    const servers = parseHeartbeats(text);
    const up: { m: MemberState; ready: number }[] = [];
    let open = 0;
    for (const m of b.members) {
      const s = servers.get(m.def.hostname);
      if (!s) continue;
      if (!isUsable(m)) retryMember(m);
      if (isUsable(m) && s.seen < MAX_LASTSEEN) {
        open += s.ready;
        up.push({ m, ready: s.ready });
      }
    }
    if (open <= 0) return undefined;
    const pick = Math.floor(Math.random() * (open + 1));
    let c = 0;
    let chosen: MemberState | undefined;
    for (const { m, ready } of up) {
      if (pick >= c && pick <= c + ready) chosen = m;
      c += ready;
    }
    return chosen;
  },
  reset() {
    /* nothing to reset */
  },
};
