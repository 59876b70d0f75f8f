import { spawn } from 'node:child_process';

/**
 * True when `journalctl` runs and shows at least one entry. A binary that exists but finds no
 * journal (containers, systems with journald off: it exits 0 and prints nothing, or "No
 * journal files were found.") counts as unavailable: following it would produce nothing, and
 * the user is better told to tail files instead. A running journald always has entries of
 * its own, so "no entry" does not wrongly reject a working one.
 */
export function journaldAvailable(command = 'journalctl', timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    let stderr = '';
    let sawEntry = false;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, ['--lines=1', '--output=json', '--no-pager'], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      if (d.includes(0x7b)) sawEntry = true; // '{': a JSON entry
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-2048);
    });
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 && sawEntry && !/no journal files/i.test(stderr));
    });
  });
}
