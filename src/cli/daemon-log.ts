import pc from 'picocolors';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export type DaemonLog = (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;

const RANK: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 99 };

/**
 * The daemon's own log on stderr, per the config's `log:` section: text for people, or one
 * JSON object per line (pino-compatible `level`, `time`, `msg`) for log shippers.
 */
export function createDaemonLog(opts: { level: LogLevel; format: 'text' | 'json' }, now: () => number): DaemonLog {
  const min = RANK[opts.level];
  return (level, message, details) => {
    if (RANK[level] < min) return;
    if (opts.format === 'json') {
      process.stderr.write(`${JSON.stringify({ level: RANK[level], time: now(), msg: message, ...details })}\n`);
      return;
    }
    const color = level === 'error' ? pc.red : level === 'warn' ? pc.yellow : pc.dim;
    process.stderr.write(`${color(level)} ${message}${details ? ` ${JSON.stringify(details)}` : ''}\n`);
  };
}
