import type { Signature } from '../types.js';

/**
 * SQL injection, in the spirit of libinjection's "a string breaks out, then SQL follows" and
 * the CRS 942 rules: each signature needs SQL *structure* (a quote or paren followed by a
 * boolean and a comparison, a sub-select, a stacked statement, a catalog table, a timing
 * function), never a lone keyword, so prose such as "union was a great select" stays clean.
 * All run on the `sql` view: decoded, lower case, inline comments removed.
 */
const Q = `['"\`]`;
const CMP = String.raw`(?:<=>|!=|<>|>=|<=|==|=|<|>|!|\^|\b(?:r?like|is|in|between|regexp|glob|sounds\s+like|div|mod|not)\b)`;
const STRONG_FN = [
  'sleep',
  'pg_sleep',
  'benchmark',
  'load_file',
  'extractvalue',
  'updatexml',
  'group_concat',
  'concat_ws',
  'json_extract',
  'json_keys',
  'json_depth',
  'json_search',
  'json_array',
  'json_object',
  'json_build_object',
  'jsonb_build_object',
  'lo_import',
  'lo_export',
  'lo_get',
  'pg_read_file',
  'pg_ls_dir',
  'query_to_xml',
  'utl_inaddr\\.\\w+',
  'utl_http\\.\\w+',
  'dbms_\\w+\\.\\w+',
  'ctxsys\\.\\w+',
  'sys\\.fn_\\w+',
  'name_const',
  'make_set',
  'randomblob',
  'unistr',
  'openrowset',
  'opendatasource',
  'openquery',
  'is_srvrolemember',
  'xp_\\w+',
  'sp_\\w+',
  'fn_varbintohexstr',
  'sqlite_version',
  'pg_client_encoding',
  'current_database',
  'current_schema',
];
/** Functions that are English words too: only with SQL around them. */
const CONTEXT_FN = [
  'concat',
  'char',
  'chr',
  'nchar',
  'ascii',
  'ord',
  'hex',
  'unhex',
  'substring',
  'substr',
  'mid',
  'database',
  'schema',
  'version',
  'user',
  'current_user',
  'session_user',
  'system_user',
  'md5',
  'sha1',
  'cast',
  'convert',
  'ifnull',
  'nullif',
  'coalesce',
  'count',
  'exp',
  'floor',
  'rand',
  'row',
  'starts_with',
  'overlay',
  'length',
  'lower',
  'upper',
  'reverse',
  'left',
  'right',
  'instr',
  'locate',
  'position',
  'replace',
  'db_name',
  'host_name',
  'user_name',
  'suser_name',
  'object_id',
  'to_char',
  'regexp_substr',
  'exists',
];
const CATALOG = String.raw`\b(?:information_schema|sysobjects|syscolumns|sysusers|sysdatabases|pg_catalog|pg_shadow|pg_user|pg_database|pg_tables|pg_class|pg_namespace|sqlite_master|sqlite_schema|msysaccessobjects|msysobjects|mysql\.user|mysql\.db|all_tables|all_users|user_tables|dba_users|v\$version|sys\.tables|sys\.databases|sys\.objects|master\.\.sysdatabases|msdasql|sqloledb|msdaora)\b`;
const DML = String.raw`(?:select|insert|update|delete|drop|create|alter|truncate|exec|execute|declare|shutdown|replace|grant|revoke|rename|load|handler|call|merge|union|set\s+@|begin|waitfor|print)`;

