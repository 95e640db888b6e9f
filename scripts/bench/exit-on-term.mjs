// Preloaded into featherd under --cpu-prof: node writes the profile only on a normal exit, so
// SIGTERM ends the process with process.exit() (after featherd's own handlers, if any, ran).
process.on('SIGTERM', () => setTimeout(() => process.exit(0), 200));
