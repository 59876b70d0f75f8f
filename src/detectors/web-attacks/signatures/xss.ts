import type { Signature } from '../types.js';

/**
 * Cross-site scripting after CRS 941 and the NoScript injection checker: an HTML tag that can
 * run script, an event-handler attribute, a script URL scheme, or a JavaScript sink call.
 * Runs on the `text` view (every encoding removed, full-width forms folded, lower case).
 */
const TAGS = [
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'img',
  'image',
  'body',
  'html',
  'meta',
  'link',
  'style',
  'base',
  'form',
  'input',
  'button',
  'textarea',
  'video',
  'audio',
  'source',
  'marquee',
  'isindex',
  'details',
  'dialog',
  'template',
  'xml',
  'xss',
  'layer',
  'ilayer',
  'bgsound',
  'blink',
  'keygen',
  'vmlframe',
  'a',
  'div',
  'span',
  'table',
  'td',
  'title',
  'plaintext',
  'xmp',
  'noscript',
  'noembed',
  'animate',
  'animatetransform',
  'set',
  'handler',
  'portal',
  'picture',
  'select',
  'option',
];
/** Tags spelled with junk between the letters (`<f o r m`, `<s%00cript`). */
const SPACED = ['script', 'form', 'style', 'svg', 'marquee', 'dialog', 'iframe', 'object', 'embed', 'link', 'base', 'meta', 'applet', 'img', 'body']
  .map((t) => t.split('').join('\\W{0,3}'))
  .join('|');

export const XSS: readonly Signature[] = [
  {
    id: 'xss.tag',
    cls: 'xss',
    view: 'text',
    strength: 3,
    re: new RegExp(`<\\s*/?\\s*(?:[a-z]+:)?(?:${TAGS.join('|')})(?=[\\s/>]|$)|<[?!](?:import|xml:namespace|xml-stylesheet|entity)\\b|<!entity\\b|!entity\\s+%`),
  },
  {
    id: 'xss.spaced-tag',
    cls: 'xss',
    view: 'text',
    strength: 2,
    re: new RegExp(`<[^\\w<>]{0,5}(?:[^<>"'\\s]{1,10}:)?[^\\w<>]{0,5}(?:${SPACED})\\b`),
  },
  {
    id: 'xss.markup',
    cls: 'xss',
    view: 'text',
    strength: 2,
    re: /<!--|-->|<!\[cdata\[|<!doctype\s+\w+\s+\[|\bxlink:href\s*=|\bxmlns(?::\w+)?\s*=\s*['"]?https?:\/\/www\.w3\.org\/1999\/xhtml/,
  },
  {
    id: 'xss.event-handler',
    cls: 'xss',
    view: 'text',
    strength: 3,
    re: /(?:^|[\s"'`;/0-9=(,+])on[a-z]{3,40}\s*=/,
  },
  {
    id: 'xss.script-url',
    cls: 'xss',
    view: 'text',
    strength: 3,
    // `javascript:` followed by something that reads as code, so "JavaScript: basics" is prose.
    re: /\b(?:java|vb|live|ecma)script\s*:\s*(?:[^\s\w]|\w+\s*[(.=`[]|alert|eval|prompt|confirm|void|$)|\bdata\s*:\s*(?:text\/html|image\/svg\+xml|application\/(?:x-)?javascript|text\/javascript)|\bdata\s*:\s*[^,\s]{0,40}(?:;base64)?,\s*(?:<|alert|%3c)|\bsrc\s*=\s*['"]?\s*data\s*:/,
  },
  {
    id: 'xss.js-sink',
    cls: 'xss',
    view: 'text',
    strength: 2,
    re: /\b(?:alert|prompt|confirm|eval|atob|btoa|settimeout|setinterval|execscript|fromcharcode|unescape|showmodaldialog)\s*(?:\?\.\s*)?(?:\(|`|\.\s*(?:call|apply|bind)\b)|\(\s*(?:alert|prompt|confirm|eval)\s*\)\s*[(`]|\bdocument\s*(?:\?\.|\.|\[\s*['"`])\s*(?:cookie|domain|write(?:ln)?|location|body|createelement|forms)\b|\bwindow\s*\.\s*(?:location|open|name|eval)\b|\blocation\s*\.\s*(?:href|hash|replace|assign)\b|\b(?:top|self|parent|frames|globalthis|window)\s*\[\s*['"`]|\bconstructor\s*\(|\.\s*(?:call|apply)\s*`|\$\{\s*(?:alert|eval|prompt|confirm)\b|\]\s*\.\s*(?:map|sort|filter|find)\s*\.\s*call\b/,
  },
  {
    id: 'xss.css',
    cls: 'xss',
    view: 'text',
    strength: 2,
    re: /\bexpression\s*\(|\burl\s*\(\s*['"]?\s*(?:java|vb)script|@import\b|-moz-binding\s*:|\bbehavior\s*:\s*url/,
  },
];
