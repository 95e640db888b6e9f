/**
 * The lbmethods and sticky-session parsing on state records, without sockets. Expected sequences
 * are httpd's (notes/proxy-semantics.md §9.3, observed with 2.4.71; the runtime conformance
 * cases balancer-* record more of them from Apache).
 */
import { bybusyness } from '../lbmethod_bybusyness/method.js';
import { byrequests } from '../lbmethod_byrequests/method.js';
import { bytraffic } from '../lbmethod_bytraffic/method.js';
import { defineWorker } from '../proxy/worker.js';
import { parseHeartbeats } from '../lbmethod_heartbeat/method.js';
import { getCookieParam, getPathParam, findSessionRoute } from './sticky.js';
import { forceRecovery } from './select.js';
import { retryMember, statusText, type BalancerState, type MemberState } from './state.js';
import type { BalancerDef, StatusFlag } from '../proxy/config.js';

const loc = { file: 't', line: 1, column: 1 };

function balancer(spec: { lf?: number; flags?: StatusFlag[]; lbset?: number; route?: string }[]): BalancerState {
  const members: MemberState[] = spec.map((s, i) => {
    const def = defineWorker(`http://n${i + 1}:80`, false, loc, 'balancer://t');
    if (typeof def === 'string') throw new Error(def);
    return {
      name: def.name, def, status: new Set<StatusFlag>(['O', ...(s.flags ?? [])]), lbfactor: (s.lf ?? 1) * 100, lbstatus: 0, lbset: s.lbset ?? 0,
      route: s.route ?? '', redirect: '', retry: 60_000_000, errorTime: 0, retries: 0, elected: 0, busy: 0, transferred: 0, read: 0,
      hcMethod: 'NONE', hcInterval: 30_000_000, hcPasses: 1, hcFails: 1, hcUri: '', hcExpr: '', pcount: 0, fcount: 0, updated: 0,
    };
  });
  return {
    name: 'balancer://t', def: { name: 'balancer://t', members: members.map((m) => m.def) } as unknown as BalancerDef, lbmethod: 'byrequests', timeout: 0,
    maxAttempts: 0, maxAttemptsSet: false, sticky: '', stickyPath: '', stickyForce: false, stickySeparator: '.', scolonSep: false,
    forceRecovery: true, failOnStatus: [], failOnTimeout: false, nonce: '', needReset: false, growth: 0, members,
  };
}

const names = (b: BalancerState, pick: (b: BalancerState) => MemberState | undefined, n: number): string[] =>
  Array.from({ length: n }, () => pick(b)?.def.hostname ?? '-');

describe('byrequests', () => {
  it('weights 1:2:3 give n3 n2 n1 n3 n2 n3, repeated', () => {
    const b = balancer([{ lf: 1 }, { lf: 2 }, { lf: 3 }]);
    expect(names(b, byrequests.finder, 12)).toEqual(['n3', 'n2', 'n1', 'n3', 'n2', 'n3', 'n3', 'n2', 'n1', 'n3', 'n2', 'n3']);
  });
  it('uses lbset 1 only while lbset 0 has no usable member, and standbys last', () => {
    const b = balancer([{ flags: ['D'] }, { lbset: 1 }, { lbset: 1, flags: ['H'] }]);
    expect(names(b, byrequests.finder, 3)).toEqual(['n2', 'n2', 'n2']);
    b.members[1].status.add('S');
    expect(names(b, byrequests.finder, 2)).toEqual(['n3', 'n3']);
    b.members[0].status.delete('D');
    expect(names(b, byrequests.finder, 2)).toEqual(['n1', 'n1']);
  });
  it('offers a spare only for an unusable member of its lbset', () => {
    const b = balancer([{}, {}, { flags: ['R'] }]);
    expect(new Set(names(b, byrequests.finder, 6))).toEqual(new Set(['n1', 'n2']));
    b.members[0].status.add('E');
    b.members[0].errorTime = Date.now() * 1000;
    expect(new Set(names(b, byrequests.finder, 6))).toEqual(new Set(['n2', 'n3']));
  });
  it('reset clears lbstatus', () => {
    const b = balancer([{ lf: 1 }, { lf: 2 }]);
    names(b, byrequests.finder, 3);
    byrequests.reset(b);
    expect(b.members.map((m) => m.lbstatus)).toEqual([0, 0]);
  });
});

