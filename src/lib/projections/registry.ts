import { usageError } from '../cli/errors.js';
import { notification } from './notification/index.js';
import { sourcing, sourcingLegacy } from './sourcing/index.js';
import { stateTransfer } from './state-transfer/index.js';
import type { ProjectionDef } from './types.js';

/** Every projection, by name, in the order `projection list` shows them. */
export const PROJECTIONS: readonly ProjectionDef[] = [
  sourcing as ProjectionDef,
  sourcingLegacy as ProjectionDef,
  stateTransfer as ProjectionDef,
  notification as ProjectionDef,
];

export function findProjection(name: string): ProjectionDef {
  const def = PROJECTIONS.find((p) => p.name === name);
  if (!def)
    throw usageError(
      `unknown projection "${name}"`,
      `known projections: ${PROJECTIONS.map((p) => p.name).join(', ')} (see \`eventbench projection list\`)`,
    );
  return def;
}
