import { z } from 'zod';
import { duration } from './fields.js';

/**
 * `intel:` threat-intelligence feeds. Each feed is a file or an HTTP(S) URL in one of four
 * formats; HTTP feeds are re-fetched every `refresh` with ETag / If-Modified-Since, so an
 * unchanged feed costs one 304. Matches on an address ask for `action` for `duration`, capped
 * by the entry's own expiry (STIX `valid_until`) and by twice the refresh interval, so an
 * entry the feed drops stops being enforced soon after.
 *
 * @example
 * intel:
 *   feeds:
 *     - { name: abuse, url: https://feeds.example/ips.txt, format: plain, refresh: 1h, action: ban, duration: 24h }
 *     - { name: local-stix, path: /etc/leuko/intel/bundle.json, format: stix }
 */
const feedSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/i, 'letters, digits, `_.-`')
      .meta({ description: 'Feed name; detections are `intel/<name>`' }),
    url: z
      .string()
      .regex(/^https?:\/\//, 'an http:// or https:// URL')
      .optional(),
    path: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'A file (or a MISP feed folder with manifest.json), relative to the config file' }),
    format: z.enum(['plain', 'csv', 'stix', 'misp']).default('plain'),
    refresh: duration('How often an HTTP feed is re-fetched', { min: 60 }).default(3600),
    action: z.enum(['ban', 'captcha', 'notify']).default('ban'),
    duration: duration('How long a match is acted on (capped by the entry expiry)', { min: 1 }).default(24 * 3600),
    csv: z
      .strictObject({
        column: z.union([z.number().int().min(0), z.string().min(1)]).default(0),
        delimiter: z.string().length(1).default(','),
        header: z.boolean().default(false),
      })
      .optional(),
  })
  .refine((f) => (f.url === undefined) !== (f.path === undefined), { message: 'give exactly one of `url` or `path`' });

export const intelSchema = z
  .strictObject({
    feeds: z.array(feedSchema).default([]),
  })
  .optional();

export type IntelFeedConfig = z.output<typeof feedSchema>;
