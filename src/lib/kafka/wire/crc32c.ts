/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of a magic-2 record batch
 * (KIP-98). Computed over every batch we produce, so the bulk of it runs in a small WebAssembly
 * module doing slicing-by-16: sixteen lookup tables fold sixteen input bytes per step. Plain JS
 * slicing-by-8 (`crc32cJs`) stays for short inputs, where copying into WASM memory costs more than
 * it saves, and for runtimes without WebAssembly (e.g. node --jitless). This client-side copy is
 * separate from the broker's on purpose: src/lib/broker stands alone and the client must not
 * import it.
 */

const POLY = 0x82f63b78;

/**
 * Inputs shorter than this take the JS path: below about 16 bytes the copy into WASM memory
 * and the call cost more than the loop saves (bench/crc32c.mjs prints the crossover).
 */
const WASM_MIN_BYTES = 16;

/** Input is copied into WASM memory a window at a time, so its memory stays at two pages. */
const WINDOW_AT = 65536;
const WINDOW_SIZE = 65536;

/** T[k * 256 + b] is the CRC register after byte b followed by k zero bytes, for k < 16. */
const T = makeTables(16);

/** Word reads assume little-endian byte order; elsewhere we stay byte by byte. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function makeTables(count: number): Int32Array {
  const t = new Int32Array(count * 256);
  for (let b = 0; b < 256; b++) {
    let r = b;
    for (let bit = 0; bit < 8; bit++) r = r & 1 ? (r >>> 1) ^ POLY : r >>> 1;
    t[b] = r;
  }
  for (let k = 1; k < count; k++) {
    for (let b = 0; b < 256; b++) {
      const r = t[(k - 1) * 256 + b]!;
      t[k * 256 + b] = (r >>> 8) ^ t[r & 0xff]!;
    }
  }
  return t;
}

/** CRC-32C of bytes [start, end) of buf, as an unsigned 32-bit number. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  return wasm !== undefined && end - start >= WASM_MIN_BYTES
    ? wasm(buf, start, end)
    : crc32cJs(buf, start, end);
}

/** The same checksum in plain JS, slicing-by-8; the fallback and the reference for the WASM path. */
export function crc32cJs(buf: Uint8Array, start = 0, end = buf.length): number {
  checkRange(buf, start, end);
  let crc = ~0;
  let i = start;
  // Byte by byte up to a 4-byte boundary of the underlying memory, so the word view is aligned.
  while (i < end && ((buf.byteOffset + i) & 3) !== 0) crc = T[(crc ^ buf[i++]!) & 0xff]! ^ (crc >>> 8);
  const steps = LITTLE_ENDIAN ? (end - i) >>> 3 : 0;
  if (steps > 0) {
    const w = new Int32Array(buf.buffer, buf.byteOffset + i, steps * 2);
    for (let j = 0; j < w.length; j += 2) {
      const lo = crc ^ w[j]!;
      const hi = w[j + 1]!;
      crc =
        T[1792 + (lo & 0xff)]! ^
        T[1536 + ((lo >>> 8) & 0xff)]! ^
        T[1280 + ((lo >>> 16) & 0xff)]! ^
        T[1024 + (lo >>> 24)]! ^
        T[768 + (hi & 0xff)]! ^
        T[512 + ((hi >>> 8) & 0xff)]! ^
        T[256 + ((hi >>> 16) & 0xff)]! ^
        T[hi >>> 24]!;
    }
    i += steps * 8;
  }
  while (i < end) crc = T[(crc ^ buf[i++]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** Both paths reject a range outside the buffer rather than checksum bytes that are not there. */
function checkRange(buf: Uint8Array, start: number, end: number): void {
  if (!(0 <= start && start <= end && end <= buf.length)) {
    throw new RangeError(`crc32c range [${start}, ${end}) is outside a buffer of ${buf.length} bytes`);
  }
}

// The DOM and webworker libs type WebAssembly; this project compiles against neither, so declare
// the little of it used here.
declare const WebAssembly:
  | undefined
  | {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object) => { exports: Record<string, unknown> };
    };

/*
 * The module, as WAT in the flat (stack) form, which maps one to one onto the bytes built below.
 * Memory page 0 holds the sixteen tables (T above, filled from JS at load), page 1 the input
 * window. update(crc, len) folds bytes [65536, 65536 + len) into the CRC register crc (not
 * inverted; the caller does that) and returns the new register. A table index is taken as
 * (w >>> 8b - 2) & 0x3fc, byte b of word w already multiplied by 4, and the table's base rides in
 * the load's offset immediate: byte j of a 16-byte step looks up table 15 - j at (15 - j) * 1024.
 *
 * (module
 *   (memory (export "memory") 2 2)
 *   (func (export "update") (param $crc i32) (param $len i32) (result i32)
 *     (local $p i32) (local $end i32) (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32)
 *     i32.const 65536  local.set $p
 *     i32.const 65536  local.get $len  i32.const -16  i32.and  i32.add  local.set $end
 *     block
 *       loop                                    ;; 16 bytes a step
 *         local.get $p  local.get $end  i32.ge_u  br_if 1
 *         local.get $p  i32.load offset=0  local.get $crc  i32.xor  local.set $w0
 *         local.get $p  i32.load offset=4  local.set $w1
 *         local.get $p  i32.load offset=8  local.set $w2
 *         local.get $p  i32.load offset=12  local.set $w3
 *         ;; The twelve lookups of $w1..$w3 do not depend on $crc and are xored first; the four of
 *         ;; $w0 go last, in pairs, so only three xors lie between one step's $crc and the next.
 *         local.get $w1  i32.const 2   i32.shl    i32.const 0x3fc  i32.and  i32.load offset=11264
 *         local.get $w1  i32.const 6   i32.shr_u  i32.const 0x3fc  i32.and  i32.load offset=10240  i32.xor
 *         local.get $w1  i32.const 14  i32.shr_u  i32.const 0x3fc  i32.and  i32.load offset=9216  i32.xor
 *         local.get $w1  i32.const 22  i32.shr_u  i32.const 0x3fc  i32.and  i32.load offset=8192  i32.xor
 *         local.get $w2  i32.const 2   i32.shl    i32.const 0x3fc  i32.and  i32.load offset=7168  i32.xor
 *         local.get $w2  i32.const 6   i32.shr_u  i32.const 0x3fc  i32.and  i32.load offset=6144  i32.xor
 *         local.get $w2  i32.const 14  i32.shr_u  i32.const 0x3fc  i32.and  i32.load offset=5120  i32.xor
 *         local.get $w2  i32.const 22  i32.shr_u  i32.const 0x3fc  i32.and  i32.load offset=4096  i32.xor
 *         local.get $w3  i32.const 2   i32.shl    i32.const 0x3fc  i32.and  i32.load offset=3072  i32.xor
 *         local.get $w3  i32.const 6   i32.shr_u  i32.const 0x3fc  i32.and  i32.load offset=2048  i32.xor
 *         local.get $w3  i32.const 14  i32.shr_u  i32.const 0x3fc  i32.and  i32.load offset=1024  i32.xor
 *         local.get $w3  i32.const 22  i32.shr_u  i32.const 0x3fc  i32.and  i32.load offset=0  i32.xor
 *         local.get $w0  i32.const 2   i32.shl    i32.const 0x3fc  i32.and  i32.load offset=15360
 *         local.get $w0  i32.const 6   i32.shr_u  i32.const 0x3fc  i32.and  i32.load offset=14336  i32.xor
 *         local.get $w0  i32.const 14  i32.shr_u  i32.const 0x3fc  i32.and  i32.load offset=13312
 *         local.get $w0  i32.const 22  i32.shr_u  i32.const 0x3fc  i32.and  i32.load offset=12288  i32.xor
 *         i32.xor                               ;; the two pairs of $w0
 *         i32.xor                               ;; and the twelve of $w1..$w3
 *         local.set $crc
 *         local.get $p  i32.const 16  i32.add  local.set $p
 *         br 0
 *       end
 *     end
 *     i32.const 65536  local.get $len  i32.add  local.set $end
 *     block
 *       loop                                    ;; the last len % 16 bytes, one at a time
 *         local.get $p  local.get $end  i32.ge_u  br_if 1
 *         local.get $crc  local.get $p  i32.load8_u  i32.xor  i32.const 0xff  i32.and
 *         i32.const 2  i32.shl  i32.load offset=0
 *         local.get $crc  i32.const 8  i32.shr_u  i32.xor  local.set $crc
 *         local.get $p  i32.const 1  i32.add  local.set $p
 *         br 0
 *       end
 *     end
 *     local.get $crc))
 */

// Opcodes and types from the WebAssembly core specification (binary format, section 5).
const I32 = 0x7f;
const [BLOCK, LOOP, END, BR, BR_IF, VOID] = [0x02, 0x03, 0x0b, 0x0c, 0x0d, 0x40];
const [LOCAL_GET, LOCAL_SET, I32_LOAD, I32_LOAD8_U, I32_CONST] = [0x20, 0x21, 0x28, 0x2d, 0x41];
const [I32_GE_U, I32_ADD, I32_AND, I32_XOR, I32_SHL, I32_SHR_U] = [0x4f, 0x6a, 0x71, 0x73, 0x74, 0x76];
// Locals: the two parameters, then the six declared locals.
const [CRC, LEN, P, END_AT, W0] = [0, 1, 2, 3, 4];

/** Unsigned LEB128, for lengths, indices and load offsets. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n === 0 ? b : b | 0x80);
  } while (n !== 0);
  return out;
}

/** Signed LEB128, for i32.const. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** i32.load with alignment 2^2 and the given offset immediate. */
const load = (offset: number) => [I32_LOAD, 2, ...uleb(offset)];

/** Pushes table[byte b of local w]: (w >>> 8b - 2 or w << 2) & 0x3fc, loaded at table * 1024. */
function lookup(w: number, b: number, table: number): number[] {
  const shift = b === 0 ? [I32_CONST, 2, I32_SHL] : [I32_CONST, ...sleb(8 * b - 2), I32_SHR_U];
  return [LOCAL_GET, w, ...shift, I32_CONST, ...sleb(0x3fc), I32_AND, ...load(table * 1024)];
}

function updateBody(): number[] {
  // See the WAT above for the order of the xors: it is what makes the loop fast (about 1.6x).
  const fold: number[] = [];
  for (let j = 4; j < 16; j++) {
    fold.push(...lookup(W0 + (j >> 2), j & 3, 15 - j));
    if (j > 4) fold.push(I32_XOR);
  }
  fold.push(...lookup(W0, 0, 15), ...lookup(W0, 1, 14), I32_XOR);
  fold.push(...lookup(W0, 2, 13), ...lookup(W0, 3, 12), I32_XOR, I32_XOR, I32_XOR);
  const window = [I32_CONST, ...sleb(WINDOW_AT)];
  // prettier-ignore
  const code = [
    ...window, LOCAL_SET, P,
    ...window, LOCAL_GET, LEN, I32_CONST, ...sleb(-16), I32_AND, I32_ADD, LOCAL_SET, END_AT,
    BLOCK, VOID, LOOP, VOID,
      LOCAL_GET, P, LOCAL_GET, END_AT, I32_GE_U, BR_IF, 1,
      LOCAL_GET, P, ...load(0), LOCAL_GET, CRC, I32_XOR, LOCAL_SET, W0,
      LOCAL_GET, P, ...load(4), LOCAL_SET, W0 + 1,
      LOCAL_GET, P, ...load(8), LOCAL_SET, W0 + 2,
      LOCAL_GET, P, ...load(12), LOCAL_SET, W0 + 3,
      ...fold, LOCAL_SET, CRC,
      LOCAL_GET, P, I32_CONST, 16, I32_ADD, LOCAL_SET, P,
      BR, 0,
    END, END,
    ...window, LOCAL_GET, LEN, I32_ADD, LOCAL_SET, END_AT,
    BLOCK, VOID, LOOP, VOID,
      LOCAL_GET, P, LOCAL_GET, END_AT, I32_GE_U, BR_IF, 1,
      LOCAL_GET, CRC, LOCAL_GET, P, I32_LOAD8_U, 0, 0, I32_XOR, I32_CONST, ...sleb(0xff), I32_AND,
      I32_CONST, 2, I32_SHL, ...load(0),
      LOCAL_GET, CRC, I32_CONST, 8, I32_SHR_U, I32_XOR, LOCAL_SET, CRC,
      LOCAL_GET, P, I32_CONST, 1, I32_ADD, LOCAL_SET, P,
      BR, 0,
    END, END,
    LOCAL_GET, CRC,
    END,
  ];
  const locals = [1, 6, I32]; // one run of six i32 locals
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/** A UTF-8 name as the binary format spells it: length, then bytes (ASCII here). */
const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

function moduleBytes(): Uint8Array {
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, [1, 0x60, 2, I32, I32, 1, I32]), // type 0: (i32, i32) -> i32
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0x01, 2, 2]), // one memory, min 2 max 2 pages
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('update'), 0x00, 0]),
    ...section(10, [1, ...updateBody()]),
  ]);
}

