import nodemailer from 'nodemailer';
import type { Mailer } from '../../app/notifications/mailer.js';

/** Errors no retry can mend: refused credentials, a refused sender or recipients, a bad setting. */
const PERMANENT_CODES = new Set(['EAUTH', 'EENVELOPE', 'ECONFIG', 'ENOAUTH', 'EMESSAGE']);

/**
 * Email channels over SMTP (SMTP_URL, e.g. `smtp://user:pass@mail.example.gov.cn:587`, or
 * `smtps://…:465`), sent from MAIL_FROM, through nodemailer. Each message times out after
 * `timeoutMs`; a 5xx reply or refused credentials mark the channel misconfigured, anything else
 * is retried.
 */
export function smtpMailer(options: { url: string; from: string; timeoutMs?: number }): Mailer {
  const timeout = options.timeoutMs ?? 30_000;
  // The URL's own settings, plus our timeouts; defaults (the From address) as the second argument.
  const url = new URL(options.url);
  for (const [key, value] of [['connectionTimeout', timeout], ['greetingTimeout', timeout], ['socketTimeout', timeout]] as const) {
    if (!url.searchParams.has(key)) url.searchParams.set(key, String(value));
  }
  const transport = nodemailer.createTransport(url.href, { from: options.from });
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.text });
        const rejected = (info.rejected ?? []).map(String);
        if (rejected.length > 0 && rejected.length === mail.to.length) {
          return { verdict: { outcome: 'misconfigured', reason: `邮件服务器拒收全部收件人：${rejected.join('、')}` }, response: String(info.response ?? '') };
        }
        return { verdict: { outcome: 'sent' }, response: String(info.response ?? '') };
      } catch (err) {
        const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
        const said = e.response ?? e.message ?? String(err);
        const permanent = PERMANENT_CODES.has(e.code ?? '') || (e.responseCode !== undefined && e.responseCode >= 500);
        const reason = `邮件发送失败${e.responseCode ? `（SMTP ${e.responseCode}）` : e.code ? `（${e.code}）` : ''}：${said}`;
        return { verdict: permanent ? { outcome: 'misconfigured', reason } : { outcome: 'retry', reason }, response: said };
      }
    },
  };
}
