#!/usr/bin/env node
// One autocannon run, printed in the same shape as report.lua prints wrk's:
//   node autocannon-run.mjs <url> <connections> <seconds>
import autocannon from 'autocannon';

const [url, connections, seconds] = process.argv.slice(2);
const result = await autocannon({
  url,
  connections: Number(connections),
  duration: Number(seconds),
  pipelining: 1,
  timeout: 10,
});
const ms = (v) => Math.round((v ?? 0) * 1000);
const report = {
  requests: result.requests.total,
  durationUs: Math.round(result.duration * 1e6),
  bytes: result.throughput.total,
  errors: {
    connect: 0,
    read: result.errors - result.timeouts,
    write: 0,
    status: result.non2xx,
    timeout: result.timeouts,
  },
  latencyUs: {
    p50: ms(result.latency.p50),
    p90: ms(result.latency.p90),
    p99: ms(result.latency.p99),
    max: ms(result.latency.max),
    mean: ms(result.latency.mean),
  },
};
process.stdout.write(`BENCH-JSON ${JSON.stringify(report)}\n`);
