import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from '../store/canonical-json.js';

/** What agents and the hive publish: detections, decisions, healing steps, heartbeats, trust. */
export type FleetKind = 'detection' | 'decision' | 'healing' | 'heartbeat' | 'agent' | 'lift' | 'rules' | 'config';

/**
 * A signed fleet message. The signature covers the canonical JSON of every other field, so
 * neither the body nor who sent it, nor when, nor what kind it claims to be can be changed
 * without the signature failing on every receiver.
 */
export interface Envelope<T = unknown> {
  readonly v: 1;
  readonly kind: FleetKind;
  /** The signer's agent id (the hive signs as `hive`). */
  readonly agent: string;
  /** Wall-clock ms at signing. */
  readonly at: number;
  /** Unique per message: JetStream de-duplicates re-sends after a reconnect on it. */
  readonly id: string;
  readonly body: T;
  /** Ed25519 over canonicalJson(envelope without sig), base64. */
  readonly sig: string;
}

export interface FleetKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The public key as base64 of its raw 32 bytes: what enrollment stores and configs carry. */
  readonly publicKeyText: string;
}

/** A new Ed25519 key pair. */
export function generateFleetKey(): FleetKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, publicKeyText: publicKeyToText(publicKey) };
}

/** Read a PKCS#8 PEM private key (as `leuko fleet keygen` writes it). */
export function fleetKeyFromPem(pem: string): FleetKeyPair {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the fleet key must be an Ed25519 key');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyText: publicKeyToText(publicKey) };
}

export function fleetKeyToPem(key: FleetKeyPair): string {
  return key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Raw 32-byte Ed25519 public key, base64: short enough for a config line. */
export function publicKeyToText(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as { x?: string };
  if (!jwk.x) throw new Error('not an Ed25519 public key');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

/** Undefined when the text is not a 32-byte Ed25519 public key. */
export function publicKeyFromText(text: string): KeyObject | undefined {
  try {
    const raw = Buffer.from(text.trim(), 'base64');
    if (raw.length !== 32) return undefined;
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

function signedText(e: Omit<Envelope, 'sig'>): Buffer {
  return Buffer.from(canonicalJson({ v: e.v, kind: e.kind, agent: e.agent, at: e.at, id: e.id, body: e.body }));
}

export function signEnvelope<T>(
  key: FleetKeyPair,
  fields: { kind: FleetKind; agent: string; at: number; id: string; body: T },
): Envelope<T> {
  const unsigned = { v: 1 as const, ...fields };
  return { ...unsigned, sig: sign(null, signedText(unsigned), key.privateKey).toString('base64') };
}

/** The result of reading bytes off the bus: a well-formed envelope, or why not. */
export type ParsedEnvelope = { ok: true; envelope: Envelope } | { ok: false; reason: string };

/** Parse without trusting anything yet (the signature is checked against the signer's key later). */
export function parseEnvelope(bytes: Uint8Array): ParsedEnvelope {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof raw !== 'object' || raw === null) return { ok: false, reason: 'not an object' };
  const e = raw as Record<string, unknown>;
  if (e.v !== 1) return { ok: false, reason: `unknown envelope version ${String(e.v)}` };
  for (const k of ['kind', 'agent', 'id', 'sig'] as const) {
    if (typeof e[k] !== 'string' || e[k] === '') return { ok: false, reason: `missing ${k}` };
  }
  if (typeof e.at !== 'number' || !Number.isFinite(e.at)) return { ok: false, reason: 'missing at' };
  if (!('body' in e)) return { ok: false, reason: 'missing body' };
  return { ok: true, envelope: e as unknown as Envelope };
}

/** True when `sig` is the signer's signature over the envelope. */
export function verifyEnvelope(e: Envelope, publicKey: KeyObject): boolean {
  try {
    return verify(null, signedText(e), publicKey, Buffer.from(e.sig, 'base64'));
  } catch {
    return false;
  }
}

export function encodeEnvelope(e: Envelope): Uint8Array {
  return Buffer.from(JSON.stringify(e));
}
