import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { walkText } from '../authz_core/testing.js';
import { ipInSubnet } from '../authz_host/ipsubnet.js';
import { remoteipConfig } from './module.js';

const MODS = ['remoteip_module'];

describe('mod_remoteip', () => {
  test('errors as httpd', () => {
    expect(walkText('RemoteIPInternalProxy 10.0.0.0/33', MODS).error).toBe(
      'RemoteIP: Error parsing IP 10.0.0.0/33 (The specified network mask is invalid. error) for RemoteIPInternalProxy',
    );
    expect(walkText('RemoteIPTrustedProxy 1.2.3.4/x', MODS).error).toBe(
      'RemoteIP: Error parsing IP 1.2.3.4/x (The specified network mask is invalid. error) for RemoteIPTrustedProxy',
    );
    expect(walkText('RemoteIPTrustedProxy foo.invalid', MODS).error).toBe(
      'RemoteIP: Error parsing IP foo.invalid (Name or service not known error) for RemoteIPTrustedProxy',
    );
    expect(walkText('RemoteIPProxyProtocolExceptions foo', MODS).error).toBe("ip address 'foo' appears to be invalid");
    expect(walkText('RemoteIPHeader', MODS).error).toBe(
      'RemoteIPHeader takes one argument, Specifies a request header to trust as the client IP, e.g. X-Forwarded-For',
    );
    expect(walkText('RemoteIPTrustedProxyList /nonexist', MODS).error).toBe(
      'RemoteIPTrustedProxyList: Could not open file /nonexist: No such file or directory',
    );
    expect(walkText('<Location />\nRemoteIPHeader X\n</Location>', MODS).error).toBe('RemoteIPHeader not allowed in <Location> context');
  });

  test('proxy lists and records', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'featherd-rip-'));
    fs.writeFileSync(path.join(dir, 'list.txt'), '10.0.0.0/8 # lan\n\n192.168.1.1\nbad/99\n');
    expect(walkText('RemoteIPTrustedProxyList list.txt', MODS, dir).error).toBe(
      `RemoteIP: Error parsing IP bad/99 the subnet /99 is invalid for RemoteIPTrustedProxyList at line 4 of ${dir}/list.txt`,
    );
    fs.writeFileSync(path.join(dir, 'list.txt'), '10.0.0.0/8 # lan\n192.168.1.1\n');
    const { error, state } = walkText(
      'RemoteIPHeader X-Forwarded-For\nRemoteIPProxiesHeader X-Forwarded-By\nRemoteIPInternalProxy 127.0.0.1 ::1\nRemoteIPTrustedProxyList list.txt\nRemoteIPProxyProtocol On',
      MODS,
      dir,
    );
    expect(error).toBeUndefined();
    const conf = remoteipConfig(state.mainServer.configs);
    expect(conf?.header).toBe('X-Forwarded-For');
    expect(conf?.proxiesHeader).toBe('X-Forwarded-By');
    expect(conf?.proxyProtocol).toBe(true);
    expect(conf?.proxies?.map((p) => [p.subnet.text, p.internal])).toEqual([
      ['127.0.0.1', true],
      ['::1', true],
      ['10.0.0.0/8', false],
      ['192.168.1.1', false],
    ]);
    expect(ipInSubnet(conf!.proxies![2].subnet, '10.9.8.7')).toBe(true);
  });
});
