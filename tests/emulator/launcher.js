'use strict';
// Local Telegram Bot API emulator for Rematch Coach's end-to-end tests.
//
// telegram-test-api gives us a user-side client API and message storage, but its bot-side
// answers differ from the real Bot API in ways python-telegram-bot (PTB) rejects (no is_bot in
// getMe, dates in milliseconds, no chat_instance, null results, missing methods, no long polling).
// Rather than patch node_modules, this launcher builds an outer express app whose routes run
// AHEAD of the package's app (mounted last as a fallback), and reuses the package's
// TelegramServer instance for storage and id counters, so the package's own client routes
// (/getUpdates, /getUpdatesHistory) keep seeing everything.
//
// Usage: EMULATOR_PORT=9000 node launcher.js   (or `node launcher.js 9000`; port 0 = any free port)
// Prints `READY <port>` on stdout once listening; exits on SIGTERM/SIGINT, and on stdin EOF
// when EMULATOR_WATCH_STDIN=1 (so an emulator whose test process died does not linger).
// EMULATOR_LOG=1 logs every bot call to stderr.
//
// Routes besides the Bot API (/bot<token>/<method>); JSON or form bodies, answers {ok, result}:
//   user side (the package's client format: botToken, from, chat, text/data):
//     POST /sendMessage, /sendCommand  -> {update_id, message_id}
//     POST /sendCallback {data, message_id?} -> {update_id, callback_query_id, message_id}
//     POST /sendVoice {duration} -> {update_id, message_id}   (a voice note, duration only)
//     POST /sendDocument {file_name, mime_type, content_base64, caption?} -> {update_id, message_id}
//          (a file from the user; the bot fetches it with getFile and GET /file/bot<token>/<path>)
//     POST /getUpdates, /getUpdatesHistory  (the package's own, unchanged)
//   test control (token optional where it filters):
//     GET|POST /test/botMessages?chatId=&token=  all bot messages, in order, current state + edits + file
//     GET|POST /test/commands?token=             what setMyCommands stored, per scope/language
//     GET|POST /test/calls?method=&token=        log of bot calls (params, uploaded file names)
//     GET|POST /test/callbackAnswers?id=          answerCallbackQuery calls for one press
//     POST /test/failNext {method, status=500, description?, retry_after?, chatId?, times=1}
//          status 0 drops the connection; 429 carries parameters.retry_after
//     POST /test/block {chatId, blocked=true}    bot calls for that chat get 403 "bot was blocked"
//     POST /test/reset                           forget messages, commands, failures, blocks
//     GET|POST /test/webhook?token=              the webhook set by setWebhook and its deliveries

const express = require('express');
const multer = require('multer');
const TelegramServer = require('telegram-test-api');

const HOST = '127.0.0.1';
const PORT = Number(process.env.EMULATOR_PORT || process.argv[2] || 0);
const BOT_NAME = process.env.EMULATOR_BOT_NAME || 'Rematch Coach Test';
const BOT_USERNAME = process.env.EMULATOR_BOT_USERNAME || 'RematchCoachTestBot';
const log = (...args) => process.env.EMULATOR_LOG === '1' && console.error('[emulator]', ...args);

// start() is never called: we own the HTTP server, and skipping start() also keeps the package's
// clean-up timer off, which would otherwise drop messages older than storeTimeout mid-test.
const tg = new TelegramServer({ host: HOST, port: PORT });

const state = {
  commands: new Map(), // `${token}|${scope}|${lang}` -> {token, scope, language_code, commands}
  failures: [], // injected errors, consumed by the next matching bot call
  blocked: new Set(), // chat ids (strings) that "blocked the bot"
  calls: [], // bot call log for assertions (getUpdates excluded: it is noise)
  chats: new Map(), // chat id -> Chat object learned from the user's own messages
  callbacks: new Map(), // callback query id -> {answers: [...]}
  webhooks: new Map(), // token -> {url, secret, deliveries: [{update_id, status}]}
  userFiles: new Map(), // file_id -> {buf, path}: documents users sent, for getFile and download
};
let fileSeq = 0;

