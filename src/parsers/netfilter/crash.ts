import type { EcsEvent } from '../../core/event.js';

/**
 * The kernel's note of a user process killed by a fault, with the file mapped where it faulted:
 *
 *   su[1433535]: segfault at 7f1f9b891000 ip 00007f1f9b870d7d sp 00007ffd5dab97f0 error 6 in ld-linux-x86-64.so.2[7f1f9b85e000+25000] likely on CPU 2 (core 2, socket 0)
 *   traps: su[1436247] general protection fault ip:7f69e59efd7d sp:7ffff8da8b50 error:0 in ld-2.31.so[7f69e59dd000+25000]
 *
 * The process name is the program's own (`comm`, 15 characters at most, which its owner can
 * set), the file the mapping's. No address: these are about the host's programs.
 */
const SEGFAULT =
  /^(.{1,16}?)\[(\d{1,10})\]: segfault at [0-9a-f]+ ip [0-9a-f]+ sp [0-9a-f]+ error \d+(?: in (\S+?)\[[0-9a-f]+\+[0-9a-f]+\])?/;
const TRAP =
  /^traps: (.{1,16}?)\[(\d{1,10})\] (general protection fault|trap [a-z ]+?) ip:[0-9a-f]+ sp:[0-9a-f]+ error:[0-9a-f]+(?: in (\S+?)\[[0-9a-f]+\+[0-9a-f]+\])?/;
const CATEGORY_PROCESS: readonly string[] = Object.freeze(['process']);
const TYPE_END: readonly string[] = Object.freeze(['end', 'error']);

/** Fill `ev` from a kernel message (after its `[uptime]` stamp); false when it is no fault record. */
export function fillProcessCrash(msg: string, ev: EcsEvent): boolean {
  let name: string;
  let pid: string;
  let kind: string;
  let module: string | undefined;
  const seg = msg.charCodeAt(0) === 116 && msg.startsWith('traps: ') ? null : SEGFAULT.exec(msg);
  if (seg !== null) {
    [name, pid, kind, module] = [seg[1]!, seg[2]!, 'segfault', seg[3]];
  } else {
    const trap = msg.startsWith('traps: ') ? TRAP.exec(msg) : null;
    if (trap === null) return false;
    [name, pid, kind, module] = [trap[1]!, trap[2]!, trap[3]!, trap[4]];
  }
  ev['event.dataset'] = 'kernel';
  ev['event.category'] = CATEGORY_PROCESS;
  ev['event.type'] = TYPE_END;
  ev['event.action'] = 'process_crash';
  ev['error.type'] = kind;
  ev['process.name'] = name;
  ev['process.pid'] = Number(pid);
  if (module !== undefined) ev['leuko.crash.module'] = module;
  return true;
}
