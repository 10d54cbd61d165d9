import { opt, req, s } from '../schema.js';
import { PAYMENT_FAILURES, PAYMENT_METHODS } from '../world.js';
import { defineType, type DomainDef, type EntityState, type SourcingEvent } from '../types.js';
import { addressSchema } from './common.js';

const orderId = req(s.id('order'), 'The cart, which becomes the order (one id throughout)');
const userId = req(s.id('user'), 'The signed-in customer');
const storeId = req(s.string('store id', /^store-[a-z]{3}-\d{2}$/), 'The store that will bake it');
const sku = req(s.string(), 'Menu item');
const cents = (what: string) => req(s.int(0), `${what}, in euro cents`);
const currency = req(s.enum(['EUR']), 'Currency');
const paymentId = req(s.id('pay'), 'The payment attempt');
/** Payment may start from checkout, from agreed terms, or retry after a failure. */
const payable = ['checking-out', 'terms-agreed', 'payment-failed'];

export const checkoutTypes = {
  cartCreated: defineType('checkout', 'cart-created', {
    description: 'A signed-in user opened a cart at their nearest store; the order entity begins.',
    from: [],
    to: 'open',
    data: s.object({ orderId, userId, storeId, currency }),
  }),
  itemAdded: defineType('checkout', 'item-added', {
    description: 'An item was put in the cart (again: quantities add up).',
    from: ['open'],
    to: 'open',
    data: s.object({
      orderId,
      sku,
      name: req(s.string(), 'Menu name'),
      quantity: req(s.int(1), 'How many were added'),
      unitPriceCents: cents('Price of one'),
    }),
  }),
  itemRemoved: defineType('checkout', 'item-removed', {
    description: 'Some of an item were taken out of the cart.',
    from: ['open'],
    to: 'open',
    data: s.object({ orderId, sku, quantity: req(s.int(1), 'How many were removed') }),
  }),
  checkoutStarted: defineType('checkout', 'checkout-started', {
    description: 'The user went to pay; the cart is frozen and the delivery address fixed.',
    from: ['open'],
    to: 'checking-out',
    data: s.object({
      orderId,
      userId,
      itemCount: req(s.int(1), 'Items in the cart'),
      totalCents: cents('Amount to pay'),
      currency,
      deliveryAddress: req(addressSchema, "The user's front door"),
    }),
  }),
  termsAgreed: defineType('checkout', 'terms-agreed', {
    description:
      'The user accepted the terms of sale before paying. Added by a regulation change: only generated with --with terms-agreed; consumers that do not know it keep working.',
    from: ['checking-out'],
    to: 'terms-agreed',
    data: s.object({ orderId, userId, termsVersion: req(s.string(), 'Version of the accepted terms') }),
    extension: 'terms-agreed',
  }),
  paymentAuthorised: defineType('checkout', 'payment-authorised', {
    description: 'The payment provider reserved the amount.',
    from: payable,
    to: 'paid',
    data: s.object({
      orderId,
      paymentId,
      amountCents: cents('Reserved amount'),
      currency,
      method: req(s.enum(PAYMENT_METHODS), 'Payment method'),
    }),
  }),
  paymentFailed: defineType('checkout', 'payment-failed', {
    description: 'The payment provider refused; the user may try once more.',
    from: payable,
    to: 'payment-failed',
    data: s.object({
      orderId,
      paymentId,
      amountCents: cents('Requested amount'),
      currency,
      reason: req(s.enum(PAYMENT_FAILURES), 'Why it was refused'),
      attempt: req(s.int(1), 'Payment attempts so far, this one included'),
    }),
  }),
  orderPlaced: defineType('checkout', 'order-placed', {
    description: 'The paid order goes to the store. Terminal for checkout; delivery takes over.',
    from: ['paid'],
    to: 'placed',
    data: s.object({ orderId, userId, storeId, paymentId, totalCents: cents('Amount paid'), currency }),
  }),
  orderCancelled: defineType('checkout', 'order-cancelled', {
    description: 'The cart was abandoned or payment failed twice. Terminal.',
    from: ['open', 'checking-out', 'terms-agreed', 'payment-failed'],
    to: 'cancelled',
    data: s.object({ orderId, reason: req(s.enum(['abandoned', 'payment-failed']), 'Why') }),
  }),
};

const lineItem = s.object(
  {
    sku,
    name: req(s.string(), 'Menu name'),
    quantity: req(s.int(1), 'How many'),
    unitPriceCents: cents('Price of one'),
  },
  'LineItem',
);