class TgError extends Error {
  constructor(code, description, parameters) { super(description); Object.assign(this, { code, description, parameters }); }
}
const bad = (what) => new TgError(400, `Bad Request: ${what}`);
const DEFAULT_DESCRIPTIONS = {
  400: 'Bad Request: emulated failure', 401: 'Unauthorized', 403: 'Forbidden: bot was blocked by the user',
  404: 'Not Found', 409: 'Conflict: terminated by other getUpdates request', 500: 'Internal Server Error',
  502: 'Bad Gateway',
};

const nowSec = () => Math.floor(Date.now() / 1000);
// Accept seconds or milliseconds from callers; Telegram always speaks seconds.
const toSec = (d) => (Number(d) > 0 ? Math.floor(Number(d) > 1e11 ? Number(d) / 1000 : Number(d)) : nowSec());
// PTB form-encodes every non-string parameter as JSON, so objects arrive as strings.
const parseJson = (v) => {
  if (typeof v !== 'string' || !/^\s*[[{]/.test(v)) return v;
  try { return JSON.parse(v); } catch { return v; }
};
const asBool = (v) => v === true || v === 'true' || v === '1' || v === 1;
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function botUser(token) {
  // Real tokens are "<bot id>:<secret>"; PTB cross-checks bot.id against the token prefix.
  const id = Number(String(token).split(':')[0]);
  return {
    id: Number.isSafeInteger(id) && id > 0 ? id : 666, is_bot: true, first_name: BOT_NAME,
    username: BOT_USERNAME, can_join_groups: true, can_read_all_group_messages: false,
    supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false,
  };
}

function chatFor(chatId) {
  const id = Number(chatId);
  if (!Number.isFinite(id)) throw bad('chat not found');
  return state.chats.get(String(id))
    || (id < 0 ? { id, type: 'group', title: 'Test group' } : { id, type: 'private', first_name: 'Test' });
}

function checkMarkup(raw) {
  const markup = parseJson(raw);
  if (markup === undefined || markup === null || markup === '') return undefined;
  if (typeof markup !== 'object') throw bad("can't parse reply keyboard markup JSON object");
  for (const row of markup.inline_keyboard || []) {
    for (const b of row) {
      if (!b.text) throw bad('BUTTON_TEXT_INVALID');
      if (b.callback_data !== undefined) {
        const size = Buffer.byteLength(String(b.callback_data));
        if (size < 1 || size > 64) throw bad('BUTTON_DATA_INVALID');
      } else if (!b.url && !b.web_app && !b.switch_inline_query && !b.copy_text && !b.login_url) {
        throw bad('text buttons are unallowed in the inline keyboard');
      }
    }
  }
  return markup;
}
const buttonData = (msg) => (msg.reply_markup?.inline_keyboard || []).flat().map((b) => b.callback_data);

// Telegram rejects the whole message when HTML is malformed (unescaped "<", unknown or
// unbalanced tags). Emulating that catches the classic "user text not escaped" bug in tests.
// Returns the plain text Telegram would store (entities themselves are not computed).
const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span',
  'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);
const NAMED_ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"' };
function parseHtml(src) {
  const stack = [];
  let out = '';
  const at = (i) => Buffer.byteLength(src.slice(0, i));
  for (let i = 0; i < src.length;) {
    if (src[i] === '<') {
      const m = /<(\/?)([a-zA-Z][\w-]*)((?:\s[^<>]*)?)>/y;
      m.lastIndex = i;
      const hit = m.exec(src);
      const name = hit ? hit[2].toLowerCase() : '';
      if (!hit || !HTML_TAGS.has(name)) {
        throw bad(`can't parse entities: Unsupported start tag "${name}" at byte offset ${at(i)}`);
      }
      if (hit[1]) {
        const open = stack.pop();
        if (open !== name) {
          throw bad(`can't parse entities: Unmatched end tag at byte offset ${at(i)}, expected "</${open}>", found "</${name}>"`);
        }
      } else stack.push(name);
      i = m.lastIndex;
    } else if (src[i] === '&') {
      const ent = /&(?:(lt|gt|amp|quot)|#(\d+)|#x([0-9a-fA-F]+));/y;
      ent.lastIndex = i;
      const hit = ent.exec(src);
      if (!hit) { out += '&'; i += 1; continue; }
      out += hit[1] ? NAMED_ENTITIES[hit[1]] : String.fromCodePoint(hit[2] ? Number(hit[2]) : parseInt(hit[3], 16));
      i = ent.lastIndex;
    } else { out += src[i]; i += 1; }
  }
  if (stack.length) throw bad(`can't parse entities: Can't find end tag corresponding to start tag "${stack.pop()}"`);
  return out;
}
const renderText = (text, parseMode) => (String(parseMode || '').toLowerCase() === 'html' ? parseHtml(text) : text);

function imageSize(buf) {
  if (buf.length > 24 && buf.readUInt32BE(0) === 0x89504e47) return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
  if (buf[0] === 0xff && buf[1] === 0xd8) { // JPEG: walk segments to the first start-of-frame
    for (let i = 2; i + 9 < buf.length && buf[i] === 0xff;) {
      const marker = buf[i + 1];
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return [buf.readUInt16BE(i + 7), buf.readUInt16BE(i + 5)];
      }
      i += 2 + buf.readUInt16BE(i + 2);
    }
  }
  return [0, 0];
}

// ---- bot messages -------------------------------------------------------------------------
const botEntries = (token, chatId) => tg.storage.botMessages.filter((e) => e.tg
  && (token === undefined || e.botToken === token)
  && (chatId === undefined || String(e.tg.chat.id) === String(chatId)));

function recordBotMessage(token, p, kind, fields) {
  if (p.chat_id === undefined || p.chat_id === '') throw bad('chat_id is empty');
  const chat = chatFor(p.chat_id);
  const markup = checkMarkup(p.reply_markup);
  // Going through the package keeps its storage, ids and client routes consistent.
  tg.addBotMessage({ chat_id: p.chat_id, text: fields.text, caption: fields.caption, reply_markup: markup }, token);
  const entry = tg.storage.botMessages[tg.storage.botMessages.length - 1];
  entry.tg = { message_id: entry.messageId, from: botUser(token), chat, date: nowSec(), ...fields };
  // Telegram attaches only inline keyboards to the returned Message; reply keyboards are kept
  // separately so tests can still see them.
  if (markup?.inline_keyboard) entry.tg.reply_markup = markup;
  Object.assign(entry, { kind, sentMarkup: markup ?? null, parseMode: p.parse_mode ?? null, edits: [] });
  entry.rawText = p.text ?? p.caption ?? null;
  return entry;
}

const findBotEntry = (token, chatId, messageId) => botEntries(token, chatId)
  .find((e) => e.messageId === Number(messageId) && !e.deleted);

function editBotMessage(token, p, method, change) {
  if (p.inline_message_id) throw bad('inline messages are not supported by the emulator');
  const entry = findBotEntry(token, p.chat_id, p.message_id);
  if (!entry) throw bad('message to edit not found');
  const markup = checkMarkup(p.reply_markup);
  const next = { ...entry.tg, ...change };
  // Real Telegram drops the inline keyboard on any edit that does not resend it.
  if (markup?.inline_keyboard) next.reply_markup = markup; else delete next.reply_markup;
  const view = (m) => [m.text, m.caption, m.reply_markup];
  if (same(view(next), view(entry.tg))) {
    throw bad('message is not modified: specified new message content and reply markup are exactly '
      + 'the same as a current content and reply markup of the message');
  }
  next.edit_date = nowSec();
  entry.edits.push({ method, date: next.edit_date, text: next.text ?? null, caption: next.caption ?? null,
    reply_markup: next.reply_markup ?? null, raw_text: p.text ?? p.caption ?? null });
  entry.tg = next;
  if (p.text !== undefined || p.caption !== undefined) entry.rawText = p.text ?? p.caption;
  Object.assign(entry.message, { text: next.text, caption: next.caption, reply_markup: next.reply_markup });
  return next;
}

function sendFile(kind) {
  return ({ token, p, files }) => {
    const upload = files.find((f) => f.fieldname === kind);
    let file;
    if (upload) {
      if (!upload.size) throw bad('file must be non-empty');
      file = { file_name: upload.originalname, mime_type: upload.mimetype, size: upload.size,
        data_base64: upload.buffer.toString('base64') };
    } else if (p[kind]) {
      file = { file_id: String(p[kind]) }; // re-sent by file_id or URL: no bytes to keep
    } else throw bad(`there is no ${kind} in the request`);
    fileSeq += 1;
    const ids = { file_id: `${kind}-${fileSeq}`, file_unique_id: `u${kind}${fileSeq}` };
    const fields = {};
    if (p.caption) {
      fields.caption = renderText(String(p.caption), p.parse_mode);
      if (fields.caption.length > 1024) throw bad('message caption is too long');
    }
    if (kind === 'photo') {
      const [width, height] = upload ? imageSize(upload.buffer) : [0, 0];
      fields.photo = [{ ...ids, width, height, file_size: file.size }];
    } else {
      fields.document = { ...ids, file_name: file.file_name, mime_type: file.mime_type, file_size: file.size };
    }
    const entry = recordBotMessage(token, p, kind, fields);
    entry.file = file;
    return entry.tg;
  };
}

// ---- updates ------------------------------------------------------------------------------
const waiters = new Set(); // long-polling getUpdates calls waiting for a user update
const wakeWaiters = () => [...waiters].forEach((w) => w(false));
['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery'].forEach((ev) => tg.on(ev, () => {
  wakeWaiters();
  deliverWebhooks();
}));

// Webhooks, as Telegram does them: each update is POSTed in order to the registered URL with
// the secret in X-Telegram-Bot-Api-Secret-Token; a non-2xx answer or a network error is
// retried (after a short pause here) and the update stays pending until the bot accepts it.
const delivering = new Set(); // tokens with a delivery loop running
async function deliverWebhooks() {
  for (const [token, hook] of state.webhooks) {
    if (delivering.has(token)) continue;
    delivering.add(token);
    try {
      for (;;) {
        const [next] = pendingUpdates(token, 0, 1);
        if (!next || state.webhooks.get(token) !== hook) break;
        const headers = { 'content-type': 'application/json' };
        if (hook.secret) headers['x-telegram-bot-api-secret-token'] = hook.secret;
        let status = 0;
        try {
          const res = await fetch(hook.url, { method: 'POST', headers, body: JSON.stringify(formatUpdate(next)) });
          status = res.status;
        } catch (err) { status = 0; }
        hook.deliveries.push({ update_id: next.updateId, status });
        if (status >= 200 && status < 300) next.confirmed = true;
        else { await new Promise((r) => setTimeout(r, 300)); }
      }
    } finally { delivering.delete(token); }
  }
}

function pendingUpdates(token, offset, limit) {
  let mine = tg.storage.userMessages.filter((u) => u.botToken === token && !u.confirmed);
  // Real semantics: an offset confirms (forgets) every update below it; a negative offset
  // keeps only the last -offset updates.
  const confirmBelow = offset < 0 ? (mine[mine.length + offset]?.updateId ?? 0) : offset;
  mine.forEach((u) => { if (u.updateId < confirmBelow) u.confirmed = true; });
  mine = mine.filter((u) => !u.confirmed);
  return mine.slice(0, limit);
}

function formatUpdate(u) {
  if (u.callbackQuery) {
    const { botToken, ...query } = u.callbackQuery;
    return { update_id: u.updateId, callback_query: { id: String(u.callbackId), ...query } };
  }
  const { botToken, ...message } = u.message;
  return { update_id: u.updateId, message: { ...message, message_id: u.messageId } };
}

function getUpdates({ token, p, res }) {
  const offset = Number(p.offset) || 0;
  const limit = Math.min(Math.max(Number(p.limit) || 100, 1), 100);
  const timeout = Math.min(Math.max(Number(p.timeout) || 0, 0), 50);
  return new Promise((resolve) => {
    let timer = null;
    const attempt = (force) => {
      const updates = pendingUpdates(token, offset, limit);
      if (!updates.length && !force) return;
      clearTimeout(timer);
      waiters.delete(attempt);
      resolve(updates.map(formatUpdate));
    };
    waiters.add(attempt);
    timer = setTimeout(() => attempt(true), timeout * 1000);
    res.on('close', () => { clearTimeout(timer); waiters.delete(attempt); });
    attempt(timeout === 0);
  });
}

// ---- bot API methods (lower-case: Telegram method names are case-insensitive) -------------
const scopeKey = (scope) => {
  const s = parseJson(scope) || { type: 'default' };
  return [s.type, s.chat_id, s.user_id].filter((x) => x !== undefined).join(':');
};
const commandsKey = (token, p) => `${token}|${scopeKey(p.scope)}|${p.language_code || ''}`;

const handlers = {
  getme: ({ token }) => botUser(token),
  getfile: ({ p }) => {
    const file = state.userFiles.get(String(p.file_id ?? ''));
    if (!file) throw bad('invalid file_id');
    return { file_id: String(p.file_id), file_unique_id: String(p.file_id), file_size: file.buf.length,
      file_path: file.path };
  },
  getupdates: getUpdates,
  sendmessage: ({ token, p }) => {
    const text = renderText(String(p.text ?? ''), p.parse_mode);
    if (!text.trim()) throw bad('message text is empty');
    if (text.length > 4096) throw bad('message is too long');
    return recordBotMessage(token, p, 'text', { text }).tg;
  },
  senddocument: sendFile('document'),
  sendphoto: sendFile('photo'),
  editmessagetext: ({ token, p }) => {
    const entry = findBotEntry(token, p.chat_id, p.message_id);
    if (entry && entry.kind !== 'text') throw bad('there is no text in the message to edit');
    if (!String(p.text ?? '').trim()) throw bad('message text is empty');
    return editBotMessage(token, p, 'editMessageText', { text: renderText(String(p.text), p.parse_mode) });
  },
  editmessagecaption: ({ token, p }) => editBotMessage(token, p, 'editMessageCaption',
    { caption: renderText(String(p.caption ?? ''), p.parse_mode) || undefined }),
  editmessagereplymarkup: ({ token, p }) => editBotMessage(token, p, 'editMessageReplyMarkup', {}),
  deletemessage: ({ token, p }) => {
    const entry = findBotEntry(token, p.chat_id, p.message_id);
    const user = tg.storage.userMessages.find((u) => u.botToken === token && u.message
      && String(u.message.chat.id) === String(p.chat_id) && u.messageId === Number(p.message_id));
    if (!entry && (!user || user.deleted)) throw bad('message to delete not found');
    (entry || user).deleted = true;
    return true;
  },
  answercallbackquery: ({ p }) => {
    const query = state.callbacks.get(String(p.callback_query_id));
    if (!query) throw bad('query is too old and response timeout expired or query ID is invalid');
    query.answers.push({ text: p.text ?? null, show_alert: asBool(p.show_alert), url: p.url ?? null });
    return true;
  },
  setmycommands: ({ token, p }) => {
    const commands = parseJson(p.commands);
    if (!Array.isArray(commands)) throw bad("can't parse commands JSON object");
    if (commands.length > 100) throw bad('too many commands');
    for (const c of commands) {
      // The documented rule: 1-32 chars of lower-case letters, digits and underscores.
      if (!/^[a-z0-9_]{1,32}$/.test(String(c.command))) throw bad('BOT_COMMAND_INVALID');
      const d = String(c.description ?? '');
      if (!d.trim() || d.length > 256) throw bad('BOT_COMMAND_DESCRIPTION_INVALID');
    }
    state.commands.set(commandsKey(token, p), { token, scope: parseJson(p.scope) || { type: 'default' },
      language_code: p.language_code || '', commands: commands.map((c) => ({ command: c.command, description: c.description })) });
    return true;
  },
  // The chat's menu button (a Mini App's, or the commands): accepted when well formed; the
  // calls log holds what was set.
  setchatmenubutton: ({ p }) => {
    const button = parseJson(p.menu_button) || { type: 'default' };
    if (!['default', 'commands', 'web_app'].includes(button.type)) throw bad('BUTTON_TYPE_INVALID');
    if (button.type === 'web_app' && (!button.text || !button.web_app?.url)) throw bad('BUTTON_INVALID');
    return true;
  },
  getmycommands: ({ token, p }) => state.commands.get(commandsKey(token, p))?.commands ?? [],
  deletemycommands: ({ token, p }) => { state.commands.delete(commandsKey(token, p)); return true; },
  getwebhookinfo: ({ token }) => ({ url: state.webhooks.get(token)?.url ?? '', has_custom_certificate: false,
    pending_update_count: pendingUpdates(token, 0, 1e9).length }),
  setwebhook: ({ token, p }) => {
    if (!p.url) throw bad('bad webhook: an empty url is not allowed here, use deleteWebhook');
    if (p.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(p.secret_token))) {
      throw bad('secret token contains unallowed characters');
    }
    if (asBool(p.drop_pending_updates)) pendingUpdates(token, Number.MAX_SAFE_INTEGER, 0);
    state.webhooks.set(token, { url: String(p.url), secret: p.secret_token ? String(p.secret_token) : null, deliveries: [] });
    setImmediate(deliverWebhooks);
    return true;
  },
  deletewebhook: ({ token, p }) => {
    state.webhooks.delete(token);
    if (asBool(p.drop_pending_updates)) pendingUpdates(token, Number.MAX_SAFE_INTEGER, 0); // confirms all
    return true;
  },
  // Accepted and ignored: nothing in the tests needs their effect.
  ...Object.fromEntries(['sendchataction', 'setmydescription', 'setmyshortdescription', 'setchatmenubutton']
    .map((name) => [name, () => true])),
};

function takeInjectedFailure(method, p) {
  const rule = state.failures.find((r) => r.method === method
    && (r.chatId === undefined || String(r.chatId) === String(p.chat_id)));
  if (!rule) return;
  rule.times -= 1;
  if (rule.times <= 0) state.failures.splice(state.failures.indexOf(rule), 1);
  throw new TgError(rule.status, rule.description, rule.retryAfter ? { retry_after: rule.retryAfter } : undefined);
}

function sendError(res, err) {
  let e = err;
  if (!(e instanceof TgError)) {
    console.error('[emulator] internal error:', e);
    e = new TgError(500, `Internal Server Error: ${e.message}`);
  }
  if (e.code === 0) { res.socket?.destroy(); return; } // emulated network failure
  const body = { ok: false, error_code: e.code, description: e.description };
  if (e.parameters) body.parameters = e.parameters;
  res.status(e.code).json(body);
}

// ---- express wiring -----------------------------------------------------------------------
const app = express();
app.use(express.json({ limit: '60mb' }));
app.use(express.urlencoded({ extended: true, limit: '60mb' }));
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 50 * 1024 * 1024 } });
const params = (req) => ({ ...req.query, ...(req.body || {}) });

