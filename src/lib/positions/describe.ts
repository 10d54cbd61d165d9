import type { Position, SinglePosition } from './parse.js';
import { formatDuration, formatTime } from './time.js';

/** A short human description for previews and help, e.g. "2026-11-20 10:00:00Z (@time)". */
export function describePosition(pos: Position, opts: { relativeTo?: 'bounds' | 'committed' } = {}): string {
  if (pos.kind !== 'map') return describeSingle(pos, opts.relativeTo ?? 'bounds');
  return pos.entries
    .map((e) => `${e.partition}: ${describeSingle(e.position, opts.relativeTo ?? 'bounds')}`)
    .join(', ');
}

function describeSingle(p: SinglePosition, relativeTo: 'bounds' | 'committed'): string {
  switch (p.kind) {
    case 'earliest':
      return 'earliest (log start)';
    case 'latest':
      return 'latest (log end)';
    case 'end':
      return 'end (log end at start-up)';
    case 'offset':
      return `offset ${p.offset}`;
    case 'shift':
      if (relativeTo === 'committed')
        return `${p.sign}${p.n} (${p.n} ${p.sign === '+' ? 'after' : 'before'} committed)`;
      return p.sign === '+' ? `+${p.n} (${p.n} after log start)` : `-${p.n} (${p.n} before log end)`;
    case 'time':
      return p.agoMs === undefined
        ? `${formatTime(p.ms)} (@time)`
        : `${formatTime(p.ms)} (${formatDuration(p.agoMs)} ago)`;
  }
}
