import type { Rng } from '../prng.js';
import { email, emailTypes as T, EMAIL_TEMPLATES } from '../domains/email.js';
import { PlanBuilder, type EntityPlan } from '../domains/common.js';
import { BOUNCES, EMAIL_CLIENTS, EMAIL_PROVIDERS } from '../world.js';
import { MIN, SEC, type UserFacts } from './context.js';

export type EmailTemplate = (typeof EMAIL_TEMPLATES)[number];

function subject(template: EmailTemplate, user: UserFacts, orderId: string | null): string {
  const first = user.displayName.split(' ')[0] ?? user.displayName;
  if (template === 'welcome') return `Welcome, ${first}!`;
  if (template === 'order-confirmation') return `We got your order ${orderId ?? ''}`.trimEnd();
  return `Enjoy your pizza, ${first}`;
}

/**
 * One email to the journey's user, queued shortly after the event that caused it (causedBy, at
 * business time `after`). About 3% bounce; a bit over half are opened, some much later.
 */
export function planEmail(
  rng: Rng,
  emailId: string,
  template: EmailTemplate,
  user: UserFacts,
  orderId: string | null,
  causedBy: string,
  after: number,
): EntityPlan {
  const userId = user.id;
  const b = new PlanBuilder(email, emailId, { userId, orderId }, causedBy);
  let t = b.add(T.queued, after + rng.int(200, 3 * SEC), {
    emailId,
    userId,
    orderId,
    to: user.email,
    template,
    subject: subject(template, user, orderId),
  });
  const provider = rng.pick(EMAIL_PROVIDERS);
  t = b.add(T.sent, t + rng.int(1 * SEC, 20 * SEC), {
    emailId,
    provider,
    messageId: `<${rng.hex8()}@${provider}.example.net>`,
  });
  if (rng.chance(0.03)) {
    const bounce = rng.pick(BOUNCES);
    b.add(T.bounced, t + rng.int(1 * SEC, 30 * SEC), {
      emailId,
      bounceType: bounce.type,
      reason: bounce.reason,
    });
    return b.plan;
  }
  t = b.add(T.delivered, t + rng.int(1 * SEC, 45 * SEC), { emailId });
  if (rng.chance(0.55))
    b.add(T.opened, t + rng.int(30 * SEC, 90 * MIN), { emailId, client: rng.pick(EMAIL_CLIENTS) });
  return b.plan;
}
