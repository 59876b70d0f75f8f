import { Readable } from 'node:stream';

/**
 * Feed a readable stream to `onChunks`, handing over everything buffered at once and awaiting
 * the handler before reading more: paused-mode reads, so a slow consumer pushes back on the
 * producer (the pipe fills, the writer blocks) instead of growing memory.
 * Resolves 'end' at EOF (or when the stream is closed), 'aborted' when `signal` aborts;
 * rejects on a stream error.
 */
export async function pumpStream(
  input: NodeJS.ReadableStream,
  signal: AbortSignal,
  onChunks: (chunks: Buffer[]) => Promise<void>,
): Promise<'end' | 'aborted'> {
  const stream = input instanceof Readable ? input : new Readable().wrap(input);
  let ended = stream.readableEnded;
  let closed = false;
  let failure: unknown;
  const onEnd = () => {
    ended = true;
  };
  const onClose = () => {
    closed = true;
  };
  const onError = (err: unknown) => {
    failure = err;
  };
  stream.on('end', onEnd);
  stream.on('close', onClose);
  stream.on('error', onError);
  try {
    for (;;) {
      if (signal.aborted) return 'aborted';
      if (failure !== undefined) throw failure;
      const chunks: Buffer[] = [];
      for (let c = stream.read(); c !== null; c = stream.read()) {
        chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
      }
      if (chunks.length > 0) {
        await onChunks(chunks);
        continue;
      }
      if (ended || closed || stream.destroyed) return 'end';
      await new Promise<void>((resolve) => {
        const done = () => {
          stream.off('readable', done);
          stream.off('end', done);
          stream.off('close', done);
          stream.off('error', done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        stream.on('readable', done);
        stream.on('end', done);
        stream.on('close', done);
        stream.on('error', done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  } finally {
    stream.off('end', onEnd);
    stream.off('close', onClose);
    stream.off('error', onError);
  }
}
