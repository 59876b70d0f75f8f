import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newWindow, type WindowAcc } from './features.js';
import { OpenWindows } from './open-windows.js';

describe('OpenWindows', () => {
  it('answers as a plain Map would, whatever the order of look-ups, sets, deletes and clears', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ op: fc.constantFrom('get', 'set', 'delete', 'clear'), key: fc.nat({ max: 6 }) }), {
          maxLength: 300,
        }),
        (ops) => {
          const open = new OpenWindows();
          const model = new Map<string, WindowAcc>();
          for (const { op, key } of ops) {
            // A fresh string each time, as a parsed field is: equal text, another object.
            const k = `10.0.0.${key}`.slice(0);
            if (op === 'get') expect(open.get(k)).toBe(model.get(k));
            else if (op === 'set') {
              const w = newWindow();
              open.set(k, w);
              model.set(k, w);
            } else if (op === 'delete') expect(open.delete(k)).toBe(model.delete(k));
            else {
              open.clear();
              model.clear();
            }
            expect(open.size).toBe(model.size);
          }
          expect([...open]).toEqual([...model]);
        },
      ),
    );
  });
});
