// Text output: the table of absolute figures and the ratio lines.

const fmt = {
  int: (v) => (v === null || v === undefined ? '-' : Math.round(v).toLocaleString('en-US')),
  ms: (v) => (v === null || v === undefined ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(1)),
  mib: (v) => (v === null || v === undefined ? '-' : (v / 1024).toFixed(1)),
  ratio: (v) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : `${v.toFixed(2)}x`),
};

function pad(cells, widths) {
  return cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
}

export function renderTable(runs) {
  const head = ['proxy', 'size', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MiB', 'CPU ms/1k req', 'errors'];
  const rows = [];
  const notes = [];
  for (const r of runs) {
    if (r.error) {
      rows.push([r.proxy, r.size, 'n/a', '', '', '', '', '']);
      notes.push(`${r.proxy} (${r.size}): ${r.error}`);
      continue;
    }
    rows.push([
      r.proxy,
      r.size,
      fmt.int(r.reqPerSec),
      fmt.ms(r.p50Ms),
      fmt.ms(r.p99Ms),
      r.memory ? fmt.mib(r.memory.peakRssKiB) : '-',
      fmt.ms(r.cpuMsPer1kReq),
      fmt.int(r.errors),
    ]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const lines = [pad(head, widths), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((row) => pad(row, widths))];
  if (notes.length > 0) lines.push('', 'missing rows:', ...notes.map((n) => `  ${n}`));
  return lines.join('\n');
}

export function renderRatios(ratios) {
  const lines = ['ratios (req/s: higher is better for featherd; latency, RSS, CPU: lower is better)'];
  if (ratios.length === 0) lines.push('  none: they need featherd and apache or http-proxy in --proxies');
  for (const r of ratios) {
    if (r.error) {
      lines.push(`  ${r.size.padEnd(5)} ${r.pair.padEnd(22)} n/a: ${r.error}`);
      continue;
    }
    lines.push(
      `  ${r.size.padEnd(5)} ${r.pair.padEnd(22)} req/s ${fmt.ratio(r.reqPerSec)}  p50 ${fmt.ratio(r.p50)}  p99 ${fmt.ratio(r.p99)}  RSS ${fmt.ratio(r.rss)}  CPU/req ${fmt.ratio(r.cpuPerReq)}`,
    );
  }
  return lines.join('\n');
}
