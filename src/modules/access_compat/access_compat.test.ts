import { walkText } from '../authz_core/testing.js';
import { accessCompatConfig } from './module.js';
import { orderFor, satisfyFor } from './config.js';
import { ipInSubnet } from '../authz_host/ipsubnet.js';

const MODS = ['access_compat_module', 'authz_core_module', 'authz_host_module'];
const err = (body: string) => walkText(`<Location />\n${body}\n</Location>`, MODS).error;

describe('mod_access_compat', () => {
  test.each([
    ['Order allow', 'unknown order'],
    ['Deny to 10.1/8', "allow and deny must be followed by 'from'"],
    ['Allow from', "allow requires at least two arguments, 'from' followed by hostnames or IP-address wildcards"],
    ['Allow from #x', 'No comments are allowed here'],
    ['Allow from a#b', 'No comments are allowed here'],
    ['Allow from 10.0.0.1/33', 'The specified network mask is invalid.'],
    ['Deny from 10.1/8', 'The specified IP address is invalid.'],
    ['Deny from foo/8', 'An IP address was expected'],
    ['Satisfy bogus', "Satisfy either 'any' or 'all'."],
  ])('%s', (body, message) => expect(err(body)).toBe(message));

  test('Order is not allowed at server level', () => {
    expect(walkText('<VirtualHost *:80>\nOrder allow,deny\n</VirtualHost>', MODS).error).toBe('order not allowed in <VirtualHost> context');
  });

  test('records rules with their method limits', () => {
    const { error, sections } = walkText(
      [
        '<Location />',
        'Order Deny,Allow',
        'Deny from all',
        'Allow from 10.0.0.0/8 example.org env=!NOPE',
        '<Limit POST>',
        'Order Allow,Deny',
        'Satisfy Any',
        '</Limit>',
        '</Location>',
      ].join('\n'),
      MODS,
    );
    expect(error).toBeUndefined();
    const conf = accessCompatConfig(sections[0].dirConfigs);
    expect(conf).toBeDefined();
    if (!conf) return;
    expect(conf.denys).toEqual([{ type: 'all' }]);
    expect(conf.allows.map((r) => r.type)).toEqual(['ip', 'host', 'env']);
    const ip = conf.allows[0];
    expect(ip.type === 'ip' && ipInSubnet(ip.subnet, '10.2.3.4')).toBe(true);
    expect(ip.type === 'ip' && ipInSubnet(ip.subnet, '::ffff:10.2.3.4')).toBe(true);
    expect(ip.type === 'ip' && ipInSubnet(ip.subnet, '11.0.0.1')).toBe(false);
    expect(conf.allows[2]).toEqual({ type: 'env', name: 'NOPE', negate: true });
    expect(orderFor(conf, 'GET')).toBe('deny,allow');
    expect(orderFor(conf, 'POST')).toBe('allow,deny');
    expect(satisfyFor(conf, 'GET')).toBe('all');
    expect(satisfyFor(conf, 'POST')).toBe('any');
  });
});
