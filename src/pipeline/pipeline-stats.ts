/** Counters of the whole pipeline; exposed by `leuko status`, replay output and metrics. */
export interface PipelineStats {
  lines: number;
  events: number;
  unparsed: number;
  /**
   * Lines skipped as a copy of a line another source gave moments before (one syslog record
   * written to two files: see cross-source-dedup.ts); counted in `lines`, not parsed again.
   */
  duplicates: number;
  /**
   * Lines of a record its writer split over several lines with a client's text, or may have cut
   * at its limit (nginx's error log: see parsers/shared/record-gate.ts): counted and skipped.
   */
  untrustedRecordLines: number;
  /** Lines a parser threw on (a bug, never the input's fault): counted and skipped. */
  parserErrors: number;
  /** Events an enricher threw on: the event went on without that enricher's fields. */
  enricherErrors: number;
  /** Events a detector threw on: counted, and the other detectors still ran. */
  detectorErrors: number;
  detections: number;
  incidents: number;
  decisions: number;
  suppressedByAllowlist: number;
  /** Detections dropped by an accepted suppression (leuko feedback --false-positive). */
  suppressedByFeedback: number;
  batches: number;
  /** Event time of the newest event seen (ms), 0 before the first. */
  lastEventTime: number;
}

export function emptyPipelineStats(): PipelineStats {
  return {
    lines: 0,
    events: 0,
    unparsed: 0,
    duplicates: 0,
    untrustedRecordLines: 0,
    parserErrors: 0,
    enricherErrors: 0,
    detectorErrors: 0,
    detections: 0,
    incidents: 0,
    decisions: 0,
    suppressedByAllowlist: 0,
    suppressedByFeedback: 0,
    batches: 0,
    lastEventTime: 0,
  };
}
