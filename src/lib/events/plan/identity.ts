import type { Rng } from '../prng.js';
import { identityTypes as T } from '../domains/identity.js';
import { StepClock, type Address, type StepStream } from '../domains/common.js';
import {
  CITIES,
  CREDENTIAL_METHODS,
  DEVICES,
  FIRST_NAMES,
  LAST_NAMES,
  LOGIN_FAILURES,
  STREETS,
  iso,
  round5,
} from '../world.js';
import { MIN, SEC } from './context.js';

const LETTERS = 'ABCDEFGHJKLMNPRSTVWXZ';
const letter = (rng: Rng) => LETTERS.charAt(rng.int(0, LETTERS.length - 1));

/**
 * A user registers at t0, asks for credentials, maybe fails to sign in a few times, and (usually)
 * signs in. About 4% give up after their failures: they never check out or watch anything.
 */
export function* planIdentity(rng: Rng, userId: string, t0: number): StepStream {
  const c = new StepClock();
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const city = rng.pick(CITIES);
  const postcode =
    city.country === 'NL'
      ? `${city.postcode}${rng.int(10, 99)} ${letter(rng)}${letter(rng)}`
      : `${city.postcode}${rng.int(10, 99)}`;
  // Front doors within a few kilometres of the city centre; only + and * so the digits are
  // the same on every machine.
  const address: Address = {
    street: rng.pick(STREETS),
    houseNumber: rng.int(1, 220),
    postcode,
    city: city.name,
    lat: round5(city.lat + (rng.float() - 0.5) * 0.05),
    lon: round5(city.lon + (rng.float() - 0.5) * 0.08),
  };
  const email = `${first}.${last}${rng.int(1, 99)}@example.com`.toLowerCase().replace(/ /g, '');
  const displayName = `${first} ${last}`;
  let t = t0;
  yield c.step(T.userRegistered, t, { userId, email, displayName, address });

  const method = rng.pick(CREDENTIAL_METHODS);
  t += rng.int(20 * SEC, 8 * MIN);
  yield c.step(T.credentialsRequested, t, { userId, method });
  t += rng.int(300, 6 * SEC);
  yield c.step(T.credentialsIssued, t, {
    userId,
    credentialId: `cred-${rng.hex8()}`,
    method,
    expiresAt: iso(t + 15 * MIN),
  });

  const failures = rng.chance(0.75) ? 0 : rng.int(1, 3);
  for (let attempt = 1; attempt <= failures; attempt++) {
    t += rng.int(5 * SEC, 40 * SEC);
    yield c.step(T.loginFailed, t, { userId, reason: rng.pick(LOGIN_FAILURES), attempt });
  }
  const device = rng.pick(DEVICES);
  if (failures > 0 && rng.chance(0.15)) return;
  t += rng.int(5 * SEC, 40 * SEC);
  yield c.step(T.loginSucceeded, t, { userId, sessionId: `session-${rng.hex8()}`, device });
  if (rng.chance(0.3)) {
    const change = rng.int(0, 2);
    t += rng.int(30 * SEC, 20 * MIN);
    yield c.step(T.profileUpdated, t, {
      userId,
      ...(change !== 1 ? { phone: `+31${rng.int(600000000, 699999999)}` } : {}),
      ...(change !== 0 ? { marketingOptIn: rng.chance(0.5) } : {}),
    });
  }
}
