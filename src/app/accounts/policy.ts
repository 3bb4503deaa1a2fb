import { AppError } from '../errors.js';
import type { Actor, Role } from './actor.js';

const ALL: Role[] = ['admin', 'drafter', 'press', 'leader'];
const ADMIN: Role[] = ['admin'];
const PRESS: Role[] = ['admin', 'press'];
const DRAFT: Role[] = ['admin', 'drafter'];

/**
 * SPEC §6 roles, route by route: who may call what. The one place access is decided by role; the
 * HTTP layer looks every request up here (a route missing from the table is refused), and
 * drafters' department scope is checked by `assertDepartmentScope` in the use cases.
 *  admin   everything
 *  drafter documents and interpretations of its own departments; reads the rest
 *  press   feeds, rules, items, incidents, commitments, alerts; reads documents
 *  leader  reads everything; signs off documents (审签, SPEC §12); changes nothing else
 *  notification channels: admin writes; admin and press read, test and resend (SPEC §10)
 *  exports: whoever may read a list may export it (SPEC §11); the 考核 report is read by everyone
 *  requests for disclosure (SPEC §13): admin and the drafters of the request's department register
 *    and handle them (scope checked in the use cases); everyone reads them and the annual report;
 *    admin sets the number prefix and the report's hand-entered rows
 */
export const ROUTE_POLICY: Record<string, Role[] | 'authenticated'> = {
  'GET /api/me': 'authenticated',
  'POST /api/me/password': 'authenticated',
  'DELETE /api/session': 'authenticated',
  'POST /api/tokens': 'authenticated',
  'GET /api/tokens': 'authenticated',
  'DELETE /api/tokens/:id': 'authenticated',

  'POST /api/users': ADMIN,
  'GET /api/users': ADMIN,
  'PATCH /api/users/:id': ADMIN,
  'GET /api/audit': ['admin', 'leader'],
  'GET /api/audit/export': ['admin', 'leader'],

  'POST /api/departments': ADMIN,
  'PATCH /api/departments/:code': ADMIN,
  'GET /api/departments': ALL,

  'POST /api/documents': DRAFT,
  'GET /api/documents': ALL,
  'GET /api/documents/export': ALL,
  'GET /api/documents/:id': ALL,
  'PATCH /api/documents/:id': DRAFT,
  // 审签 (SPEC §12): drafters only of their departments and with canSignOff, checked in the use case.
  'POST /api/documents/:id/sign-off': ['admin', 'leader', 'drafter'],
  'POST /api/interpretations': DRAFT,
  'GET /api/interpretations': ALL,
  'GET /api/interpretations/:id': ALL,
  'POST /api/imports': DRAFT,
  'GET /api/imports/:id': DRAFT,
  'POST /api/interpretations/:id/documents': DRAFT,
  'DELETE /api/interpretations/:id/documents/:documentId': DRAFT,

  'GET /api/calendar/days/:date': ALL,
  'GET /api/calendar/add-working-days': ALL,
  'GET /api/calendar/years/:year': ALL,
  'PUT /api/calendar/days/:date': ADMIN,
  'POST /api/calendar/import': ADMIN,

  'GET /api/alerts': ALL,
  'POST /api/jobs/sweep': PRESS,
  'POST /api/jobs/poll': PRESS,

  'POST /api/incidents': PRESS,
  'GET /api/incidents': ALL,
  'GET /api/incidents/export': ALL,
  'GET /api/incidents/:id': ALL,
  'PATCH /api/incidents/:id': PRESS,
  'POST /api/incidents/:id/merge': PRESS,
  'POST /api/commitments/:id/fulfil': PRESS,
  'GET /api/timers': ALL,
  'GET /api/dashboard': ALL,
  'GET /api/reports/assessment': ALL,
  'GET /api/reports/assessment/export': ALL,
  'GET /api/response-policy': ALL,
  'PUT /api/response-policy': ADMIN,

  'POST /api/feeds': PRESS,
  'GET /api/feeds': ALL,
  'GET /api/feeds/:id': ALL,
  'PATCH /api/feeds/:id': PRESS,
  'POST /api/feeds/:id/poll': PRESS,
  'GET /api/items': ALL,
  'GET /api/hotwords': ALL,
  // The daily briefing (舆情日报, SPEC §14): read by every role, as the 考核 report is.
  'GET /api/briefings/daily': ALL,
  'POST /api/rules': PRESS,
  'GET /api/rules': ALL,
  'PATCH /api/rules/:id': PRESS,
  'POST /api/rules/test': PRESS,

  'POST /api/channels': ADMIN,
  'GET /api/channels': PRESS,
  'GET /api/channels/:id': PRESS,
  'PATCH /api/channels/:id': ADMIN,
  'DELETE /api/channels/:id': ADMIN,
  'POST /api/channels/:id/test': PRESS,
  'GET /api/deliveries': PRESS,
  'POST /api/deliveries/:id/retry': PRESS,
  'POST /api/jobs/deliver': PRESS,
  'POST /api/me/calendar-feed': 'authenticated',

  // Wall-screen links (SPEC §15): admins make and revoke them; the screen's secret opens only
  // /display/<secret>, never an /api route.
  'POST /api/display-links': ADMIN,
  'GET /api/display-links': ADMIN,
  'DELETE /api/display-links/:id': ADMIN,

  // Requests for disclosure and the annual report (SPEC §13).
  'POST /api/disclosure-requests': DRAFT,
  'GET /api/disclosure-requests': ALL,
  'GET /api/disclosure-requests/:id': ALL,
  'PATCH /api/disclosure-requests/:id': DRAFT,
  'POST /api/disclosure-requests/:id/events': DRAFT,
  'GET /api/disclosure-settings': ALL,
  'PUT /api/disclosure-settings': ADMIN,
  'GET /api/reports/annual/:year': ALL,
  'GET /api/reports/annual/:year/inputs': ALL,
  'PUT /api/reports/annual/:year/inputs': ADMIN,
};

export function mayCall(actor: Actor, routeKey: string): boolean {
  const allowed = ROUTE_POLICY[routeKey];
  if (allowed === undefined) return false;
  return allowed === 'authenticated' || allowed.includes(actor.role);
}

/** A drafter acts only for its own departments; other roles the policy let through act for all. */
export function assertDepartmentScope(actor: Actor, departmentCode: string | null | undefined, what: string): void {
  if (actor.role !== 'drafter') return;
  if (departmentCode && actor.departments.includes(departmentCode)) return;
  throw new AppError(
    403,
    'forbidden',
    `${what}属于部门 ${departmentCode ?? '（未指定）'}，不在您负责的部门（${actor.departments.join('、') || '无'}）之内`,
  );
}