app.all('/bot:token/:method', upload.any(), async (req, res) => {
  const { token } = req.params;
  const method = req.params.method.toLowerCase();
  const p = params(req);
  const files = req.files || [];
  if (method !== 'getupdates') {
    state.calls.push({ method: req.params.method, token, time: Date.now(),
      params: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, parseJson(v)])),
      files: files.map((f) => ({ field: f.fieldname, name: f.originalname, size: f.size })) });
    if (state.calls.length > 2000) state.calls.shift();
    log(req.params.method, JSON.stringify(p).slice(0, 300));
  }
  try {
    takeInjectedFailure(method, p);
    if (p.chat_id !== undefined && state.blocked.has(String(p.chat_id))) {
      throw new TgError(403, 'Forbidden: bot was blocked by the user');
    }
    const handler = handlers[method];
    if (!handler) {
      console.error(`[emulator] unsupported bot method ${req.params.method}: answering 404 like Telegram`);
      throw new TgError(404, 'Not Found');
    }
    const result = await handler({ token, p, files, res });
    if (!res.writableEnded && !res.destroyed) res.json({ ok: true, result });
  } catch (err) { sendError(res, err); }
});

// User-side routes: same paths and bodies as the package's client (botToken, from, chat, text...),
// but validated, awaited (the package's versions crash node on a bad body), filled in to the
// shape Telegram sends, and answering with the new ids.
const route = (fn) => async (req, res) => {
  try { res.json({ ok: true, result: await fn(params(req)) }); } catch (err) { sendError(res, err); }
};

