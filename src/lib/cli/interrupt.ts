/**
 * An AbortSignal that Ctrl-C (SIGINT) or SIGTERM aborts, so a long-running command stops
 * cleanly (commits what it has, deletes scratch topics, prints its summary) instead of dying.
 * `dispose()` gives the signals back to Node's default handling.
 */
export function interruptible(): { signal: AbortSignal; stop: () => void; dispose: () => void } {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: abort.signal,
    stop,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
