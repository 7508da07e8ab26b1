// The local model kept between runs: local-model.bin in the data folder, beside tandem.db. Loading it takes
// milliseconds where fitting the model again from a large decision log takes seconds. The file holds what the model
// predicts with and updates from — the vocabulary (word stems, stem pairs, character n-grams), the weights, the
// calibration temperature, each example's text (the maps' phrases and the decided tickets' readable text, as the
// model quotes the nearest one) and vector, the decided tickets' ids with their intents, and the place in the
// decision log it has learned up to — and nothing else: no requester, no field value, no secret.
//
// Layout: a 32-byte prefix (magic, format, byte order, header length, CRC-32 of the rest, total length), a JSON header,
// then the number arrays as raw little-endian sections, each starting on an 8-byte boundary.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rm, rename } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import type { ClassifierState } from '../local-classifier.ts';
import { runSliced, runToEnd } from './linear.ts';

export const MODEL_FILE = 'local-model.bin';

/** Bump when the layout below changes: a file of another format is not read (the model is fitted again). */
export const MODEL_FILE_FORMAT = 1;

const MAGIC = 'TANDEMLM';
const PREFIX = 32;
const BYTE_ORDER = 0x01020304;
/** CRC and encoding work between two pauses, so saving a large model never holds the thread for long. */
const CHUNK = 1 << 20;

/** What a model was built from, part by part: a saved model is used only when every part is the same now. */
export interface ModelKey {
  /** The model's code (LOCAL_MODEL_ID and the trainer's version). */
  code: string;
  /** The classifier's settings. */
  settings: string;
  /** The maps' ids, in order, with their example phrases. */
  maps: string;
  /** The workspace's labelled history (`triage.learn_from`). */
  learned: string;
}

export interface SavedModel {
  key: ModelKey;
  classifier: ClassifierState;
  /** The decision log learned: the last decision read, its chain mark, and each decided ticket's intent. */
  experience: { cursor: number; mark: string; intents: [string, string][] };
}

export type ModelRead = { saved: SavedModel } | { why: string };

/** Where the model is kept. */
export interface ModelStore {
  readonly path: string;
  /** The saved model, or why there is none to use (no file yet, a damaged one). Never throws. */
  read(): ModelRead;
  /**
   * Writes the model without holding the thread: encoded in slices, written to a temporary file that then replaces
   * the old one. False: a write begun later has the last word, and this one was dropped.
   */
  write(saved: SavedModel): Promise<boolean>;
  /** The same, at once (closing the app). */
  writeSync(saved: SavedModel): void;
}

type Kind = 'f32' | 'f64' | 'i32';
const ARRAYS = { f32: Float32Array, f64: Float64Array, i32: Int32Array } as const;

const HeaderSchema = z.object({
  key: z.object({ code: z.string(), settings: z.string(), maps: z.string(), learned: z.string() }),
  settings: z.record(z.string(), z.number()),
  intents: z.array(z.string()),
  terms: z.array(z.string()),
  charWeight: z.number(),
  temperature: z.number(),
  texts: z.array(z.string()),
  keys: z.array(z.string().nullable()),
  knownStems: z.array(z.string()),
  fingerprint: z.string(),
  trainMs: z.number(),
  fullFitSize: z.number(),
  updates: z.number(),
  experience: z.object({ cursor: z.number(), mark: z.string(), intents: z.array(z.tuple([z.string(), z.string()])) }),
  sections: z.array(z.tuple([z.string(), z.enum(['f32', 'f64', 'i32']), z.number().int().nonnegative()])),
});

const SECTIONS = ['weights', 'alpha', 'idf', 'intent', 'ptr', 'idx', 'val'] as const;

/** The file's bytes, in chunks: the number arrays are views on the model's own (nothing large is copied). */
export function* encodeSteps(saved: SavedModel): Generator<void, Buffer[]> {
  const c = saved.classifier;
  const arrays: Record<(typeof SECTIONS)[number], Float32Array | Float64Array | Int32Array> = {
    weights: c.weights,
    alpha: c.alpha,
    idf: c.vectorizer.idf,
    intent: c.examples.intent,
    ptr: c.examples.vectors.ptr,
    idx: c.examples.vectors.idx,
    val: c.examples.vectors.val,
  };
  const kindOf = (a: Float32Array | Float64Array | Int32Array): Kind => (a instanceof Float32Array ? 'f32' : a instanceof Float64Array ? 'f64' : 'i32');
  const header: z.infer<typeof HeaderSchema> = {
    key: saved.key,
    settings: c.settings,
    intents: c.intents,
    terms: c.vectorizer.terms,
    charWeight: c.vectorizer.charWeight,
    temperature: c.temperature,
    texts: c.examples.text,
    keys: c.examples.key,
    knownStems: c.knownStems,
    fingerprint: c.fingerprint,
    trainMs: c.trainMs,
    fullFitSize: c.fullFitSize,
    updates: c.updates,
    experience: saved.experience,
    sections: SECTIONS.map((name) => [name, kindOf(arrays[name]), arrays[name].length]),
  };
  yield;
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  yield;
  const chunks: Buffer[] = [json, padding(json.length)];
  for (const name of SECTIONS) {
    const a = arrays[name];
    const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    chunks.push(bytes, padding(bytes.length));
  }
  let crc = 0;
  let length = PREFIX;
  for (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += CHUNK) {
      crc = crc32(chunk.subarray(at, at + CHUNK), crc);
      yield;
    }
    length += chunk.length;
  }
  const prefix = Buffer.alloc(PREFIX);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(MODEL_FILE_FORMAT, 8);
  new Uint32Array(prefix.buffer, prefix.byteOffset + 12, 1)[0] = BYTE_ORDER; // the arrays' own byte order
  prefix.writeUInt32LE(json.length, 16);
  prefix.writeUInt32LE(crc >>> 0, 20);
  prefix.writeDoubleLE(length, 24);
  return [prefix, ...chunks];
}

