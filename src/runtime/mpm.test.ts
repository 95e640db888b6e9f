import { mpmSettings } from './mpm.js';

const EVENT = ['core_module', 'mpm_event_module'];

describe('mpmSettings (event.c / worker.c / prefork.c check_config)', () => {
  test('event defaults: 25 threads per process, 3 processes started, at most 16', () => {
    expect(mpmSettings({}, EVENT)).toEqual({ name: 'event', maxThreads: 25, startServers: 3, daemonsLimit: 16 });
  });
  test('ThreadsPerChild is kept within ThreadLimit and at least 1', () => {
    expect(mpmSettings({ mpm: { ThreadsPerChild: '64' } }, EVENT).maxThreads).toBe(64);
    expect(mpmSettings({ mpm: { ThreadsPerChild: '200' } }, EVENT).maxThreads).toBe(64);
    expect(mpmSettings({ mpm: { ThreadsPerChild: '200', ThreadLimit: '300' } }, EVENT).maxThreads).toBe(200);
    expect(mpmSettings({ mpm: { ThreadsPerChild: '0' } }, EVENT).maxThreads).toBe(1);
    // atoi: leading digits count, anything else is 0.
    expect(mpmSettings({ mpm: { ThreadsPerChild: '12abc' } }, EVENT).maxThreads).toBe(12);
    expect(mpmSettings({ mpm: { ThreadsPerChild: 'many' } }, EVENT).maxThreads).toBe(1);
  });
  test('processes: MaxRequestWorkers / ThreadsPerChild within ServerLimit; StartServers within that', () => {
    const s = mpmSettings({ mpm: { ThreadsPerChild: '64', MaxRequestWorkers: '128', StartServers: '2', ServerLimit: '2' } }, EVENT);
    expect(s).toEqual({ name: 'event', maxThreads: 64, startServers: 2, daemonsLimit: 2 });
    expect(mpmSettings({ mpm: { MaxRequestWorkers: '1000', ServerLimit: '4', StartServers: '10' } }, EVENT).startServers).toBe(4);
    expect(mpmSettings({ mpm: { MaxClients: '50' } }, EVENT).daemonsLimit).toBe(2);
    expect(mpmSettings({ mpm: { StartServers: '-3' } }, EVENT).startServers).toBe(1);
  });
  test('prefork: one request per process', () => {
    expect(mpmSettings({}, ['mpm_prefork_module'])).toEqual({ name: 'prefork', maxThreads: 1, startServers: 5, daemonsLimit: 256 });
  });
});
