import { hrefFor } from './envelope.js';
import { req, s, type Field, type ObjectSchema } from './schema.js';
import type { DomainDef, EntityState, EventTypeDef, Links, Shape } from './types.js';

/**
 * The notification shape: the event's type, the entity id, the ids of linked entities and an
 * href to look the entity up. Nothing else: a consumer that needs more calls back (the
 * projections look the entity up by href), which is the point of the pattern and its cost.
 */
export function notificationValue(domain: DomainDef, def: EventTypeDef, id: string, links: Links): object {
  const v: Record<string, unknown> = { type: def.name, id };
  for (const l of domain.links) if (links[l] !== undefined) v[l] = links[l];
  v.href = hrefFor(domain, id);
  return v;
}

const schemas = new Map<string, ObjectSchema>();

export function notificationSchema(domain: DomainDef): ObjectSchema {
  let sch = schemas.get(domain.name);
  if (!sch) {
    const fields: Record<string, Field> = {
      type: req(s.enum(domain.types.map((t) => t.name)), 'Event type (short name; ce_type has the full one)'),
      id: req(s.id(domain.idPrefix), `The ${domain.entity}`),
    };
    if (domain.links.includes('userId')) fields.userId = req(s.id('user'), 'The user involved');
    if (domain.links.includes('orderId'))
      fields.orderId = req(s.nullable(s.id('order')), 'The order involved (null when none)');
    fields.href = req(
      s.string(
        `eventbench://${domain.name}/${domain.collection}/<id>`,
        new RegExp(`^eventbench://${domain.name}/${domain.collection}/${domain.idPrefix}-[0-9a-f]{8}$`),
      ),
      `Where to look the ${domain.entity} up`,
    );
    sch = s.object(fields, `${domain.entity[0]?.toUpperCase()}${domain.entity.slice(1)}Notification`);
    schemas.set(domain.name, sch);
  }
  return sch;
}

/** The schema a value of this type follows in this shape. */
export function schemaFor(domain: DomainDef, def: EventTypeDef, shape: Shape): ObjectSchema {
  return shape === 'sourcing' ? def.data : shape === 'state' ? domain.state : notificationSchema(domain);
}

/** The value of one event in the requested shape. */
export function shapeValue(
  shape: Shape,
  domain: DomainDef,
  def: EventTypeDef,
  id: string,
  links: Links,
  data: object,
  state: EntityState | undefined,
): object {
  if (shape === 'sourcing') return data;
  if (shape === 'state') return state ?? {};
  return notificationValue(domain, def, id, links);
}
