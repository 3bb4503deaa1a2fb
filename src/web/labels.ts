import { ADMIN_TOKEN_ACTOR, SYSTEM_ACTOR } from '../app/accounts/actor.js';
import type { InterpretationForm } from '../app/interpretations.js';
import { FORM_NAMES } from '../app/imports/columns.js';

/** The interpretation forms of SPEC §2, as the pages name them: the names imports read, too. */
export const FORM_LABELS: Record<InterpretationForm, string> = FORM_NAMES;

/** The service's own actors (recorded by user name) as people read them. */
export const SERVICE_ACTOR_LABELS: Record<string, string> = { [ADMIN_TOKEN_ACTOR.username]: '管理员令牌', [SYSTEM_ACTOR.username]: '系统（自动任务）' };
