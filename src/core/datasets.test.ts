import { describe, expect, it } from 'vitest';
import { loadDataFile } from '../detectors/scenarios/filter/data-file.js';
import { builtinDataDir } from '../detectors/scenarios/paths.js';
import { HTTP_ACCESS_DATASETS } from './datasets.js';

describe('HTTP access datasets', () => {
  it('are the ones the built-in web scenarios read (rules/data/http_access.txt)', () => {
    expect([...loadDataFile('http_access.txt', [builtinDataDir()])].sort()).toEqual([...HTTP_ACCESS_DATASETS].sort());
  });
});
