/**
 * The small, fixed world the generated events live in: cities with pizza stores, a menu, a few
 * videos and the names of people. Fixed tables (rather than a faker library) keep the data
 * identical across versions and machines and easy to recognise in a lesson.
 */

export interface Store {
  readonly id: string;
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
}

export interface City {
  readonly name: string;
  readonly country: 'NL' | 'BE';
  /** The first two digits of the city's postcodes. */
  readonly postcode: string;
  readonly lat: number;
  readonly lon: number;
  readonly stores: readonly Store[];
}

export const CITIES: readonly City[] = [
  {
    name: 'Amsterdam',
    country: 'NL',
    postcode: '10',
    lat: 52.3676,
    lon: 4.9041,
    stores: [
      { id: 'store-ams-01', name: 'Amsterdam Centrum', lat: 52.3731, lon: 4.8922 },
      { id: 'store-ams-02', name: 'Amsterdam Oost', lat: 52.3602, lon: 4.9391 },
    ],
  },
  {
    name: 'Rotterdam',
    country: 'NL',
    postcode: '30',
    lat: 51.9244,
    lon: 4.4777,
    stores: [
      { id: 'store-rtm-01', name: 'Rotterdam Centraal', lat: 51.9225, lon: 4.4692 },
      { id: 'store-rtm-02', name: 'Rotterdam Zuid', lat: 51.8964, lon: 4.5068 },
    ],
  },
  {
    name: 'Utrecht',
    country: 'NL',
    postcode: '35',
    lat: 52.0907,
    lon: 5.1214,
    stores: [{ id: 'store-utr-01', name: 'Utrecht Neude', lat: 52.0931, lon: 5.1187 }],
  },
  {
    name: 'Antwerp',
    country: 'BE',
    postcode: '20',
    lat: 51.2194,
    lon: 4.4025,
    stores: [
      { id: 'store-ant-01', name: 'Antwerpen Meir', lat: 51.2178, lon: 4.4087 },
      { id: 'store-ant-02', name: 'Antwerpen Zuid', lat: 51.2013, lon: 4.3911 },
    ],
  },
];

export const FIRST_NAMES: readonly string[] =
  'Ada Ben Chloe Daan Emma Finn Grace Hugo Iris Jonas Kim Lena Milan Noor Omar Pia Quinn Ruben Sara Tom Uma Vera Wout Yara'.split(
    ' ',
  );

export const LAST_NAMES: readonly string[] =
  'Jansen,de Vries,Bakker,Visser,Smit,Meijer,Peeters,Maes,Claes,Mulder,Bos,Vos,Dekker,Willems,Dubois,Lambert'.split(
    ',',
  );

export const STREETS: readonly string[] =
  'Kerkstraat Molenweg Dorpsstraat Stationsplein Lindelaan Havenkade Schoolstraat Parklaan Marktstraat Beukenlaan'.split(
    ' ',
  );

export interface MenuItem {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
}

export const MENU: readonly MenuItem[] = [
  { sku: 'pizza-margherita', name: 'Margherita', priceCents: 950 },
  { sku: 'pizza-pepperoni', name: 'Pepperoni', priceCents: 1150 },
  { sku: 'pizza-funghi', name: 'Funghi', priceCents: 1050 },
  { sku: 'pizza-diavola', name: 'Diavola', priceCents: 1200 },
  { sku: 'pizza-quattro-formaggi', name: 'Quattro Formaggi', priceCents: 1250 },
  { sku: 'side-garlic-bread', name: 'Garlic bread', priceCents: 450 },
  { sku: 'dessert-tiramisu', name: 'Tiramisu', priceCents: 550 },
  { sku: 'drink-cola', name: 'Cola', priceCents: 300 },
];

export interface Video {
  readonly id: string;
  readonly title: string;
  readonly durationSec: number;
}

export const VIDEOS: readonly Video[] = [
  { id: 'video-dough', title: 'Stretching the dough', durationSec: 184 },
  { id: 'video-oven', title: 'Inside a 450 °C oven', durationSec: 95 },
  { id: 'video-tomato', title: 'Where our tomatoes grow', durationSec: 262 },
  { id: 'video-tracker', title: 'How your pizza finds you', durationSec: 140 },
  { id: 'video-ad', title: 'Two for Tuesday', durationSec: 30 },
];

export const DEVICES = ['web', 'ios', 'android'] as const;
export const CREDENTIAL_METHODS = ['password', 'magic-link', 'one-time-code'] as const;
export const LOGIN_FAILURES = ['wrong-password', 'expired-code', 'unknown-device'] as const;
export const PAYMENT_METHODS = ['card', 'ideal', 'paypal'] as const;
export const PAYMENT_FAILURES = ['card-declined', 'insufficient-funds', '3ds-timeout'] as const;
export const EMAIL_PROVIDERS = ['smtp-eu-1', 'smtp-eu-2'] as const;
export const EMAIL_CLIENTS = ['gmail', 'apple-mail', 'outlook'] as const;
export const BOUNCES = [
  { type: 'hard', reason: 'mailbox does not exist' },
  { type: 'soft', reason: 'mailbox full' },
] as const;
export const TERMS_VERSION = '2025-06';

/** Coordinates rounded to five decimals (about a metre): short, exact JSON on every machine. */
export function round5(x: number): number {
  return Math.round(x * 100000) / 100000;
}

/** The store a customer orders from: the nearest in their city (squared distance is enough). */
export function nearestStore(city: City, lat: number, lon: number): Store {
  let best = city.stores[0] as Store;
  let bestD = Infinity;
  for (const st of city.stores) {
    const d = (st.lat - lat) * (st.lat - lat) + (st.lon - lon) * (st.lon - lon);
    if (d < bestD) {
      best = st;
      bestD = d;
    }
  }
  return best;
}

export function cityByName(name: string): City {
  const c = CITIES.find((x) => x.name === name);
  if (!c) throw new Error(`unknown city ${name}`);
  return c;
}

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => `.${String(i).padStart(3, '0')}Z`);
/** Direct-mapped cache of "YYYY-MM-DDTHH:MM:" by epoch minute. */
const SLOTS = 256;
const cachedMinute = new Float64Array(SLOTS).fill(-1);
const cachedPrefix = new Array<string>(SLOTS).fill('');

/**
 * RFC 3339 in UTC with milliseconds, exactly what Date.prototype.toISOString writes, but
 * almost never with a Date: the part up to the minute is cached (events come in time order,
 * many per minute) and seconds and milliseconds come from tables. Generation formats a time
 * for every event, so this is on the hot path.
 */
export function iso(ms: number): string {
  const inMinute = ((ms % 60_000) + 60_000) % 60_000;
  const minute = (ms - inMinute) / 60_000;
  const slot = minute & (SLOTS - 1);
  if (cachedMinute[slot] !== minute) {
    cachedMinute[slot] = minute;
    cachedPrefix[slot] = new Date(ms - inMinute).toISOString().slice(0, -7);
  }
  const milli = inMinute % 1000;
  return (
    (cachedPrefix[slot] as string) + (TWO[(inMinute - milli) / 1000] as string) + (THREE[milli] as string)
  );
}
