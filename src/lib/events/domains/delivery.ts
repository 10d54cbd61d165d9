import { req, s } from '../schema.js';
import { defineType, type DomainDef, type EntityState, type SourcingEvent } from '../types.js';
import { addressSchema } from './common.js';

const deliveryId = req(s.id('delivery'), 'The delivery');
const orderId = req(s.id('order'), 'The placed order being delivered');
// Every delivery event names the store, so a consumer can check it never changes mid-flight.
const storeId = req(s.string('store id', /^store-[a-z]{3}-\d{2}$/), 'The store that took the order');
const courierId = req(s.string('courier id', /^courier-[a-z]{3}\d{2}-\d{2}$/), 'The courier on the scooter');
const lat = req(s.number(-90, 90), 'Latitude, 5 decimals');
const lon = req(s.number(-180, 180), 'Longitude, 5 decimals');

export const deliveryTypes = {
  orderAccepted: defineType('delivery', 'order-accepted', {
    description: 'The store accepted a placed order; the delivery entity begins.',
    from: [],
    to: 'accepted',
    data: s.object({
      deliveryId,
      orderId,
      userId: req(s.id('user'), 'Who ordered'),
      storeId,
      address: req(addressSchema, 'The front door'),
      etaMinutes: req(s.int(1), 'Promised minutes until the door'),
    }),
  }),
  baked: defineType('delivery', 'baked', {
    description: 'The pizzas came out of the oven.',
    from: ['accepted'],
    to: 'baked',
    data: s.object({ deliveryId, orderId, storeId }),
  }),
  outForDelivery: defineType('delivery', 'out-for-delivery', {
    description: 'A courier of the same store left with the order.',
    from: ['baked'],
    to: 'out-for-delivery',
    data: s.object({ deliveryId, orderId, storeId, courierId }),
  }),
  locationUpdated: defineType('delivery', 'location-updated', {
    description: "The courier's position on the way from the store to the door.",
    from: ['out-for-delivery'],
    to: 'out-for-delivery',
    data: s.object({ deliveryId, orderId, storeId, courierId, lat, lon }),
  }),
  delivered: defineType('delivery', 'delivered', {
    description: 'Handed over at the front door. Terminal.',
    from: ['out-for-delivery'],
    to: 'delivered',
    data: s.object({ deliveryId, orderId, storeId, courierId, lat, lon }),
  }),
};

const location = s.object({ lat, lon }, 'Location');

const deliveryState = s.object(
  {
    deliveryId,
    orderId,
    userId: req(s.id('user'), 'Who ordered'),
    storeId,
    status: req(s.enum(['accepted', 'baked', 'out-for-delivery', 'delivered']), 'Lifecycle state'),
    address: req(addressSchema, 'The front door'),
    etaMinutes: req(s.int(1), 'Promised minutes until the door'),
    courierId: req(s.nullable(courierId.schema), 'Courier, once out for delivery'),
    location: req(s.nullable(location), 'Last known courier position'),
    locationUpdates: req(s.int(0), 'Position updates received'),
    acceptedAt: req(s.time(), 'When the store accepted'),
    bakedAt: req(s.nullable(s.time()), 'When it left the oven'),
    outForDeliveryAt: req(s.nullable(s.time()), 'When the courier left'),
    deliveredAt: req(s.nullable(s.time()), 'When it was handed over'),
    updatedAt: req(s.time(), 'Time of the last event applied'),
  },
  'Delivery',
);

function applyDelivery(state: EntityState | undefined, e: SourcingEvent): EntityState {
  const d = e.data;
  if (e.type === 'order-accepted') {
    return {
      deliveryId: d.deliveryId,
      orderId: d.orderId,
      userId: d.userId,
      storeId: d.storeId,
      status: 'accepted',
      address: d.address,
      etaMinutes: d.etaMinutes,
      courierId: null,
      location: null,
      locationUpdates: 0,
      acceptedAt: e.time,
      bakedAt: null,
      outForDeliveryAt: null,
      deliveredAt: null,
      updatedAt: e.time,
    };
  }
  const st = state ?? {};
  switch (e.type) {
    case 'baked':
      return { ...st, status: 'baked', bakedAt: e.time, updatedAt: e.time };
    case 'out-for-delivery':
      return {
        ...st,
        status: 'out-for-delivery',
        courierId: d.courierId,
        outForDeliveryAt: e.time,
        updatedAt: e.time,
      };
    case 'location-updated':
      return {
        ...st,
        location: { lat: d.lat, lon: d.lon },
        locationUpdates: (st.locationUpdates as number) + 1,
        updatedAt: e.time,
      };
    case 'delivered':
      return {
        ...st,
        status: 'delivered',
        location: { lat: d.lat, lon: d.lon },
        deliveredAt: e.time,
        updatedAt: e.time,
      };
    default:
      return st;
  }
}

export const delivery: DomainDef = {
  name: 'delivery',
  description: 'Pizza to the front door: accepted, baked, out for delivery, tracked, delivered.',
  entity: 'delivery',
  collection: 'deliveries',
  idPrefix: 'delivery',
  idField: 'deliveryId',
  states: ['accepted', 'baked', 'out-for-delivery', 'delivered'],
  terminal: ['delivered'],
  types: Object.values(deliveryTypes),
  state: deliveryState,
  links: ['userId', 'orderId'],
  apply: applyDelivery,
};