function userAndChat(b) {
  if (!b.botToken) throw bad('botToken is required');
  const chatIn = parseJson(b.chat) || parseJson(b.message)?.chat || {};
  const fromIn = parseJson(b.from) || {};
  const id = Number(chatIn.id ?? b.chatId ?? b.chat_id ?? fromIn.id ?? 1);
  const from = { ...fromIn, id: Number(fromIn.id ?? (id > 0 ? id : 1)), is_bot: false,
    first_name: fromIn.first_name || 'Test' };
  const chat = { type: id < 0 ? 'group' : 'private', ...chatIn, id };
  if (chat.type === 'private' && !chat.first_name) chat.first_name = from.first_name;
  state.chats.set(String(id), chat);
  return { from, chat };
}

const userMessage = route(async (b) => {
  const { from, chat } = userAndChat(b);
  const text = String(b.text ?? '');
  const message = { botToken: b.botToken, from, chat, date: toSec(b.date), text };
  let entities = parseJson(b.entities);
  // Telegram marks a leading /command itself, whatever the client sent.
  if (!entities && text.startsWith('/')) {
    entities = [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0].length }];
  }
  if (Array.isArray(entities) && entities.length) message.entities = entities;
  const ids = { update_id: tg.updateId, message_id: tg.messageId };
  if (message.entities?.some((e) => e.type === 'bot_command')) await tg.addUserCommand(message);
  else await tg.addUserMessage(message);
  return ids;
});
app.post('/sendMessage', userMessage);
app.post('/sendCommand', userMessage);

