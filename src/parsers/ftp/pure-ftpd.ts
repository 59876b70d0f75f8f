import { parsePeer, setPeer } from '../shared/address.js';
import { AUTHENTICATION, NETWORK } from '../shared/stream.js';
import type { ProgramHandler } from '../syslog/handler.js';
import { ftpLogin } from './login.js';
import { ftpPamRecord } from './pam.js';

/**
 * Pure-FTPd's own failure message, in the languages it ships (fail2ban's list): the user name
 * is in brackets, and the message ends the record.
 */
const AUTH_FAILED = new RegExp(
  `^(?:${[
    'Authentication failed for user \\[(.*)\\]',
    'Godkendelse mislykkedes for \\[(.*)\\]',
    'Authentifizierung fehlgeschlagen für Benutzer \\[(.*)\\]\\.',
    'Autentificación fallida para el usuario \\[(.*)\\]',
    "Erreur d'authentification pour l'utilisateur \\[(.*)\\]",
    'Azonosítás sikertelen \\[(.*)\\] felhasználónak',
    "Autenticazione falita per l'utente \\[(.*)\\]",
    'Autorisatie faalde voor gebruiker \\[(.*)\\]',
    'Godkjennelse mislyktes for \\[(.*)\\]',
    'Autenticação falhou para usuário \\[(.*)\\]',
    'Autentificare esuata pentru utilizatorul \\[(.*)\\]',
    'Autentifikace uživatele selhala \\[(.*)\\]',
    'Autentyfikacja nie powiodła się dla użytkownika \\[(.*)\\]',
    'Autentifikacia uzivatela zlyhala \\[(.*)\\]',
    'Behörighetskontroll misslyckas för användare \\[(.*)\\]',
    'Авторизация не удалась пользователю \\[(.*)\\]',
  ].join('|')})$`,
  's',
);
const DISABLED = /^Can't login as \[(.*)\]: account disabled/s;
const LOGGED_IN = /^(.+) is now logged in$/s;

/**
 * Pure-FTPd (syslog only): `(ACCOUNT@HOST) [LEVEL] MESSAGE`, and PAM's records for it. ACCOUNT is `?` until the login
 * succeeds, then the account that logged in, never what a client typed; HOST is the client
 * address (or its name without `DontResolve`). The user a failed login tried is in MESSAGE.
 */
export function createPureFtpdHandler(): ProgramHandler {
  return (env, ev) => {
    ev['event.dataset'] = 'pure-ftpd';
    const m = env.msg;
    const pam = ftpPamRecord(m, ev);
    if (pam !== undefined) return pam;
    if (m.charCodeAt(0) !== 40) return true;
    const close = m.indexOf(') [');
    if (close < 0) return true;
    const atSign = m.lastIndexOf('@', close);
    if (atSign < 1) return true;
    const peer = parsePeer(m.slice(atSign + 1, close));
    if (peer === undefined) return true;
    setPeer(ev, peer);
    const levelEnd = m.indexOf('] ', close + 3);
    if (levelEnd < 0) return true;
    const level = m.slice(close + 3, levelEnd);
    const text = m.slice(levelEnd + 2);
    if (level === 'WARNING') {
      const f = AUTH_FAILED.exec(text);
      if (f !== null) {
        ftpLogin(
          ev,
          'failure',
          f.slice(1).find((u) => u !== undefined),
        );
        return true;
      }
      const d = DISABLED.exec(text);
      if (d !== null) ftpLogin(ev, 'failure', d[1], 'account disabled');
    } else if (level === 'ERROR' && text === 'Too many authentication failures') {
      ev['event.category'] = AUTHENTICATION;
      ev['event.action'] = 'ftp_login_limit';
      ev['event.outcome'] = 'failure';
    } else if (level === 'INFO') {
      const ok = LOGGED_IN.exec(text);
      if (ok !== null) ftpLogin(ev, 'success', ok[1]);
      else if (text.startsWith('New connection from ')) {
        ev['event.category'] = NETWORK;
        ev['event.action'] = 'ftp_connection';
      }
    }
    return true;
  };
}
