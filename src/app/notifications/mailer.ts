import type { Verdict } from '../../domain/notifications/platforms.js';

/** One mail: a notification as plain text. */
export interface Mail {
  to: string[];
  subject: string;
  text: string;
}

/**
 * The email port (SMTP through nodemailer on Node). `send` never throws: it answers with the
 * verdict (sent, retry, or misconfigured for refused credentials or addresses) and what the
 * server said.
 */
export interface Mailer {
  send(mail: Mail): Promise<{ verdict: Verdict; response: string }>;
}
