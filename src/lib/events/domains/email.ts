import { req, s } from '../schema.js';
import { EMAIL_CLIENTS, EMAIL_PROVIDERS } from '../world.js';
import { defineType, type DomainDef, type EntityState, type SourcingEvent } from '../types.js';

export const EMAIL_TEMPLATES = ['welcome', 'order-confirmation', 'delivery-receipt'] as const;

const emailId = req(s.id('email'), 'The email');

export const emailTypes = {
  queued: defineType('email', 'queued', {
    description: 'An email to a user was queued: a welcome, an order confirmation or a receipt.',
    from: [],
    to: 'queued',
    data: s.object({
      emailId,
      userId: req(s.id('user'), 'The recipient'),
      orderId: req(s.nullable(s.id('order')), 'The order it is about; null for a welcome'),
      to: req(s.string('email'), "The user's address"),
      template: req(s.enum(EMAIL_TEMPLATES), 'Which email'),
      subject: req(s.string(), 'Subject line'),
    }),
  }),
  sent: defineType('email', 'sent', {
    description: 'The mail provider accepted the email.',
    from: ['queued'],
    to: 'sent',
    data: s.object({
      emailId,
      provider: req(s.enum(EMAIL_PROVIDERS), 'Mail provider'),
      messageId: req(s.string('<id@provider>'), 'Provider message id'),
    }),
  }),
  delivered: defineType('email', 'delivered', {
    description: "The recipient's mail server accepted the email.",
    from: ['sent'],
    to: 'delivered',
    data: s.object({ emailId }),
  }),
  opened: defineType('email', 'opened', {
    description: 'The recipient opened it. Terminal.',
    from: ['delivered'],
    to: 'opened',
    data: s.object({ emailId, client: req(s.enum(EMAIL_CLIENTS), 'Mail client') }),
  }),
  bounced: defineType('email', 'bounced', {
    description: 'The recipient server refused it. Terminal.',
    from: ['sent'],
    to: 'bounced',
    data: s.object({
      emailId,
      bounceType: req(s.enum(['hard', 'soft']), 'Permanent (hard) or temporary (soft)'),
      reason: req(s.string(), 'What the server said'),
    }),
  }),
};

const emailState = s.object(
  {
    emailId,
    userId: req(s.id('user'), 'The recipient'),
    orderId: req(s.nullable(s.id('order')), 'The order it is about'),
    to: req(s.string('email'), "The user's address"),
    template: req(s.enum(EMAIL_TEMPLATES), 'Which email'),
    subject: req(s.string(), 'Subject line'),
    status: req(s.enum(['queued', 'sent', 'delivered', 'opened', 'bounced']), 'Lifecycle state'),
    provider: req(s.nullable(s.enum(EMAIL_PROVIDERS)), 'Mail provider, once sent'),
    messageId: req(s.nullable(s.string()), 'Provider message id'),
    bounce: req(s.nullable(s.string()), '"hard: reason" or "soft: reason" when bounced'),
    openedWith: req(s.nullable(s.enum(EMAIL_CLIENTS)), 'Mail client, once opened'),
    queuedAt: req(s.time(), 'When it was queued'),
    sentAt: req(s.nullable(s.time()), 'When it was sent'),
    deliveredAt: req(s.nullable(s.time()), 'When it reached the mailbox'),
    openedAt: req(s.nullable(s.time()), 'When it was opened'),
    updatedAt: req(s.time(), 'Time of the last event applied'),
  },
  'Email',
);

function applyEmail(state: EntityState | undefined, e: SourcingEvent): EntityState {
  const d = e.data;
  if (e.type === 'queued') {
    return {
      emailId: d.emailId,
      userId: d.userId,
      orderId: d.orderId,
      to: d.to,
      template: d.template,
      subject: d.subject,
      status: 'queued',
      provider: null,
      messageId: null,
      bounce: null,
      openedWith: null,
      queuedAt: e.time,
      sentAt: null,
      deliveredAt: null,
      openedAt: null,
      updatedAt: e.time,
    };
  }
  const st = state ?? {};
  switch (e.type) {
    case 'sent':
      return {
        ...st,
        status: 'sent',
        provider: d.provider,
        messageId: d.messageId,
        sentAt: e.time,
        updatedAt: e.time,
      };
    case 'delivered':
      return { ...st, status: 'delivered', deliveredAt: e.time, updatedAt: e.time };
    case 'opened':
      return { ...st, status: 'opened', openedWith: d.client, openedAt: e.time, updatedAt: e.time };
    case 'bounced':
      return {
        ...st,
        status: 'bounced',
        bounce: `${String(d.bounceType)}: ${String(d.reason)}`,
        updatedAt: e.time,
      };
    default:
      return st;
  }
}

export const email: DomainDef = {
  name: 'email',
  description: 'Emails to users about their account and orders: queued, sent, delivered, opened or bounced.',
  entity: 'email',
  collection: 'emails',
  idPrefix: 'email',
  idField: 'emailId',
  states: ['queued', 'sent', 'delivered', 'opened', 'bounced'],
  terminal: ['opened', 'bounced'],
  types: Object.values(emailTypes),
  state: emailState,
  links: ['userId', 'orderId'],
  apply: applyEmail,
};
