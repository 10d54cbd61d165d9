import { checkout } from './domains/checkout.js';
import { delivery } from './domains/delivery.js';
import { email } from './domains/email.js';
import { identity } from './domains/identity.js';
import { video } from './domains/video.js';
import type { DomainDef, DomainName, EventTypeDef } from './types.js';

/** The five domains in journey order: who the user is, what they buy, how it arrives, mail, video. */
export const DOMAIN_DEFS: Readonly<Record<DomainName, DomainDef>> = {
  identity,
  checkout,
  delivery,
  email,
  video,
};

export const ALL_TYPES: readonly EventTypeDef[] = Object.values(DOMAIN_DEFS).flatMap((d) => d.types);

const byId = new Map(ALL_TYPES.map((t) => [t.id, t]));
const byCeType = new Map(ALL_TYPES.map((t) => [t.ceType, t]));

export function domainDef(name: DomainName): DomainDef {
  return DOMAIN_DEFS[name];
}

/** By catalogue id ("checkout.order-placed"); undefined when unknown. */
export function typeById(id: string): EventTypeDef | undefined {
  return byId.get(id);
}

/** By CloudEvents type ("eventbench.checkout.order-placed.v1"); undefined when unknown. */
export function typeByCeType(ceType: string): EventTypeDef | undefined {
  return byCeType.get(ceType);
}

/**
 * What a person may type for a type: the catalogue id, the ce_type, or the short name when only
 * one domain has it ("order-placed"; "delivered" exists in delivery and email, so it needs its
 * domain). Returns all matches so the caller can explain an ambiguity.
 */
export function matchTypes(text: string): EventTypeDef[] {
  const exact = byId.get(text) ?? byCeType.get(text);
  if (exact) return [exact];
  return ALL_TYPES.filter((t) => t.name === text);
}
