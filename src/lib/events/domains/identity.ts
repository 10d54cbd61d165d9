import { opt, req, s } from '../schema.js';
import { CREDENTIAL_METHODS, DEVICES, LOGIN_FAILURES } from '../world.js';
import { defineType, type DomainDef, type EntityState, type SourcingEvent } from '../types.js';
import { addressSchema } from './common.js';

const userId = req(s.id('user'), 'The user');
const method = s.enum(CREDENTIAL_METHODS);

export const identityTypes = {
  userRegistered: defineType('identity', 'user-registered', {
    description: 'A person signed up; the user entity begins.',
    from: [],
    to: 'registered',
    data: s.object({
      userId,
      email: req(s.string('email'), 'Sign-in and mail address (example.com, never real)'),
      displayName: req(s.string(), 'Name shown in the app'),
      address: req(addressSchema, 'Where pizzas go'),
    }),
  }),
  credentialsRequested: defineType('identity', 'login-credentials-requested', {
    description: 'The user asked to sign in and chose how to prove who they are.',
    from: ['registered'],
    to: 'credentials-requested',
    data: s.object({ userId, method: req(method, 'How the user will sign in') }),
  }),
  credentialsIssued: defineType('identity', 'credentials-issued', {
    description: 'A credential (password reset, magic link or one-time code) was issued.',
    from: ['credentials-requested'],
    to: 'credentials-issued',
    data: s.object({
      userId,
      credentialId: req(s.id('cred'), 'The issued credential'),
      method: req(method, 'Kind of credential'),
      expiresAt: req(s.time(), 'When the credential stops working'),
    }),
  }),
  loginFailed: defineType('identity', 'login-failed', {
    description: 'A sign-in attempt with the issued credential failed; the user may try again.',
    from: ['credentials-issued'],
    to: 'credentials-issued',
    data: s.object({
      userId,
      reason: req(s.enum(LOGIN_FAILURES), 'Why the attempt failed'),
      attempt: req(s.int(1), 'Failed attempts so far, this one included'),
    }),
  }),
  loginSucceeded: defineType('identity', 'login-succeeded', {
    description: 'The user signed in; a session starts. Checkout and video need this first.',
    from: ['credentials-issued'],
    to: 'logged-in',
    data: s.object({
      userId,
      sessionId: req(s.id('session'), 'The new session'),
      device: req(s.enum(DEVICES), 'Where the user signed in'),
    }),
  }),
  profileUpdated: defineType('identity', 'profile-updated', {
    description: 'The signed-in user changed their phone number or marketing preference.',
    from: ['logged-in'],
    to: 'logged-in',
    data: s.object({
      userId,
      phone: opt(s.string('+31 or +32 number', /^\+3[12]\d{9}$/), 'New phone number, when changed'),
      marketingOptIn: opt(s.boolean(), 'New marketing preference, when changed'),
    }),
  }),
};

const userState = s.object(
  {
    userId,
    status: req(
      s.enum(['registered', 'credentials-requested', 'credentials-issued', 'logged-in']),
      'Lifecycle state',
    ),
    email: req(s.string('email'), 'Sign-in and mail address'),
    displayName: req(s.string(), 'Name shown in the app'),
    address: req(addressSchema, 'Where pizzas go'),
    phone: req(s.nullable(s.string()), 'Phone number, null until given'),
    marketingOptIn: req(s.boolean(), 'Marketing preference'),
    credentialMethod: req(s.nullable(method), 'Chosen sign-in method'),
    credentialId: req(s.nullable(s.id('cred')), 'Last issued credential'),
    credentialExpiresAt: req(s.nullable(s.time()), 'When the issued credential expires'),
    failedLogins: req(s.int(0), 'Failed sign-in attempts'),
    lastFailure: req(s.nullable(s.enum(LOGIN_FAILURES)), 'Why the last attempt failed'),
    sessionId: req(s.nullable(s.id('session')), 'Current session'),
    device: req(s.nullable(s.enum(DEVICES)), 'Device of the current session'),
    registeredAt: req(s.time(), 'When the user registered'),
    lastLoginAt: req(s.nullable(s.time()), 'Last successful sign-in'),
    updatedAt: req(s.time(), 'Time of the last event applied'),
  },
  'User',
);

function applyIdentity(state: EntityState | undefined, e: SourcingEvent): EntityState {
  const d = e.data;
  if (e.type === 'user-registered') {
    return {
      userId: d.userId,
      status: 'registered',
      email: d.email,
      displayName: d.displayName,
      address: d.address,
      phone: null,
      marketingOptIn: false,
      credentialMethod: null,
      credentialId: null,
      credentialExpiresAt: null,
      failedLogins: 0,
      lastFailure: null,
      sessionId: null,
      device: null,
      registeredAt: e.time,
      lastLoginAt: null,
      updatedAt: e.time,
    };
  }
  const st = state ?? {};
  switch (e.type) {
    case 'login-credentials-requested':
      return { ...st, status: 'credentials-requested', credentialMethod: d.method, updatedAt: e.time };
    case 'credentials-issued':
      return {
        ...st,
        status: 'credentials-issued',
        credentialId: d.credentialId,
        credentialExpiresAt: d.expiresAt,
        updatedAt: e.time,
      };
    case 'login-failed':
      return { ...st, failedLogins: d.attempt, lastFailure: d.reason, updatedAt: e.time };
    case 'login-succeeded':
      return {
        ...st,
        status: 'logged-in',
        sessionId: d.sessionId,
        device: d.device,
        lastLoginAt: e.time,
        updatedAt: e.time,
      };
    case 'profile-updated':
      return {
        ...st,
        ...(d.phone !== undefined ? { phone: d.phone } : {}),
        ...(d.marketingOptIn !== undefined ? { marketingOptIn: d.marketingOptIn } : {}),
        updatedAt: e.time,
      };
    default:
      return st;
  }
}

export const identity: DomainDef = {
  name: 'identity',
  description: 'Users: registration, sign-in with issued credentials, profile changes.',
  entity: 'user',
  collection: 'users',
  idPrefix: 'user',
  idField: 'userId',
  states: ['registered', 'credentials-requested', 'credentials-issued', 'logged-in'],
  terminal: [],
  types: Object.values(identityTypes),
  state: userState,
  links: [],
  apply: applyIdentity,
};