// A voice note from the user (the package has no such route): Telegram's Voice object with
// the duration the client reports; no audio bytes are kept (the bot only reads the duration).
app.post('/sendVoice', route(async (b) => {
  const { from, chat } = userAndChat(b);
  const duration = Math.max(0, Math.round(Number(b.duration) || 0));
  const id = `voice-${++fileSeq}`;
  const message = { botToken: b.botToken, from, chat, date: toSec(b.date),
    voice: { file_id: id, file_unique_id: id, duration, mime_type: 'audio/ogg', file_size: 1000 + duration * 2000 } };
  const ids = { update_id: tg.updateId, message_id: tg.messageId };
  await tg.addUserMessage(message);
  return ids;
}));

// A document from the user (a spreadsheet, a .docx...): Telegram's Document object, its bytes
// kept so getFile and the file URL (/file/bot<token>/<file_path>) give them back, as Telegram
// does. Body: file_name, mime_type, content_base64, caption?
app.post('/sendDocument', route(async (b) => {
  const { from, chat } = userAndChat(b);
  const buf = Buffer.from(String(b.content_base64 ?? ''), 'base64');
  const id = `doc-${++fileSeq}`;
  const name = String(b.file_name || 'file');
  state.userFiles.set(id, { buf, path: `documents/${id}-${name.replace(/[^\w.-]/g, '_')}` });
  const message = { botToken: b.botToken, from, chat, date: toSec(b.date),
    document: { file_id: id, file_unique_id: id, file_name: name,
      mime_type: String(b.mime_type || 'application/octet-stream'), file_size: buf.length } };
  if (b.caption) message.caption = String(b.caption);
  const ids = { update_id: tg.updateId, message_id: tg.messageId };
  await tg.addUserMessage(message);
  return ids;
}));