describe('bybusyness and bytraffic', () => {
  it('bybusyness prefers the member with fewer requests in flight', () => {
    const b = balancer([{}, {}, {}]);
    b.members[0].busy = 2;
    b.members[1].busy = 1;
    expect(bybusyness.finder(b)?.def.hostname).toBe('n3');
    b.members[2].busy = 3;
    expect(bybusyness.finder(b)?.def.hostname).toBe('n2');
  });
  it('bytraffic prefers the least traffic per weight; ties go to the earlier member', () => {
    const b = balancer([{ lf: 1 }, { lf: 3 }]);
    b.members[0].transferred = 100;
    b.members[1].transferred = 299;
    expect(bytraffic.finder(b)?.def.hostname).toBe('n2');
    b.members[1].read = 300;
    expect(bytraffic.finder(b)?.def.hostname).toBe('n1');
  });
});

describe('sticky sessions', () => {
  it('reads the URL parameter up to ? & (and ; with scolonpathdelim)', () => {
    expect(getPathParam('balancer://t/x;jsessionid=abc.n1;y=2', 'jsessionid', false)).toBe('abc.n1;y=2');
    expect(getPathParam('balancer://t/x;jsessionid=abc.n1;y=2', 'jsessionid', true)).toBe('abc.n1');
    expect(getPathParam('balancer://t/x?a=1&jsessionid=s.n2&b=2', 'jsessionid', false)).toBe('s.n2');
    expect(getPathParam('balancer://t/xjsessionid', 'jsessionid', false)).toBeUndefined();
  });
  it('reads the cookie at the start or after ; , or white space', () => {
    expect(getCookieParam('a=1; ROUTEID=.2', 'ROUTEID')).toBe('.2');
    expect(getCookieParam('XROUTEID=.3', 'ROUTEID')).toBeUndefined();
    expect(getCookieParam('ROUTEID = x.3,a=b', 'ROUTEID')).toBe(' x.3');
  });
  it('finds the route after the separator; redirect= and standbys', () => {
    const b = balancer([{ route: 'one', flags: ['D'] }, { route: 'two' }, { route: 'three', flags: ['H'] }]);
    b.sticky = b.stickyPath = 'S';
    b.members[0].redirect = 'two';
    expect(findSessionRoute(b, 'balancer://t/x', 'S=abc.one').member?.route).toBe('two');
    expect(findSessionRoute(b, 'balancer://t/x', 'S=abc.one').changed).toBe(true);
    expect(findSessionRoute(b, 'balancer://t/x', 'S=abc.three').member?.route).toBe('three');
    expect(findSessionRoute(b, 'balancer://t/x', 'S=abc').member).toBeUndefined();
  });
});

describe('error state', () => {
  it('retry= brings a member back; a stopped one never; forcerecovery clears all', () => {
    const b = balancer([{}, {}]);
    const [m1, m2] = b.members;
    m1.status.add('E');
    m1.errorTime = Date.now() * 1000;
    expect(retryMember(m1)).toBe(false);
    m1.retry = 0;
    m1.errorTime -= 1;
    expect(retryMember(m1)).toBe(true);
    expect(statusText(m1)).toBe('Init Ok ');
    m2.status.add('S');
    m2.status.add('E');
    expect(retryMember(m2)).toBe(false);
    m1.status.add('E');
    m1.retry = 60_000_000;
    m1.errorTime = Date.now() * 1000;
    forceRecovery(b);
    expect([...m1.status].includes('E') || [...m2.status].includes('E')).toBe(false);
    expect(statusText(m2)).toBe('Init Stop ');
  });
});

describe('heartbeat storage', () => {
  it('parses mod_heartmonitor lines', () => {
    const m = parseHeartbeats('10.0.0.1 ready=5&busy=2&lastseen=3&port=8080\n10.0.0.2 ready=8&busy=0\nbroken\n');
    expect(m.get('10.0.0.1')).toEqual({ ip: '10.0.0.1', ready: 5, busy: 2, seen: 3, port: 8080 });
    expect(m.get('10.0.0.2')?.ready).toBe(2);
    expect(m.size).toBe(2);
  });
});