type Crc32c = (buf: Uint8Array, start?: number, end?: number) => number;

function loadWasm(): Crc32c | undefined {
  if (typeof WebAssembly === 'undefined') return undefined;
  let exports: Record<string, unknown>;
  try {
    exports = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes())).exports;
  } catch {
    return undefined;
  }
  const memory = (exports.memory as { buffer: ArrayBuffer }).buffer;
  const update = exports.update as (crc: number, len: number) => number;
  // WASM memory is little-endian whatever the host, hence a DataView rather than an Int32Array.
  const tables = new DataView(memory, 0, T.byteLength);
  for (let i = 0; i < T.length; i++) tables.setInt32(i * 4, T[i]!, true);
  // The memory never grows (max 2 pages), so this view stays attached.
  const window = new Uint8Array(memory, WINDOW_AT, WINDOW_SIZE);
  return (buf, start = 0, end = buf.length) => {
    checkRange(buf, start, end);
    let crc = ~0;
    for (let i = start; i < end; i += WINDOW_SIZE) {
      const n = Math.min(WINDOW_SIZE, end - i);
      window.set(buf.subarray(i, i + n));
      crc = update(crc, n);
    }
    return ~crc >>> 0;
  };
}

/**
 * The same checksum always through WebAssembly, whatever the length; undefined where WebAssembly
 * is unavailable. Exported for the tests and bench/crc32c.mjs. Last in the file: building the
 * module needs the constants above.
 */
export const crc32cWasm: Crc32c | undefined = loadWasm();
const wasm = crc32cWasm;
