import { walkText } from '../authz_core/testing.js';
import { defaultRegistry } from '../index.js';

const MODS = ['http2_module'];

describe('mod_http2', () => {
  test('declared as ignored, with httpd checks', () => {
    for (const { entry } of defaultRegistry().lookup('h2upgrade')) expect(entry.support).toBe('ignored');
    expect(walkText('H2Upgrade maybe', MODS).error).toBe('value must be On or Off');
    expect(walkText('H2MaxSessionStreams 0', MODS).error).toBe('value must be > 0');
    expect(walkText('H2WindowSize 10', MODS).error).toBe('value must be >= 1024');
    expect(walkText('H2EarlyHint a', MODS).error).toBe("H2EarlyHint takes two arguments, add a a 'Link:' header for a 103 Early Hints response.");
    expect(walkText('<Location />\nH2WebSockets on\n</Location>', MODS).error).toBe('H2WebSockets not allowed in <Location> context');
    expect(walkText('<Location />\nH2Push off\nH2ProxyRequests on\n</Location>', MODS).error).toBeUndefined();
  });
});
