/** Name look-ups httpd makes at startup, through the system's resolver (node:dns, loaded on first use). */

/** The host name the resolver gives an IP address (apr_getnameinfo), or undefined when it has none. */
export async function reverseDns(ip: string): Promise<string | undefined> {
  try {
    const { hostname } = await process.getBuiltinModule('node:dns').promises.lookupService(ip, 0);
    return hostname && hostname !== ip ? hostname : undefined;
  } catch {
    return undefined;
  }
}
