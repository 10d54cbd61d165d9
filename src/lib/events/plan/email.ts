import type { Rng } from '../prng.js';
import { emailTypes as T, EMAIL_TEMPLATES } from '../domains/email.js';
import { StepClock, type StepStream } from '../domains/common.js';
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
 * One email to the journey's user, queued shortly after the business time `after` of the event
 * that caused it. About 3% bounce; a bit over half are opened, some much later.
 */
export function* planEmail(
  rng: Rng,
  emailId: string,
  template: EmailTemplate,
  user: UserFacts,
  orderId: string | null,
  after: number,
): StepStream {
  const c = new StepClock();
  const userId = user.id;
  let t = after + rng.int(200, 3 * SEC);
  yield c.step(T.queued, t, {
    emailId,
    userId,
    orderId,
    to: user.email,
    template,
    subject: subject(template, user, orderId),
  });
  const provider = rng.pick(EMAIL_PROVIDERS);
  t += rng.int(1 * SEC, 20 * SEC);
  yield c.step(T.sent, t, { emailId, provider, messageId: `<${rng.hex8()}@${provider}.example.net>` });
  if (rng.chance(0.03)) {
    const bounce = rng.pick(BOUNCES);
    yield c.step(T.bounced, t + rng.int(1 * SEC, 30 * SEC), {
      emailId,
      bounceType: bounce.type,
      reason: bounce.reason,
    });
    return;
  }
  t += rng.int(1 * SEC, 45 * SEC);
  yield c.step(T.delivered, t, { emailId });
  if (rng.chance(0.55))
    yield c.step(T.opened, t + rng.int(30 * SEC, 90 * MIN), { emailId, client: rng.pick(EMAIL_CLIENTS) });
}
