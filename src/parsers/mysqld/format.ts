import { defineParser } from '../define-parser.js';
import { createStream } from '../shared/stream.js';
import { createSyslogDispatcher } from '../syslog/dispatch.js';
import { parseEnvelope } from '../syslog/envelope.js';
import { bareMessage, withDispatcherState } from '../syslog/line-parser.js';
import { parseMysqlMessage } from './message.js';
import { mysqlNativeHead } from './native.js';

export const mysqldParser = defineParser({
  name: 'mysqld',
  description: 'MySQL / MariaDB error log (own file or syslog): access denied records',
  create(ctx) {
    const stream = createStream(ctx);
    const d = createSyslogDispatcher(stream);
    return withDispatcherState((line) => {
      const head = mysqlNativeHead(line, stream.local);
      if (head !== null) {
        const ev = stream.event(line, head[0], 'mysqld');
        parseMysqlMessage(line.slice(head[1]), ev);
        return stream.done(ev, head[0]);
      }
      const env = parseEnvelope(line, stream);
      if (env !== null) return d.handle(line, env);
      return bareMessage(line, stream, d, 'mysqld');
    }, d);
  },
});