export const SQLI: readonly Signature[] = [
  {
    id: 'sqli.union-select',
    cls: 'sqli',
    view: 'sql',
    strength: 3,
    re: /\bunion(?:\s+(?:all|distinct))?[\s(]*select\b|union\w{0,4}select\w{0,20}from/,
    plain: true,
  },
  {
    id: 'sqli.subselect',
    cls: 'sqli',
    view: 'sql',
    strength: 3,
    re: /[('"=;,]\s*select\b\s*[\w@*('"`]|\bselect\s+(?:\*|null\b|\d+\s*[,)]|@@?\w|(?:count|concat|group_concat|char|version|database|user|sleep|benchmark|load_file|if|case|name|password|table_name|column_name|schema_name|top\s+\d)\b)/,
  },
  {
    id: 'sqli.select-catalog',
    cls: 'sqli',
    view: 'sql',
    strength: 3,
    re: new RegExp(
      `\\bselect\\b[^;]{1,120}?\\bfrom\\b\\s*${CATALOG}|${CATALOG}|@@(?:version|datadir|hostname|basedir|servername|identity|spid|language)\\b`,
    ),
    plain: true,
  },
  {
    id: 'sqli.tautology',
    cls: 'sqli',
    view: 'sql',
    strength: 3,
    // A string or paren closes, a boolean follows, then an operand and a comparison:
    // `1' or '1'='1`, `") or 1=1`, `admin' and password glob password`.
    re: new RegExp(
      `(?:${Q}|\\)|^\\s*-?\\d+)\\s*(?:\\b(?:or|and|xor|having|where)\\b|\\|\\||&&)\\s*[(${Q.slice(1, -1)}\\s]*[\\w.@$-]{1,40}[${Q.slice(1, -1)})\\s]*${CMP}`,
    ),
  },
  {
    id: 'sqli.boolean-start',
    cls: 'sqli',
    view: 'sql',
    strength: 2,
    // A value that *starts* with a boolean: the attacker's quote was added by the query.
    re: new RegExp(`^\\s*${Q}?\\s*(?:or|xor|and)\\s+${Q}?[\\w.]{1,40}${Q}?\\s*(?:${CMP}|$|--|#)`),
  },
  {
    id: 'sqli.equal-operands',
    cls: 'sqli',
    view: 'sql',
    strength: 3,
    // `or 1=1`, `and 'a'='a'`, `|| 2>1`: the same operand on both sides, after a boolean.
    re: new RegExp(
      `(?:\\b(?:or|and|xor|having|where|when)\\b|\\|\\||&&)\\s*[(${Q.slice(1, -1)}]*([\\w.]{1,20})[${Q.slice(1, -1)})]*\\s*(?:=|<=>|==|\\blike\\b|>=|<=)\\s*[(${Q.slice(1, -1)}]*\\1\\b`,
    ),
  },
  {
    id: 'sqli.literal-comparison',
    cls: 'sqli',
    view: 'sql',
    strength: 2,
    // A whole value that is a comparison of literals (`1=1`, `42<=>42`, `11!=1`).
    re: /^[\s('"`]*(\w{1,20})[\s)'"`]*(?:=|<=>|==|\blike\b)[\s('"`]*\1[\s)'"`]*$|^\s*\d+\s*(?:!=|<>|<=>)\s*\d+\s*$/,
    plain: true,
  },
  {
    id: 'sqli.quote-comment',
    cls: 'sqli',
    view: 'sql',
    strength: 2,
    re: new RegExp(
      `${Q}\\s*\\)*\\s*(?:--(?:\\s|-|$)|#|;\\s*(?:--|#|$|${DML}\\b|print\\b))|${Q}\\s*\\)*\\s*(?:union|select|having|order\\s+by|group\\s+by|limit\\s+\\d|procedure\\s+analyse|into\\s+(?:out|dump)file)\\b`,
    ),
  },
  {
    id: 'sqli.quote-operator',
    cls: 'sqli',
    view: 'sql',
    strength: 2,
    re: new RegExp(
      `${Q}\\s*(?:glob|rlike|regexp|sounds\\s+like|like|\\|\\|)\\s*[${Q.slice(1, -1)}\\w(]|${Q}\\s*\\+\\s*\\(?\\s*(?:select|sleep|benchmark|pg_sleep)\\b`,
    ),
  },
  {
    id: 'sqli.timing',
    cls: 'sqli',
    view: 'sql',
    strength: 3,
    re: /\b(?:sleep|pg_sleep|benchmark|randomblob|dbms_lock\.sleep|dbms_pipe\.receive_message)\s*\(|\bwaitfor\s+(?:delay|time)\s*['"\d]/,
  },
  {
    id: 'sqli.stacked',
    cls: 'sqli',
    view: 'sql',
    strength: 2,
    re: new RegExp(`;\\s*${DML}\\b(?:\\s*[\\w@*(\\[\`"]|\\s*$)`),
  },
  {
    id: 'sqli.statement',
    cls: 'sqli',
    view: 'sql',
    strength: 3,
    re: /\binsert\s+into\s+[\w.[\]"`]+\s*(?:\(|values\b|select\b)|\bdelete\s+from\s+[\w.[\]"`]+|\bdrop\s+(?:table|database|schema|user|view|function|procedure|index)\s+\w|\bupdate\s+[\w.[\]`"]+\s+set\s+[\w`"]+\s*=|\bexec(?:ute)?\s+(?:master\.|xp_|sp_|@)|\binto\s+(?:out|dump)file\b|\bload\s+data\s+(?:local\s+)?infile\b|\b(?:except|intersect|minus)\s+(?:select|values)\b|\bvalues\s*\(\s*(?:\d+|'[^']*'|null)\s*,/,
  },
  {
    id: 'sqli.function',
    cls: 'sqli',
    view: 'sql',
    strength: 3,
    re: new RegExp(`\\b(?:${STRONG_FN.join('|')})\\s*\\(`),
  },
  {
    id: 'sqli.function-in-context',
    cls: 'sqli',
    view: 'sql',
    strength: 2,
    re: new RegExp(
      `(?:${Q}|[(,=]|\\b(?:and|or|xor|not|select|union|where|having|by|when|then|else)\\b)\\s*\\(?\\s*(?:${CONTEXT_FN.join('|')})\\s*\\(\\s*(?:[\\w@${Q.slice(1, -1)}(*]|0x)`,
    ),
  },
  {
    id: 'sqli.cast',
    cls: 'sqli',
    view: 'sql',
    strength: 3,
    // PostgreSQL casts and JSON operators: `password::int`, `'{"b":2}'::jsonb <@ '...'`.
    re: /[\w)'"\]]\s*::\s*(?:int|integer|int[248]|text|bool|boolean|jsonb?|varchar|char|regclass|bigint|numeric|float|date|bytea|xml|oid|name)\b|['\]}]\s*(?:@>|<@|#>>?|#-|->>|\?[|&]?)\s*'|'\$[.[]/,
    plain: true,
  },
  {
    id: 'sqli.clause',
    cls: 'sqli',
    view: 'sql',
    strength: 2,
    re: /\border\s+by\s+\d+\s*(?:--|#|$|,|;)|\bgroup\s+by\s+[\w.`"]+\s+having\b|\bhaving\s+['"(]?\d+['")]?\s*[=<>]|\bcase\s+when\b[^;]{1,80}?\bthen\b|\bif\s*\(\s*[\w'"()]{1,40}\s*(?:=|<|>|!=|<>|like)|\)\s*like\s*\(|\blike\s+null\b|\bprocedure\s+analyse\b|\blimit\s+\d+\s*,\s*\d+\s*(?:--|#|$)|\(\s*\d+\s*(?:=|<>|!=|<|>)\s*\d+\s*[),]/,
  },
  {
    id: 'sqli.nosql',
    cls: 'sqli',
    view: 'text',
    strength: 3,
    // MongoDB operators smuggled through parameter names or JSON: `u_id[$ne]=`, `{"$where":`.
    re: /\[\s*\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|elemmatch|or|and|nor|not|expr|size|type|all|function)\s*\]|["']\$(?:ne|eq|gt|gte|lt|lte|in|nin|regex|where|exists|elemmatch|or|and|nor|not|expr|function)["']\s*:|\$where\b|(?:^|[\s,{'"])\$(?:ne|gt|gte|lt|lte|in|nin|regex|where|or|and|nor|not|expr)\s*:\s*[[{'"\d]|\bdb\.[\w$]+\.(?:insert|find|findone|remove|update|drop|aggregate|count)\s*\(|(?:^|;)\s*(?:var|let|const)\s+\w+\s*=\s*new\s+\w+\s*\(|\bdo\s*\{[^}]{0,80}\}\s*while\s*\(/,
  },
  {
    id: 'sqli.math',
    cls: 'sqli',
    view: 'sql',
    strength: 1,
    re: /\b(?:div|mod|power|abs|ceil|ceiling|round|trunc|sqrt|ln|log)\s*\(\s*-?\d+(?:\.\d+)?\s*,\s*-?\d|\b2\.225073858507201\d*e-30[78]\b/,
    plain: true,
  },
];
