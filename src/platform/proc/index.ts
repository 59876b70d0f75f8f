export { type TcpSocket, parseNetTcp } from './net-tcp.js';
export { PF_KTHREAD, type ProcStat, parseBootTime, parseCmdline, parseStat, parseStatusUids } from './parse-stat.js';
export { createProcFs, type Listener, type ProcessInfo, type ProcFs } from './proc-fs.js';