export function encodeModel(saved: SavedModel): Buffer[] {
  return runToEnd(encodeSteps(saved));
}

/** The model in a file's bytes; throws with what is wrong when they are not a whole, readable model file. */
export function decodeModel(bytes: Buffer): SavedModel {
  if (bytes.length < PREFIX || bytes.toString('latin1', 0, 8) !== MAGIC) throw new Error('it is not a Tandem model file');
  const format = bytes.readUInt32LE(8);
  if (format !== MODEL_FILE_FORMAT) throw new Error(`it is in format ${format}, and this version of Tandem reads format ${MODEL_FILE_FORMAT}`);
  if (Buffer.from(Uint32Array.of(BYTE_ORDER).buffer).compare(bytes, 12, 16) !== 0) throw new Error('it was written on a machine of another byte order');
  const length = bytes.readDoubleLE(24);
  if (length !== bytes.length) throw new Error(`it is ${bytes.length} bytes long where ${length} were written`);
  if ((crc32(bytes.subarray(PREFIX)) >>> 0) !== bytes.readUInt32LE(20)) throw new Error('its checksum does not match: the file is damaged');
  const headerLength = bytes.readUInt32LE(16);
  const parsed = HeaderSchema.safeParse(JSON.parse(bytes.toString('utf8', PREFIX, PREFIX + headerLength)));
  if (!parsed.success) throw new Error(`its header is not a model's (${parsed.error.issues[0]?.path.join('.') ?? '?'})`);
  const h = parsed.data;
  let at = align(PREFIX + headerLength);
  const found = new Map<string, Float32Array | Float64Array | Int32Array>();
  for (const [name, kind, count] of h.sections) {
    const Array_ = ARRAYS[kind];
    const size = count * Array_.BYTES_PER_ELEMENT;
    if (at + size > bytes.length) throw new Error(`its ${name} section runs past the end`);
    // Each array gets its own memory: a view would keep the whole file's bytes alive as long as any one of them.
    const own = new Uint8Array(size);
    own.set(bytes.subarray(at, at + size));
    found.set(name, new Array_(own.buffer));
    at = align(at + size);
  }
  const section = <K extends Kind>(name: (typeof SECTIONS)[number], kind: K): InstanceType<(typeof ARRAYS)[K]> => {
    const a = found.get(name);
    if (!(a instanceof ARRAYS[kind])) throw new Error(`its ${name} section is missing`);
    return a as InstanceType<(typeof ARRAYS)[K]>;
  };
  const ptr = section('ptr', 'i32');
  return {
    key: h.key,
    experience: h.experience,
    classifier: {
      settings: h.settings,
      intents: h.intents,
      vectorizer: { terms: h.terms, idf: section('idf', 'f64'), charWeight: h.charWeight },
      weights: section('weights', 'f32'),
      alpha: section('alpha', 'f64'),
      temperature: h.temperature,
      examples: { intent: section('intent', 'i32'), text: h.texts, key: h.keys, vectors: { ptr, idx: section('idx', 'i32'), val: section('val', 'f64'), length: Math.max(0, ptr.length - 1) } },
      knownStems: h.knownStems,
      fingerprint: h.fingerprint,
      trainMs: h.trainMs,
      fullFitSize: h.fullFitSize,
      updates: h.updates,
    },
  };
}

/** The model file at `path`. Writes replace it whole (temporary file, then rename); a later write always wins. */
export function createModelFile(path: string): ModelStore {
  let started = 0;
  const temp = (n: number) => `${path}.${process.pid}.${n}.tmp`;
  return {
    path,
    read() {
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return { why: code === 'ENOENT' ? 'there is no saved model yet' : `the saved model could not be read (${code ?? (err as Error).message})` };
      }
      try {
        return { saved: decodeModel(bytes) };
      } catch (err) {
        return { why: `the saved model cannot be used: ${(err as Error).message}` };
      }
    },
    async write(saved) {
      const n = ++started;
      const chunks = await runSliced(encodeSteps(saved));
      const tmp = temp(n);
      try {
        const file = await open(tmp, 'w', 0o600);
        try {
          for (const chunk of chunks) {
            for (let done = 0; done < chunk.length; ) done += (await file.write(chunk, done, chunk.length - done)).bytesWritten;
          }
          await file.sync();
        } finally {
          await file.close();
        }
        // A write begun later (a newer model, or the one made as the app closed) has the last word.
        if (n !== started) {
          await rm(tmp, { force: true });
          return false;
        }
        await rename(tmp, path);
        return true;
      } catch (err) {
        await rm(tmp, { force: true }).catch(() => undefined);
        throw err;
      }
    },
    writeSync(saved) {
      const n = ++started;
      const chunks = encodeModel(saved);
      const tmp = temp(n);
      try {
        const fd = openSync(tmp, 'w', 0o600);
        try {
          for (const chunk of chunks) for (let done = 0; done < chunk.length; ) done += writeSync(fd, chunk, done);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, path);
      } catch (err) {
        rmSync(tmp, { force: true });
        throw err;
      }
    },
  };
}

function align(n: number): number {
  return Math.ceil(n / 8) * 8;
}

function padding(n: number): Buffer {
  return Buffer.alloc(align(n) - n);
}