app.get('/file/bot:token/*', (req, res) => {
  const path = req.params[0];
  const file = [...state.userFiles.values()].find((f) => f.path === path);
  if (!file) { res.status(404).json({ ok: false, error_code: 404, description: 'Not Found' }); return; }
  res.type('application/octet-stream').send(file.buf);
});

app.post('/sendCallback', route(async (b) => {
  const { from, chat } = userAndChat(b);
  if (b.data === undefined) throw bad('data is required');
  const data = String(b.data);
  const wanted = b.message_id ?? b.messageId ?? parseJson(b.message)?.message_id;
  // With an explicit message id the press is taken as is (to emulate stale buttons); otherwise
  // it goes to the latest bot message in the chat that carries a button with this data.
  const entry = wanted !== undefined ? findBotEntry(b.botToken, chat.id, wanted)
    : botEntries(b.botToken, chat.id).reverse().find((e) => !e.deleted && buttonData(e.tg).includes(data));
  if (!entry) throw bad(`no bot message in chat ${chat.id} ${wanted !== undefined ? `with id ${wanted}` : `has a button with callback_data "${data}"`}`);
  const ids = { update_id: tg.updateId, callback_query_id: String(tg.callbackId), message_id: entry.messageId };
  state.callbacks.set(ids.callback_query_id, { answers: [] });
  await tg.addUserCallback({ botToken: b.botToken, from, chat_instance: String(chat.id * 7919),
    data, message: JSON.parse(JSON.stringify(entry.tg)) });
  return ids;
}));

