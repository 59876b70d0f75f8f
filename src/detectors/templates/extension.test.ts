import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuntime } from '../../cli/context.js';
import { createManualClock } from '../../core/clock.js';
import type { Detector } from '../../core/detector.js';
import type { EcsEvent } from '../../core/event.js';
import { createSequentialIds } from '../../core/ids.js';
import { assemblePipeline } from '../../pipeline/assemble.js';
import { detectorStateKey } from '../../pipeline/processor.js';
import { openSqliteStore } from '../../store/index.js';
import { createTemplateEnricher, createTemplatesStateDetector, TEMPLATES_DETECTOR } from './extension.js';
import { TemplateModels } from './models.js';

function pipeline(dir: string, models: TemplateModels, seen: EcsEvent[]) {
  const runtime = loadRuntime({});
  if (!runtime) throw new Error('no runtime');
  const store = openSqliteStore({ dir });
  const collector: Detector = {
    name: 'collector',
    acceptsUnparsed: true,
    process(obs) {
      seen.push({ ...obs.event });
      return [];
    },
  };
  return {
    store,
    assembled: () =>
      assemblePipeline({
        settings: runtime.settings,
        store,
        clock: createManualClock(Date.UTC(2026, 11, 6)),
        ids: createSequentialIds(),
        formatFor: () => 'auto',
        persistEngineState: true,
        extensions: {
          enrichers: [createTemplateEnricher(models)],
          detectors: [createTemplatesStateDetector(models), collector],
        },
      }),
  };
}

describe('templates in the pipeline', () => {
  it('gives parsed and unparsed lines a template id, and the ids survive a restart through the store', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'leuko-templates-'));
    const seen: EcsEvent[] = [];
    const first = pipeline(dir, new TemplateModels({ maxTemplates: 1000 }), seen);
    await first.store.migrate();
    const p1 = first.assembled();
    await p1.processor.processBatch({
      sourceId: 'auth',
      checkpoint: '{"offset":1}',
      lines: [
        'Dec  6 10:00:01 web1 sshd[12]: Accepted publickey for bob from 10.0.0.2 port 5000 ssh2',
        '%%% not a log line anyone parses %%%',
        'Dec  6 10:00:02 web1 sshd[13]: Accepted publickey for eve from 10.0.0.3 port 5001 ssh2',
      ],
    });
    await p1.processor.flush();
    expect(seen.map((e) => e['leuko.template.id'])).toEqual(['E1', 'E2', 'E1']);
    expect(seen[1]?.['event.dataset']).toBe('unparsed');
    expect(seen[2]?.['leuko.template.text']).toBe('sshd: Accepted publickey for <*> from <*> port <*> ssh2');
    expect(await first.store.loadState(detectorStateKey(TEMPLATES_DETECTOR))).toBeDefined();
    await first.store.close();

    // "Restart": fresh models, restored the way the daemon restores detectors.
    const seen2: EcsEvent[] = [];
    const models = new TemplateModels({ maxTemplates: 1000 });
    const second = pipeline(dir, models, seen2);
    const state = await second.store.loadState(detectorStateKey(TEMPLATES_DETECTOR));
    if (state === undefined) throw new Error('no saved templates');
    models.restore(state);
    const p2 = second.assembled();
    await p2.processor.processBatch({
      sourceId: 'auth',
      lines: [
        '%%% not a log line anyone parses %%%',
        'Dec  6 11:00:00 web1 sshd[14]: Accepted publickey for kim from 10.0.0.4 port 5002 ssh2',
        'Dec  6 11:00:01 web1 sshd[14]: Connection closed by 10.0.0.4 port 5002',
      ],
    });
    expect(seen2.map((e) => e['leuko.template.id'])).toEqual(['E2', 'E1', 'E3']);
    await second.store.close();
  });
});