const orderState = s.object(
  {
    orderId,
    userId,
    storeId,
    status: req(
      s.enum(['open', 'checking-out', 'terms-agreed', 'paid', 'payment-failed', 'placed', 'cancelled']),
      'Lifecycle state',
    ),
    items: req(s.array(lineItem), 'What is in the cart, in the order first added'),
    totalCents: cents('Sum of quantity x unit price'),
    currency,
    deliveryAddress: req(s.nullable(addressSchema), 'Fixed when checkout starts'),
    paymentAttempts: req(s.int(0), 'Payment attempts'),
    paymentId: req(s.nullable(s.id('pay')), 'The authorised payment'),
    paymentMethod: req(s.nullable(s.enum(PAYMENT_METHODS)), 'How it was paid'),
    lastPaymentFailure: req(s.nullable(s.enum(PAYMENT_FAILURES)), 'Why the last payment attempt failed'),
    cancelReason: req(s.nullable(s.enum(['abandoned', 'payment-failed'])), 'Why it was cancelled'),
    createdAt: req(s.time(), 'When the cart was created'),
    placedAt: req(s.nullable(s.time()), 'When the order was placed'),
    updatedAt: req(s.time(), 'Time of the last event applied'),
    termsVersion: opt(s.string(), 'Accepted terms (only with --with terms-agreed)'),
    termsAgreedAt: opt(s.time(), 'When the terms were accepted (only with --with terms-agreed)'),
  },
  'Order',
);

interface Line {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

function total(items: readonly Line[]): number {
  let t = 0;
  for (const it of items) t += it.quantity * it.unitPriceCents;
  return t;
}

function addItem(items: readonly Line[], d: Readonly<Record<string, unknown>>): Line[] {
  const i = items.findIndex((x) => x.sku === d.sku);
  if (i < 0)
    return [
      ...items,
      { sku: d.sku, name: d.name, quantity: d.quantity, unitPriceCents: d.unitPriceCents } as Line,
    ];
  return items.map((x, j) => (j === i ? { ...x, quantity: x.quantity + (d.quantity as number) } : x));
}

function removeItem(items: readonly Line[], d: Readonly<Record<string, unknown>>): Line[] {
  return items
    .map((x) => (x.sku === d.sku ? { ...x, quantity: x.quantity - (d.quantity as number) } : x))
    .filter((x) => x.quantity > 0);
}

function applyCheckout(state: EntityState | undefined, e: SourcingEvent): EntityState {
  const d = e.data;
  if (e.type === 'cart-created') {
    return {
      orderId: d.orderId,
      userId: d.userId,
      storeId: d.storeId,
      status: 'open',
      items: [],
      totalCents: 0,
      currency: d.currency,
      deliveryAddress: null,
      paymentAttempts: 0,
      paymentId: null,
      paymentMethod: null,
      lastPaymentFailure: null,
      cancelReason: null,
      createdAt: e.time,
      placedAt: null,
      updatedAt: e.time,
    };
  }
  const st = state ?? {};
  const items = (st.items ?? []) as readonly Line[];
  switch (e.type) {
    case 'item-added': {
      const next = addItem(items, d);
      return { ...st, items: next, totalCents: total(next), updatedAt: e.time };
    }
    case 'item-removed': {
      const next = removeItem(items, d);
      return { ...st, items: next, totalCents: total(next), updatedAt: e.time };
    }
    case 'checkout-started':
      return { ...st, status: 'checking-out', deliveryAddress: d.deliveryAddress, updatedAt: e.time };
    case 'terms-agreed':
      return {
        ...st,
        status: 'terms-agreed',
        updatedAt: e.time,
        termsVersion: d.termsVersion,
        termsAgreedAt: e.time,
      };
    case 'payment-authorised':
      return {
        ...st,
        status: 'paid',
        paymentAttempts: (st.paymentAttempts as number) + 1,
        paymentId: d.paymentId,
        paymentMethod: d.method,
        updatedAt: e.time,
      };
    case 'payment-failed':
      return {
        ...st,
        status: 'payment-failed',
        paymentAttempts: d.attempt,
        lastPaymentFailure: d.reason,
        updatedAt: e.time,
      };
    case 'order-placed':
      return { ...st, status: 'placed', placedAt: e.time, updatedAt: e.time };
    case 'order-cancelled':
      return { ...st, status: 'cancelled', cancelReason: d.reason, updatedAt: e.time };
    default:
      return st;
  }
}

export const checkout: DomainDef = {
  name: 'checkout',
  description: 'Carts that become orders: items, checkout, payment, placed or cancelled.',
  entity: 'order',
  collection: 'orders',
  idPrefix: 'order',
  idField: 'orderId',
  states: ['open', 'checking-out', 'terms-agreed', 'paid', 'payment-failed', 'placed', 'cancelled'],
  terminal: ['placed', 'cancelled'],
  types: Object.values(checkoutTypes),
  state: orderState,
  links: ['userId'],
  apply: applyCheckout,
};