// ---- test-only routes ---------------------------------------------------------------------
app.all('/test/botMessages', route((q) => botEntries(q.token, q.chatId ?? q.chat_id).map((e) => ({
  message_id: e.messageId, kind: e.kind, message: e.tg, raw_text: e.rawText, parse_mode: e.parseMode,
  sent_reply_markup: e.sentMarkup, edits: e.edits, file: e.file ?? null, deleted: Boolean(e.deleted),
}))));
app.all('/test/webhook', route((q) => {
  const hook = state.webhooks.get(String(q.token));
  return hook ? { url: hook.url, has_secret: Boolean(hook.secret), deliveries: hook.deliveries } : null;
}));
app.all('/test/callbackAnswers', route((q) => state.callbacks.get(String(q.id))?.answers ?? null));
app.all('/test/commands', route((q) => [...state.commands.values()].filter((c) => !q.token || c.token === q.token)));
app.all('/test/calls', route((q) => state.calls.filter((c) => (!q.method || c.method.toLowerCase() === String(q.method).toLowerCase())
  && (!q.token || c.token === q.token))));
app.post('/test/failNext', route((q) => {
  if (!q.method) throw bad('method is required');
  const status = Number(q.status ?? 500);
  const retryAfter = q.retry_after === undefined ? undefined : Number(q.retry_after);
  const description = q.description || (status === 429 ? `Too Many Requests: retry after ${retryAfter ?? 1}` : DEFAULT_DESCRIPTIONS[status] || `Error ${status}`);
  state.failures.push({ method: String(q.method).toLowerCase(), status, description, retryAfter: status === 429 ? (retryAfter ?? 1) : retryAfter,
    chatId: q.chatId ?? q.chat_id, times: Number(q.times ?? 1) });
  return true;
}));
app.post('/test/block', route((q) => {
  const id = String(q.chatId ?? q.chat_id);
  if (q.blocked === undefined || asBool(q.blocked)) state.blocked.add(id); else state.blocked.delete(id);
  return true;
}));
app.post('/test/reset', route(() => {
  // Id counters keep growing on purpose: a bot still polling with an old offset stays correct.
  tg.storage.userMessages = [];
  tg.storage.botMessages = [];
  Object.values(state).forEach((v) => (Array.isArray(v) ? v.splice(0) : v.clear()));
  return true;
}));

app.use(tg.webServer); // the package's own routes, for anything not answered above
app.use((err, _req, res, _next) => sendError(res, err instanceof TgError ? err : bad(err.message))); // body/multipart parse errors

const server = app.listen(PORT, HOST, () => process.stdout.write(`READY ${server.address().port}\n`));
server.on('error', (err) => { console.error(`[emulator] cannot listen on ${HOST}:${PORT}: ${err.message}`); process.exit(1); });

let stopping = false;
function shutdown() {
  if (stopping) return;
  stopping = true;
  [...waiters].forEach((w) => w(true)); // release long polls so the server can close
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
if (process.env.EMULATOR_WATCH_STDIN === '1') {
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}
